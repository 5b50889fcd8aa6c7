/** `discforge mkiso --udf`, `ls --namespace udf` and `extract --namespace udf`, run in-process. */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { cliWithEnv } from "../../../cli/test/helpers.js";
import { genTiny, manifest, removeDir, requireTool, run, tempDir } from "../helpers.js";
import { parseUdfinfo } from "./helpers.js";

const cli = (...argv: string[]) => cliWithEnv({ SOURCE_DATE_EPOCH: "1600000000" }, ...argv);

let work: string;
let src: string;
beforeAll(() => {
  requireTool("udfinfo", "udftools");
  work = tempDir("udf-cli");
  src = join(work, "src");
  mkdirSync(src);
  genTiny(src);
});
afterAll(() => removeDir(work));

it("mkiso --udf 2.60, ls and extract through the UDF tree", async () => {
  const out = join(work, "u.iso");
  const made = await cli("mkiso", src, "-o", out, "--udf", "2.60", "--reproducible", "-q");
  expect(made.stderr).toBe("");
  expect(made.code).toBe(0);
  // UDF 2.60 media declare 2.50 as the minimum read revision (udfinfo's udfrev).
  expect(parseUdfinfo(run("udfinfo", [out]).stdout)).toMatchObject({ udfrev: "2.50", udfwriterev: "2.60" });
  const ls = await cli("ls", out, "/", "-R", "--namespace", "udf", "--json");
  expect(ls.code).toBe(0);
  const listed = JSON.parse(ls.stdout) as { namespace: string; entries: { path: string }[] };
  expect(listed.namespace).toBe("udf");
  expect(listed.entries.map((e) => e.path).sort()).toEqual([...manifest(src).keys()].sort());
  const dest = join(work, "x");
  expect((await cli("extract", out, dest, "--namespace", "udf")).code).toBe(0);
  expect([...manifest(dest)].sort()).toEqual([...manifest(src)].sort());
});

it("mkiso --udf auto --udf-media bd picks 2.50; a bad revision is a usage error", async () => {
  const out = join(work, "bd.iso");
  expect((await cli("mkiso", src, "-o", out, "--udf", "auto", "--udf-media", "bd", "--reproducible", "-q")).code).toBe(0);
  expect(parseUdfinfo(run("udfinfo", [out]).stdout).udfrev).toBe("2.50");
  const bad = await cli("mkiso", src, "-o", join(work, "bad.iso"), "--udf", "3.00");
  expect(bad.code).not.toBe(0);
  expect(bad.stderr).toMatch(/UDF revision/);
});
