/**
 * Bridged ISO 9660 + UDF images from generated trees, for every UDF revision, read by independent
 * tools: udfinfo (udftools), udfdump (udfclient), 7z (7zip), pycdlib (python3-pycdlib), and by
 * our own reader and the ISO side. Each tool must be installed: a missing one fails the test.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { IsoReader } from "../../src/index.js";
import { UdfReader } from "../../src/udf/index.js";
import { genDeep, genManySmall, genTiny, genTorture, manifest, removeDir, requirePycdlib, requireTool, run, sha256, tempDir, type Manifest } from "../helpers.js";
import { ALL_REVISIONS, buildUdfImage, isoExtents, parseUdfdump, parseUdfinfo, readUdfManifest, udfManifest } from "./helpers.js";

const PYCDLIB_UDF = join(import.meta.dirname, "pycdlib-udf-walk.py");

let work: string;
let tiny: string;
let torture: string;
let many: string;
let deep: string;
const sorted = (m: Manifest): [string, unknown][] => [...m].sort(([a], [b]) => (a < b ? -1 : 1));

beforeAll(() => {
  requireTool("udfinfo", "udftools");
  requireTool("udfdump", "udfclient");
  requireTool("7zz", "7zip");
  requirePycdlib();
  work = tempDir("udf-tools");
  tiny = join(work, "tiny");
  torture = join(work, "torture");
  many = join(work, "many");
  deep = join(work, "deep");
  for (const d of [tiny, torture, many, deep]) mkdirSync(d);
  genDeep(deep, 12);
  genTiny(tiny);
  genTorture(torture);
  genManySmall(many, 150);
});
afterAll(() => removeDir(work));

describe.each(ALL_REVISIONS)("UDF %s", (revision) => {
  it("tiny tree (symlink, hard link, empty file and directory): udfinfo, udfdump, our reader, the ISO side", async () => {
    const out = join(work, `tiny-${revision}.iso`);
    // udfdump refuses images under about 300 sectors: a 1 MiB file makes it big enough.
    await buildUdfImage(tiny, out, { revision }, {}, (img) => img.addFile("/filler.bin", new Uint8Array(1 << 20).fill(0x5a)));
    const info = parseUdfinfo(run("udfinfo", [out]).stdout);
    expect(info.udfrev).toBe(revision === "2.60" ? "2.50" : revision); // 2.60 media: minimum read revision 2.50
    expect(info.udfwriterev).toBe(revision);
    expect(info.integrity).toBe("closed");
    expect(info.accesstype).toBe("readonly");
    // Files: hello.txt, readme.md, data.bin, empty, link-to-readme, hardlink.txt; dirs: root, docs, emptydir.
    expect(info.numfiles).toBe("7");
    expect(info.numdirs).toBe("3");
    expect(Number(info.blocks)).toBe(Number(run("stat", ["-c", "%s", out]).stdout) / 2048);

    const expected = manifest(tiny);
    expected.set("/filler.bin", { type: "file", size: 1 << 20, sha256: sha256(new Uint8Array(1 << 20).fill(0x5a)) });
    const dumped = parseUdfdump(run("udfdump", ["-b", "2048", "-t", out]).stdout);
    expect(dumped.every((p) => expected.has(p))).toBe(true);
    expect(dumped.filter((p) => expected.get(p)!.type !== "directory").sort()).toEqual([...expected].filter(([, e]) => e.type !== "directory").map(([p]) => p).sort());

    expect(sorted(await readUdfManifest(out))).toEqual(sorted(expected));
    const r = await UdfReader.open(out);
    expect((await r.stat("/docs/hardlink.txt")).links).toBe(2);
    expect((await r.stat("/docs/hardlink.txt")).serial).toBe((await r.stat("/hello.txt")).serial);
    expect(r.volume.metadataPartition).toBe(revision >= "2.50");
    // Bridge: UDF and ISO 9660 point at the same data extent.
    const udfData = (await r.stat("/docs/data.bin")).extents.map((e) => e.lba);
    await r.close();
    expect(udfData).toEqual(await isoExtents(out, "/docs/data.bin"));
    const iso = await IsoReader.open(out);
    expect((await iso.list("/docs")).map((e) => e.name).sort()).toEqual(["data.bin", "hardlink.txt", "readme.md"]);
    await iso.close();
  });

  it("torture names, many small files, 12 levels deep: 7z extracts byte-identical trees, our reader agrees", async () => {
    for (const [name, src] of [["torture", torture], ["many", many], ["deep", deep]] as const) {
      const out = join(work, `${name}-${revision}.iso`);
      await buildUdfImage(src, out, { revision });
      const expected = udfManifest(manifest(src));
      const dest = join(work, `x-${name}-${revision}`);
      run("7zz", ["x", "-tudf", "-y", `-o${dest}`, out]);
      expect(sorted(manifest(dest))).toEqual(sorted(expected));
      expect(sorted(await readUdfManifest(out))).toEqual(sorted(expected));
      expect(readdirSync(dest).length).toBeGreaterThan(0);
      removeDir(dest);
    }
  });

  it("pycdlib reads the UDF tree (File Entries, no metadata partition: what pycdlib 1.12 supports)", async () => {
    const out = join(work, `py-${revision}.iso`);
    await buildUdfImage(torture, out, { revision, metadataPartition: false, extendedFileEntries: false });
    const seen = new Map(Object.entries(JSON.parse(run("/usr/bin/python3", [PYCDLIB_UDF, out]).stdout) as Record<string, { type: "file" | "directory"; size?: number; sha256?: string }>));
    expect(sorted(seen)).toEqual(sorted(udfManifest(manifest(torture))));
  });
});

it("El Torito boot record and catalog still work with UDF on", async () => {
  const { bootExtension } = await import("../../src/boot/index.js");
  const { FileSystemImage, planImage, writeImageFile } = await import("../../src/index.js");
  const img = new FileSystemImage({ date: new Date("2024-01-01T00:00:00Z") });
  img.addTree(torture);
  const boot = new Uint8Array(2048);
  boot[510] = 0x55;
  boot[511] = 0xaa;
  img.addFile("/boot/boot.img", boot);
  const plan = planImage(img, { udf: { revision: "2.01" }, extensions: [bootExtension(img, { images: [{ path: "boot/boot.img", loadSectors: 4 }], catalogPath: "boot/boot.cat" })] });
  const out = join(work, "boot-udf.iso");
  await writeImageFile(plan, out);
  const iso = await IsoReader.open(out);
  expect(iso.bootRecords).toHaveLength(1);
  await iso.close();
  expect(parseUdfinfo(run("udfinfo", [out]).stdout).udfrev).toBe("2.01");
  const m = await readUdfManifest(out);
  expect(m.get("/boot/boot.img")).toMatchObject({ type: "file", size: 2048 });
  expect(m.has("/boot/boot.cat")).toBe(true);
  expect(run("7zz", ["l", "-tudf", out]).stdout).toMatch(/boot\.img/);
});
