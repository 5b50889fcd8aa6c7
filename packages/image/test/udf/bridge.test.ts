/**
 * UDF together with the rest of an image: a hybrid MBR/GPT with an appended EFI system partition
 * (the GPT stays valid, UDF is read through its anchor at 256), and multisession (a second session
 * whose UDF and ISO trees hold the first session's files at their recorded extents).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BytesBlockSource, FileSystemImage, importSession, IsoReader, planImage, streamImage, writeImageFile } from "../../src/index.js";
import { bootExtension } from "../../src/boot/index.js";
import { UdfReader } from "../../src/udf/index.js";
import { genTorture, manifest, removeDir, requireTool, run, tempDir } from "../helpers.js";
import { parseUdfinfo, readUdfManifest, udfManifest } from "./helpers.js";

let work: string;
let src: string;
beforeAll(() => {
  requireTool("udfinfo", "udftools");
  requireTool("sgdisk", "gdisk");
  requireTool("sfdisk", "fdisk");
  work = tempDir("udf-bridge");
  src = join(work, "src");
  mkdirSync(src);
  genTorture(src);
});
afterAll(() => removeDir(work));

const sorted = <T>(m: Map<string, T>): [string, T][] => [...m].sort(([a], [b]) => (a < b ? -1 : 1));

it("hybrid MBR/GPT with an appended EFI partition: partition tables as without UDF, UDF and ISO trees intact", async () => {
  const build = async (udf: boolean): Promise<string> => {
    const img = new FileSystemImage({ date: new Date("2024-02-03T04:05:06Z") });
    img.addTree(src);
    const bios = new Uint8Array(2048);
    bios[510] = 0x55;
    bios[511] = 0xaa;
    img.addFile("/boot/bios.img", bios);
    const esp = new Uint8Array(1 << 20).fill(0xe5);
    const plan = planImage(img, {
      udf: udf ? { revision: "2.50" } : false,
      extensions: [bootExtension(img, { images: [{ path: "boot/bios.img", loadSectors: 4 }, { image: esp, platform: "efi", placement: "appended" }], hybrid: { diskSignature: 0x12345678, diskGuid: "01234567-89ab-cdef-0123-456789abcdef" } })],
    });
    const out = join(work, `hybrid-${udf ? "udf" : "iso"}.iso`);
    await writeImageFile(plan, out);
    return out;
  };
  const withUdf = await build(true);
  const without = await build(false);
  // sgdisk judges both hybrid layouts alike (isohybrid's MBR partition 1 spans the ISO on purpose).
  const diag = (f: string): string => run("sgdisk", ["-v", f], { allowStatus: [2] }).stdout.replaceAll(f, "IMAGE").replace(/\d+/g, "N");
  expect(diag(withUdf)).toBe(diag(without));
  const bytes = readFileSync(withUdf);
  expect(bytes.subarray(bytes.length - 512, bytes.length - 504).toString("latin1")).toBe("EFI PART"); // backup GPT header last
  expect(bytes.subarray(512, 520).toString("latin1")).toBe("EFI PART");
  const parts = run("sfdisk", ["-d", withUdf]).stdout;
  const esp = /start=\s*(\d+), size=\s*2048, type=ef/.exec(parts);
  expect(esp).not.toBeNull();
  expect(parts).toMatch(new RegExp(`start=\\s*0, size=\\s*${esp![1]},`)); // the ISO partition ends where the ESP begins
  expect(parseUdfinfo(run("udfinfo", [withUdf]).stdout).udfrev).toBe("2.50");
  const expected = udfManifest(manifest(src));
  const seen = await readUdfManifest(withUdf);
  expect(seen.get("/boot/bios.img")).toMatchObject({ type: "file", size: 2048 });
  seen.delete("/boot/bios.img");
  seen.delete("/boot");
  expect(sorted(seen)).toEqual(sorted(expected));
  const r = await UdfReader.open(withUdf);
  expect(r.volume.anchorLba).toBe(256);
  await r.close();
  const iso = await IsoReader.open(withUdf);
  expect(iso.bootRecords).toHaveLength(1);
  await iso.close();
});

it("multisession: the second session's UDF tree holds old and new files", async () => {
  const first = new FileSystemImage({ date: new Date("2024-01-01T00:00:00Z") });
  first.addFile("/old/a.txt", new TextEncoder().encode("first session\n"));
  first.addFile("/old/b.bin", new Uint8Array(70_000).map((_, i) => i * 7));
  const chunks: Uint8Array[] = [];
  for await (const c of streamImage(planImage(first, { udf: { revision: "2.01" } }))) chunks.push(c.slice());
  const s1 = Buffer.concat(chunks);

  const r1 = await UdfReader.open(new BytesBlockSource(s1));
  const next = new FileSystemImage({ date: new Date("2024-06-01T00:00:00Z") });
  const imported = await importSession(r1, next);
  expect(imported.files).toBe(2);
  next.addFile("/new.txt", new TextEncoder().encode("second session\n"));
  const startLba = imported.volumeEnd + 150; // a run-out gap like the one between CD sessions
  const chunks2: Uint8Array[] = [];
  for await (const c of streamImage(planImage(next, { udf: { revision: "2.01" }, startLba }))) chunks2.push(c.slice());
  const disc = Buffer.concat([s1, Buffer.alloc((startLba - s1.length / 2048) * 2048), ...chunks2]);
  writeFileSync(join(work, "multi.iso"), disc);

  const r2 = await UdfReader.open(new BytesBlockSource(disc), { sessionStart: startLba });
  expect(new TextDecoder().decode(await r2.readFile("/old/a.txt"))).toBe("first session\n");
  expect(await r2.readFile("/old/b.bin")).toEqual(new Uint8Array(70_000).map((_, i) => i * 7));
  expect(new TextDecoder().decode(await r2.readFile("/new.txt"))).toBe("second session\n");
  // The old data is referenced where the first session recorded it.
  expect((await r2.stat("/old/b.bin")).extents[0]!.lba).toBe((await r1.stat("/old/b.bin")).extents[0]!.lba);
  const iso = await IsoReader.open(new BytesBlockSource(disc), { sessionStart: startLba });
  expect(new TextDecoder().decode(await iso.readFile("/old/a.txt"))).toBe("first session\n");
  expect(readFileSync(join(work, "multi.iso")).length).toBe(disc.length);
});

it.each(["1.02", "2.50"] as const)("UDF %s: a file with more extents than a file entry holds continues in allocation extent descriptors", async (revision) => {
  const { RecordedContent } = await import("../../src/index.js");
  const { aedBlocksFor } = await import("../../src/udf/index.js");
  expect(aedBlocksFor(234, 234, 253)).toBe(0);
  expect(aedBlocksFor(235, 234, 253)).toBe(1);
  expect(aedBlocksFor(233 + 252 + 2, 234, 253)).toBe(2);
  // 700 one-sector extents recorded earlier at every other sector of a 1400-sector first area.
  const startLba = 1400;
  const earlier = Buffer.alloc(startLba * 2048);
  for (let s = 0; s < startLba; s++) earlier.fill(s & 0xff, s * 2048, (s + 1) * 2048);
  const extents = Array.from({ length: 700 }, (_, i) => ({ lba: 2 * i, length: 2048 }));
  const img = new FileSystemImage({ date: new Date("2024-01-01T00:00:00Z") });
  img.addFile("/fragmented.bin", new RecordedContent(700 * 2048, extents, "fragmented"));
  img.addFile("/small.txt", new TextEncoder().encode("small\n"));
  const chunks: Uint8Array[] = [];
  for await (const c of streamImage(planImage(img, { udf: { revision }, startLba }))) chunks.push(c.slice());
  const disc = Buffer.concat([earlier, ...chunks]);
  const r = await UdfReader.open(new BytesBlockSource(disc), { sessionStart: startLba });
  const e = await r.stat("/fragmented.bin");
  expect(e.extents.map((x) => x.lba)).toEqual(extents.map((x) => x.lba));
  const data = await r.readFile("/fragmented.bin");
  expect(Buffer.compare(data, Buffer.concat(extents.map((x) => earlier.subarray(x.lba * 2048, x.lba * 2048 + 2048))))).toBe(0);
  expect(new TextDecoder().decode(await r.readFile("/small.txt"))).toBe("small\n");
  await r.close();
  // The ISO side records the same 700 sections as a multi-extent file.
  const iso = await IsoReader.open(new BytesBlockSource(disc), { sessionStart: startLba });
  expect((await iso.stat("/fragmented.bin")).extents.map((x) => x.lba)).toEqual(extents.map((x) => x.lba));
  expect(Buffer.compare(await iso.readFile("/fragmented.bin"), data)).toBe(0);
  await iso.close();
});

it("reproducible: the same tree and date give byte-identical bridged images; openImageReader prefers UDF", async () => {
  const { createHash } = await import("node:crypto");
  const { openImageReader } = await import("../../src/udf/index.js");
  const digest = async (): Promise<string> => {
    const img = new FileSystemImage({ reproducible: true, env: { SOURCE_DATE_EPOCH: "1700000000" } });
    img.addTree(src);
    const h = createHash("sha256");
    for await (const c of streamImage(planImage(img, { udf: { revision: "2.60" } }))) h.update(c);
    return h.digest("hex");
  };
  const a = await digest();
  await new Promise((r) => setTimeout(r, 1100)); // a second later: nothing may depend on the clock
  expect(await digest()).toBe(a);
  const img = new FileSystemImage({ date: new Date(0) });
  img.addFile("/x", new Uint8Array(1));
  const chunks: Uint8Array[] = [];
  for await (const c of streamImage(planImage(img, { udf: true }))) chunks.push(c.slice());
  const reader = await openImageReader(new BytesBlockSource(Buffer.concat(chunks)));
  expect(reader.namespace).toBe("udf");
  const isoOnly = await openImageReader(new BytesBlockSource(Buffer.concat(chunks)), { fileSystem: "iso9660" });
  expect(isoOnly.namespace).not.toBe("udf");
});

it("device nodes carry a Device Specification extended attribute (ECMA-167 4/14.10.7)", async () => {
  const img = new FileSystemImage({ date: new Date("2024-01-01T00:00:00Z") });
  img.addDevice("/dev/sda", "block", 8, 0);
  img.addDevice("/dev/null", "char", 1, 3);
  img.addDevice("/dev/fifo", "fifo");
  img.addFile("/filler.bin", new Uint8Array(1 << 20));
  const out = join(work, "devices.iso");
  await writeImageFile(planImage(img, { udf: { revision: "2.01" } }), out);
  expect(parseUdfinfo(run("udfinfo", [out]).stdout).numfiles).toBe("4");
  const r = await UdfReader.open(out);
  const list = new Map((await r.list("/dev")).map((e) => [e.name, e]));
  expect(list.get("sda")).toMatchObject({ type: "block", device: { major: 8, minor: 0 } });
  expect(list.get("null")).toMatchObject({ type: "char", device: { major: 1, minor: 3 } });
  expect(list.get("fifo")).toMatchObject({ type: "fifo" });
  await r.close();
});
