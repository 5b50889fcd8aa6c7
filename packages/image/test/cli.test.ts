/** The mkiso, ls and extract commands, run in-process. */
import { mkdirSync, readFileSync, statfsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliWithEnv } from "../../cli/test/helpers.js";
import { byteLimit } from "../../cli/src/commands/extract.js";
import { IsoReader } from "../src/index.js";
import { genTiny, manifest, removeDir, requireTool, run, sha256, tempDir } from "./helpers.js";

const cli = (...argv: string[]) => cliWithEnv({ SOURCE_DATE_EPOCH: "1600000000" }, ...argv);

let work: string;
let src: string;
beforeAll(() => {
  work = tempDir("cli");
  src = join(work, "src");
  mkdirSync(src);
  genTiny(src);
});
afterAll(() => removeDir(work));

describe("discforge mkiso / ls / extract", () => {
  it("reports an output path that cannot be written as a failure naming it, not an internal error", async () => {
    const out = join(work, "no-such-dir", "x.iso");
    const r = await cli("mkiso", src, "-o", out);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`discforge mkiso: ${out}: cannot be written (ENOENT: no such file or directory, open '${out}')\n`);
    // A device that takes no data: the first write fails.
    const full = await cli("mkiso", src, "-o", "/dev/full");
    expect(full.code).toBe(1);
    expect(full.stderr).toMatch(/^discforge mkiso: \/dev\/full: cannot be written \(ENOSPC: no space left on device, write\)\n$/);
  });

  it("reports a boot image that cannot be read as a failure naming it, not an internal error", async () => {
    const missing = join(work, "no-such-boot.img");
    const r = await cli("mkiso", src, "-o", join(work, "boot-missing.iso"), "--boot-bios", missing);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`discforge mkiso: ${missing}: cannot be read (ENOENT: no such file or directory, open '${missing}')\n`);
  });

  it("builds an image with volume fields that xorriso reads back", async () => {
    const out = join(work, "a.iso");
    const r = await cli("mkiso", src, "extra/hello-again.txt=" + join(src, "hello.txt"), "-o", out, "-V", "MY_DISC", "--publisher", "ME", "--reproducible", "--json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { sectors: number; volumeId: string };
    expect(json.volumeId).toBe("MY_DISC");
    expect(readFileSync(out).length).toBe(json.sectors * 2048);
    const reader = await IsoReader.open(out);
    expect(reader.primary.publisherId).toBe("ME");
    expect(reader.primary.created?.toISOString()).toBe("2020-09-13T12:26:40.000Z");
    expect(new TextDecoder().decode(await reader.readFile("/extra/hello-again.txt"))).toBe("hello, world\n");
    await reader.close();
    requireTool("xorriso", "xorriso");
    expect(run("xorriso", ["-indev", out, "-pvd_info"]).stdout).toMatch(/Volume Id\s*: MY_DISC/);
    // The same command twice gives the same bytes (reproducible mode).
    const again = join(work, "b.iso");
    expect((await cli("mkiso", src, "extra/hello-again.txt=" + join(src, "hello.txt"), "-o", again, "-V", "MY_DISC", "--publisher", "ME", "--reproducible", "-q")).code).toBe(0);
    expect(sha256(readFileSync(again))).toBe(sha256(readFileSync(out)));
  });

  it("lists and extracts", async () => {
    const out = join(work, "c.iso");
    expect((await cli("mkiso", src, "-o", out, "--level", "1", "-q")).code).toBe(0);
    const ls = await cli("ls", out, "/docs");
    expect(ls.stdout.split("\n").filter(Boolean)).toEqual(["data.bin", "hardlink.txt", "readme.md"]);
    const long = await cli("ls", out, "-l", "-R");
    expect(long.stdout).toMatch(/^lrwxrwxrwx .* \/link-to-readme -> docs\/readme\.md$/m);
    const joliet = await cli("ls", out, "--namespace", "iso9660", "/DOCS");
    expect(joliet.stdout.split("\n").filter(Boolean)).toEqual(["DATA.BIN", "HARDLINK.TXT", "README.MD"]);
    const dest = join(work, "x");
    const ex = await cli("extract", out, dest, "--json");
    expect(ex.code).toBe(0);
    expect(JSON.parse(ex.stdout)).toMatchObject({ ok: true, files: 5, symlinks: 1 });
    expect([...manifest(dest, true)]).toEqual([...manifest(src, true)]);
  });

  it("extract stops before the file that would pass --max-bytes; the default limit is the destination's free space less a reserve", async () => {
    const out = join(work, "limit.iso");
    expect((await cli("mkiso", src, "-o", out, "-q")).code).toBe(0);
    const dest = join(work, "limited");
    const r = await cli("extract", out, dest, "--max-bytes", "1");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^discforge extract: \/\S+: \d+ bytes would take the extraction to \d+ bytes, past its limit of 1; stopped before writing it\n$/);
    expect(await cli("extract", out, join(work, "bad-limit"), "--max-bytes", "lots")).toMatchObject({ code: 2, stderr: expect.stringMatching(/--max-bytes: "lots" is not a size/) });
    expect((await cli("extract", out, join(work, "unlimited"), "--max-bytes", "none")).code).toBe(0);
    // Not there yet: the nearest existing parent's file system answers. Other tests write on it
    // meanwhile, so the figure is compared within 256 MiB.
    const fs = statfsSync(work);
    const free = (process.getuid?.() === 0 ? fs.bfree : fs.bavail) * fs.bsize;
    const expected = Math.max(0, free - Math.min(2 ** 30, (fs.blocks * fs.bsize) / 20));
    expect(Math.abs(byteLimit(undefined, join(work, "not", "yet"))! - expected)).toBeLessThan(256 * 2 ** 20);
    expect(byteLimit("2G", work)).toBe(2 * 1024 ** 3);
    expect(byteLimit("none", work)).toBeUndefined();
  });

  it("usage errors exit 2 with a clear message", async () => {
    expect(await cli("mkiso", src)).toMatchObject({ code: 2, stderr: expect.stringMatching(/--output/) });
    expect(await cli("mkiso", src, "-o", join(work, "d.iso"), "--level", "5")).toMatchObject({ code: 2, stderr: expect.stringMatching(/--level/) });
    expect(await cli("mkiso", src, "-o", join(work, "d.iso"), "--capacity", "10")).toMatchObject({ code: 2, stderr: expect.stringMatching(/capacity is 10/) });
    expect(await cli("ls", join(work, "missing.iso"))).toMatchObject({ code: 1, stderr: expect.stringMatching(/missing\.iso: cannot be read/) });
  });
});
