/** The reader on hostile input, safe extraction, and multisession building. */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MalformedDataError } from "@discforge/errors";
import { BytesBlockSource, ExtractLimitError, extractImage, FileSystemImage, importSession, IsoReader, planImage, streamImage, type IsoPlanOptions } from "../src/index.js";
import { genTiny, manifest, removeDir, requireTool, run, tempDir } from "./helpers.js";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
let work: string;
beforeAll(() => {
  work = tempDir("reader");
});
afterAll(() => removeDir(work));

async function bytesOf(image: FileSystemImage, options: IsoPlanOptions = {}): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const c of streamImage(planImage(image, options))) chunks.push(c);
  return Buffer.concat(chunks);
}

function small(): FileSystemImage {
  const img = new FileSystemImage({ date: new Date("2020-01-01T00:00:00Z") });
  img.addFile("/a.txt", enc("alpha"));
  img.addFile("/sub/b.txt", enc("beta"));
  img.addSymlink("/e", "sub");
  img.addDevice("/tty", "char", 5, 0);
  return img;
}

/** Offset of the directory record whose ISO identifier is `id` inside the extent at `lba`. */
function findRecord(bytes: Buffer, lba: number, id: string): number {
  for (let off = lba * 2048; off < (lba + 1) * 2048 && bytes[off]! > 0; off += bytes[off]!) {
    if (bytes.subarray(off + 33, off + 33 + bytes[off + 32]!).toString("latin1") === id) return off;
  }
  throw new Error(`no record ${id}`);
}

async function walkAll(bytes: Uint8Array): Promise<string[]> {
  const r = await IsoReader.open(new BytesBlockSource(bytes));
  const out: string[] = [];
  for await (const [p] of r.walk()) out.push(p);
  return out;
}

describe("hostile images", () => {
  it("a directory that points back at the root is a cycle, not a hang", async () => {
    const bytes = await bytesOf(small(), { joliet: false });
    const rootLba = bytes.readUInt32LE(16 * 2048 + 158);
    const sub = findRecord(bytes, rootLba, "SUB");
    bytes.writeUInt32LE(rootLba, sub + 2);
    bytes.writeUInt32BE(rootLba, sub + 6);
    await expect(walkAll(bytes)).rejects.toThrow(/reuses a directory extent/);
  });

  it("a directory whose first two records are not \".\" and \"..\" is refused, not read with an entry dropped", async () => {
    const bytes = await bytesOf(small(), { joliet: false, rockRidge: false });
    const rootLba = bytes.readUInt32LE(16 * 2048 + 158);
    const subLba = bytes.readUInt32LE(findRecord(bytes, rootLba, "SUB") + 2);
    // The ".." record of /SUB is the second: make its identifier "X" (a file's name, in that place).
    const dotdot = subLba * 2048 + bytes[subLba * 2048]!;
    expect(bytes[dotdot + 33]).toBe(1);
    const patched = Buffer.from(bytes);
    patched[dotdot + 33] = 0x58;
    await expect(walkAll(patched)).rejects.toThrow(new RegExp(`ECMA-119 6.8.2.2 directory at offset ${dotdot}: record 2 is not the directory's ".." record`));
    // Unpatched, the same image reads whole.
    expect(await walkAll(bytes)).toContain("/SUB/B.TXT");
  });

  it("a continuation area that continues into itself is a loop", async () => {
    const img = small();
    img.addFile("/" + "x".repeat(200), enc("long name, entries continued"));
    const bytes = await bytesOf(img, { joliet: false });
    const at = bytes.indexOf(Buffer.from([0x43, 0x45, 0x1c, 0x01]), 19 * 2048);
    expect(at).toBeGreaterThan(0);
    const block = bytes.readUInt32LE(at + 4);
    const offset = bytes.readUInt32LE(at + 12);
    // Make the continuation area start with a CE pointing at itself.
    const target = block * 2048 + offset;
    bytes.copy(bytes, target, at, at + 28);
    bytes.set([0x53, 0x54, 0x04, 0x01], target + 28); // ST: nothing else in that area
    await expect(walkAll(bytes)).rejects.toThrow(/loop/);
  });

  it("extents past the end of the volume and oversized directories are refused", async () => {
    const bytes = await bytesOf(small(), { joliet: false, rockRidge: false });
    const rootLba = bytes.readUInt32LE(16 * 2048 + 158);
    const a = findRecord(bytes, rootLba, "A.TXT;1");
    bytes.writeUInt32LE(0x7fff_0000, a + 10);
    bytes.writeUInt32BE(0x7fff_0000, a + 14);
    const r = await IsoReader.open(new BytesBlockSource(bytes));
    const entry = await r.stat("/A.TXT");
    await expect(async () => {
      for await (const _ of r.read(entry)) void _;
    }).rejects.toThrow(MalformedDataError);
    const sub = findRecord(bytes, rootLba, "SUB");
    bytes.writeUInt32LE(0x7000_0000, sub + 10);
    bytes.writeUInt32BE(0x7000_0000, sub + 14);
    await expect(r.list("/SUB")).rejects.toThrow(/exceeds the/);
  });

  it("a truncated image or a missing terminator is malformed", async () => {
    const bytes = await bytesOf(small());
    await expect(IsoReader.open(new BytesBlockSource(bytes.subarray(0, 17 * 2048)))).rejects.toThrow(MalformedDataError);
    const noTerm = Buffer.from(bytes);
    for (let s = 17; s < 24; s++) noTerm.fill(0, s * 2048, (s + 1) * 2048);
    await expect(IsoReader.open(new BytesBlockSource(noTerm))).rejects.toThrow(/standard identifier/);
    const badSize = Buffer.from(bytes);
    badSize.writeUInt16LE(512, 16 * 2048 + 128);
    badSize.writeUInt16BE(512, 16 * 2048 + 130);
    await expect(IsoReader.open(new BytesBlockSource(badSize))).rejects.toThrow(/logical block size 512/);
  });
});

describe("extract", () => {
  it("round-trips a tree from disk with permissions, links and contents; skips device nodes", async () => {
    const src = join(work, "src");
    mkdirSync(src);
    genTiny(src);
    const img = new FileSystemImage();
    img.addTree(src);
    img.addDevice("/dev-node", "block", 8, 0);
    const r = await IsoReader.open(new BytesBlockSource(await bytesOf(img)));
    const out = join(work, "out");
    const result = await extractImage(r, out);
    expect(result.skipped).toEqual([{ path: "/dev-node", reason: "block device node" }]);
    expect([...manifest(out, true)]).toEqual([...manifest(src, true)]);
  });

  it("refuses names that would escape the destination and writes nothing outside", async () => {
    const img = new FileSystemImage({ date: new Date("2020-01-01T00:00:00Z") });
    img.addFile("/ee", enc("payload"));
    const bytes = await bytesOf(img, { joliet: false });
    // Rename "ee" to ".." in its Rock Ridge NM entry (NM, LEN 7, version 1, flags 0, "ee").
    const nm = bytes.indexOf(Buffer.from([0x4e, 0x4d, 0x07, 0x01, 0x00, 0x65, 0x65]));
    expect(nm).toBeGreaterThan(0);
    const patched = Buffer.from(bytes);
    patched.set([0x2e, 0x2e], nm + 5);
    const dest = join(work, "escape", "inner");
    await expect(extractImage(await IsoReader.open(new BytesBlockSource(patched)), dest)).rejects.toThrow(/unsafe component/);
    expect(existsSync(join(work, "escape", "ee"))).toBe(false);
    expect(existsSync(join(work, "escape", "payload"))).toBe(false);
  });

  it("stops at the byte limit before the file that would pass it: names sharing one extent claim far more than the image holds", async () => {
    const img = new FileSystemImage({ date: new Date("2020-01-01T00:00:00Z") });
    const data = new Uint8Array(65536).map((_, i) => i % 251);
    img.addFile("/f000", data);
    for (let i = 1; i < 100; i++) img.addHardLink(`/f${String(i).padStart(3, "0")}`, "/f000");
    const bytes = await bytesOf(img);
    expect(bytes.length).toBeLessThan(200_000); // 100 names of 64 KiB: 6.4 MB claimed
    const dest = join(work, "limit");
    const failure = await extractImage(await IsoReader.open(new BytesBlockSource(bytes)), dest, { maxBytes: 1 << 20 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ExtractLimitError);
    expect(failure).toMatchObject({ path: "/f016", size: 65536, written: 1 << 20, limit: 1 << 20 });
    const written = readdirSync(dest).sort();
    expect(written).toEqual(Array.from({ length: 16 }, (_, i) => `f${String(i).padStart(3, "0")}`));
    for (const name of written) expect(Buffer.compare(readFileSync(join(dest, name)), Buffer.from(data))).toBe(0);
    // Without a limit the same image extracts whole.
    const whole = await extractImage(await IsoReader.open(new BytesBlockSource(bytes)), join(work, "no-limit"));
    expect(whole).toMatchObject({ files: 100, bytes: 100 * 65536 });
  });

  it("a symbolic link and a directory under one name cannot redirect a write", async () => {
    const img = new FileSystemImage({ date: new Date("2020-01-01T00:00:00Z") });
    img.addFile("/d/f", enc("inside"));
    img.addSymlink("/e", join(work, "outside"));
    const bytes = await bytesOf(img, { joliet: false });
    // Rename the link "e" to "d" (same length NM), so it collides with the directory.
    const nm = bytes.indexOf(Buffer.from([0x4e, 0x4d, 0x06, 0x01, 0x00, 0x65]));
    bytes[nm + 5] = 0x64;
    mkdirSync(join(work, "outside"));
    await expect(extractImage(await IsoReader.open(new BytesBlockSource(bytes)), join(work, "collide"))).rejects.toThrow(/appears twice/);
    expect(existsSync(join(work, "outside", "f"))).toBe(false);
    expect(readFileSync(join(work, "collide", "d", "f"), "utf8")).toBe("inside");
  });
});

describe("multisession", () => {
  it("a second session imports the first, replaces, adds and removes files; old data is not rewritten", async () => {
    const first = new FileSystemImage({ date: new Date("2020-01-01T00:00:00Z") });
    first.addFile("/keep.txt", enc("unchanged"));
    first.addFile("/replace.txt", enc("old"));
    first.addFile("/dir/gone.txt", enc("to be removed"));
    const s1 = await bytesOf(first);
    const r1 = await IsoReader.open(new BytesBlockSource(s1));
    const second = new FileSystemImage({ date: new Date("2021-01-01T00:00:00Z") });
    const imported = await importSession(r1, second);
    expect(imported).toMatchObject({ files: 3, directories: 1, volumeEnd: s1.length / 2048 });
    second.addFile("/replace.txt", enc("new contents"), {}, { overwrite: true });
    second.addFile("/added.txt", enc("added"));
    second.remove("/dir/gone.txt");
    const plan = planImage(second, { startLba: imported.volumeEnd });
    const chunks: Uint8Array[] = [];
    for await (const c of streamImage(plan)) chunks.push(c);
    const s2 = Buffer.concat(chunks);
    // The new session holds only the new data: far less than rewriting keep.txt would need.
    expect(plan.sectorCount).toBe(s2.length / 2048);
    const disc = Buffer.concat([s1, s2]);
    const r2 = await IsoReader.open(new BytesBlockSource(disc), { sessionStart: imported.volumeEnd });
    const files: Record<string, string> = {};
    for await (const [p, e] of r2.walk()) if (e.type === "file") files[p] = new TextDecoder().decode(await r2.readFile(p));
    expect(files).toEqual({ "/added.txt": "added", "/keep.txt": "unchanged", "/replace.txt": "new contents" });
    expect((await r2.stat("/keep.txt")).extents).toEqual((await r1.stat("/keep.txt")).extents);
    expect(r2.primary.volumeSpaceSize).toBe(disc.length / 2048);
    // xorriso reads the second session from its start address and sees the same tree.
    requireTool("xorriso", "xorriso");
    const file = join(work, "multi.iso");
    writeFileSync(file, disc);
    const out = join(work, "multi-x");
    run("xorriso", ["-osirrox", "on", "-load", "sbsector", String(imported.volumeEnd), "-indev", file, "-extract", "/", out]);
    expect(Object.fromEntries([...manifest(out)].filter(([, e]) => e.type === "file").map(([p]) => [p, readFileSync(join(out, p), "utf8")]))).toEqual(files);
  });
});
