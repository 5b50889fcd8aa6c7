/** The reader on hostile input, safe extraction, and multisession building. */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MalformedDataError } from "@discforge/errors";
import { BytesBlockSource, encodeCE, encodeEntry, ExtractLimitError, extractImage, FileSystemImage, importSession, IsoReader, planImage, streamImage, systemUseOffset, type IsoPlanOptions, type Namespace } from "../src/index.js";
import { CountingSource, genTiny, manifest, removeDir, requireTool, run, tempDir } from "./helpers.js";

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

/** Image offset and identifier (latin1) of every directory record in the extent at `lba`. */
function recordsIn(bytes: Buffer, lba: number, length: number): { offset: number; id: string }[] {
  const out: { offset: number; id: string }[] = [];
  for (let off = lba * 2048; off < lba * 2048 + length; ) {
    if (bytes[off] === 0) {
      off = (Math.floor(off / 2048) + 1) * 2048;
      continue;
    }
    out.push({ offset: off, id: bytes.subarray(off + 33, off + 33 + bytes[off + 32]!).toString("latin1") });
    off += bytes[off]!;
  }
  return out;
}

/** A Joliet identifier (UCS-2 big-endian) as the latin1 string recordsIn gives. */
const jolietId = (name: string): string => [...name].map((c) => "\0" + c).join("");

/** Writes a both-endian 32-bit field. */
function setBoth32(bytes: Buffer, at: number, value: number): void {
  bytes.writeUInt32LE(value, at);
  bytes.writeUInt32BE(value, at + 4);
}

/** One operation's read budget, as the reader documents it: twice the volume, plus 1 MiB. */
const readBudgetOf = (bytes: Uint8Array): number => 2 * bytes.length + (1 << 20);

async function walkAll(bytes: Uint8Array): Promise<string[]> {
  return walkPaths(await IsoReader.open(new BytesBlockSource(bytes)));
}

async function walkPaths(r: IsoReader): Promise<string[]> {
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

  it("a file's data begins after its extended attribute record (ECMA-119 9.1.2)", async () => {
    const img = new FileSystemImage({ date: new Date("2020-01-01T00:00:00Z") });
    img.addFile("/a.txt", enc("alpha"));
    img.addFile("/b.txt", enc("bravo"));
    const bytes = await bytesOf(img, { joliet: false, rockRidge: false });
    const rootLba = bytes.readUInt32LE(16 * 2048 + 158);
    const b = findRecord(bytes, rootLba, "B.TXT;1");
    const dataLba = bytes.readUInt32LE(b + 2);
    // The same data, recorded as an extent that opens with a one-block extended attribute record.
    const patched = Buffer.from(bytes);
    patched[b + 1] = 1;
    patched.writeUInt32LE(dataLba - 1, b + 2);
    patched.writeUInt32BE(dataLba - 1, b + 6);
    const r = await IsoReader.open(new BytesBlockSource(patched));
    expect(new TextDecoder().decode(await r.readFile("/B.TXT"))).toBe("bravo");
    expect((await r.stat("/B.TXT")).extents).toEqual([{ lba: dataLba, length: 5 }]);
  });

  it("an error about a root directory names its record in the volume descriptor, at the session's and the namespace's offset", async () => {
    const bytes = await bytesOf(small(), { joliet: true });
    // Two sessions' worth of offset: the same image read with its descriptors 100 sectors on.
    const shifted = Buffer.concat([Buffer.alloc(100 * 2048), bytes]);
    const svdLba = 100 + 17; // primary at 16, Joliet's supplementary descriptor next
    expect(shifted[svdLba * 2048]).toBe(2);
    // Make the Joliet root claim far more than the volume holds.
    shifted.writeUInt32LE(0x7fff_0000, svdLba * 2048 + 156 + 10);
    shifted.writeUInt32BE(0x7fff_0000, svdLba * 2048 + 156 + 14);
    const r = await IsoReader.open(new BytesBlockSource(shifted), { sessionStart: 100, namespace: "joliet" });
    await expect(r.list("/")).rejects.toThrow(new RegExp(`at offset ${svdLba * 2048 + 156}:`));
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

describe("read budget", () => {
  it("directories that overlap one region are refused once a walk has read twice the volume, not read hundreds of times over", async () => {
    const regionSectors = 1500;
    const names = Array.from({ length: 300 }, (_, i) => `d${String(i).padStart(4, "0")}`);
    const img = new FileSystemImage({ date: new Date("2020-01-01T00:00:00Z") });
    for (const n of names) img.addDirectory("/" + n);
    img.addFile("/region", new Uint8Array(regionSectors * 2048));
    const bytes = await bytesOf(img);
    const trees = [
      { descriptor: 16, id: (n: string): string => n.toUpperCase(), file: "REGION.;1" },
      { descriptor: 17, id: jolietId, file: jolietId("region;1") },
    ] as const;
    for (const t of trees) {
      const rootLba = bytes.readUInt32LE(t.descriptor * 2048 + 158);
      const records = new Map(recordsIn(bytes, rootLba, bytes.readUInt32LE(t.descriptor * 2048 + 166)).map((r) => [r.id, r.offset]));
      const region = bytes.readUInt32LE(records.get(t.file)! + 2);
      // The region's last sector becomes an empty directory ("." and ".."); the zero sectors
      // before it hold no records. So directory i, from i sectors into the region to its end, is
      // a valid empty directory: each is distinct, and all of them together are regionSectors^2/2.
      const emptyDir = bytes.readUInt32LE(records.get(t.id(names[0]!))! + 2);
      bytes.copy(bytes, (region + regionSectors - 1) * 2048, emptyDir * 2048, (emptyDir + 1) * 2048);
      names.forEach((n, i) => {
        const at = records.get(t.id(n))!;
        setBoth32(bytes, at + 2, region + i);
        setBoth32(bytes, at + 10, (regionSectors - i) * 2048);
      });
    }
    const claimed = names.reduce((sum, _, i) => sum + (regionSectors - i) * 2048, 0);
    expect(claimed).toBeGreaterThan(150 * bytes.length);

    for (const [namespace, descriptor] of [["rockridge", 16], ["iso9660", 16], ["joliet", 17]] as const) {
      const source = new CountingSource(new BytesBlockSource(bytes));
      const r = await IsoReader.open(source, { namespace });
      const rootLba = bytes.readUInt32LE(descriptor * 2048 + 158);
      const rootLength = bytes.readUInt32LE(descriptor * 2048 + 166);
      const records = new Map(recordsIn(bytes, rootLba, rootLength).map((x) => [x.id, x.offset]));
      // The walk reads the root, then the directories in name order, until one would pass the budget.
      let spent = Math.ceil(rootLength / 2048) * 2048;
      let first = 0;
      while (spent + (regionSectors - first) * 2048 <= readBudgetOf(bytes)) spent += (regionSectors - first++) * 2048;
      const id = namespace === "joliet" ? jolietId(names[first]!) : names[first]!.toUpperCase();
      const opened = source.requested;
      await expect(walkPaths(r)).rejects.toMatchObject({
        name: "MalformedDataError",
        structure: "ECMA-119 directory hierarchy",
        offset: records.get(id),
        message: expect.stringMatching(/directories overlap: .* read budget of one operation/),
      });
      expect(source.requested - opened).toBe(spent);
      expect(source.requested).toBeLessThan(3 * bytes.length);
    }

    // Each operation has a budget of its own: listing the longest directory again and again is fine.
    const r = await IsoReader.open(new BytesBlockSource(bytes));
    for (let i = 0; i < 8; i++) expect(await r.list("/d0000")).toEqual([]);
    expect((await r.stat("/d0299")).size).toBe((regionSectors - 299) * 2048);
    await expect(extractImage(r, join(work, "overlap"))).rejects.toThrow(/directories overlap/);
    await expect(importSession(r, new FileSystemImage())).rejects.toThrow(/directories overlap/);
  });

  it("entries whose continuation areas all lead into one chain of areas are refused once a walk or a lookup has read twice the volume", async () => {
    const chainSectors = 64; // the most continuation areas one record may chain
    const img = new FileSystemImage({ date: new Date("2020-01-01T00:00:00Z") });
    // Long names: each record continues in a continuation area.
    for (let i = 0; i < 2000; i++) img.addFile(`/${String(i).padStart(4, "0")}${"x".repeat(200)}`, new Uint8Array(0));
    img.addFile("/chain", new Uint8Array(chainSectors * 2048));
    // So that the budget's fixed 1 MiB is small beside the volume.
    img.addFile("/filler", new Uint8Array(4 << 20));
    const bytes = await bytesOf(img, { joliet: false });
    const rootLba = bytes.readUInt32LE(16 * 2048 + 158);
    const rootLength = bytes.readUInt32LE(16 * 2048 + 166);
    const records = recordsIn(bytes, rootLba, rootLength);
    const chain = bytes.readUInt32LE(records.find((x) => x.id === "CHAIN.;1")!.offset + 2);
    // Sector k of the chain: padding, then a CE entry leading to sector k + 1 (the last, padding only).
    const padding = encodeEntry("PD", 1, new Uint8Array(251));
    const ceInSector = 7 * padding.length;
    for (let k = 0; k < chainSectors; k++) {
      const at = (chain + k) * 2048;
      for (let p = 0; p < 7; p++) bytes.set(padding, at + p * padding.length);
      bytes.set(k + 1 < chainSectors ? encodeCE({ block: chain + k + 1, offset: 0, length: 2048 }) : padding, at + ceInSector);
    }
    // Every record's own CE entry now leads into the chain.
    const ceOfRecord: number[] = [];
    for (const { offset } of records.slice(2)) {
      const end = offset + bytes[offset]!;
      for (let e = offset + systemUseOffset(bytes[offset + 32]!); e + 4 <= end && bytes[e] !== 0; e += bytes[e + 2]!) {
        if (bytes.toString("latin1", e, e + 2) !== "CE") continue;
        bytes.set(encodeCE({ block: chain, offset: 0, length: 2048 }), e);
        ceOfRecord.push(e);
      }
    }
    expect(ceOfRecord).toHaveLength(2000);
    const claimed = ceOfRecord.length * chainSectors * 2048;
    expect(claimed).toBeGreaterThan(50 * bytes.length);

    // Each area read costs a sector: the walk reads the root, then 64 areas per record, until one would pass the budget.
    const affordable = (readBudgetOf(bytes) - Math.ceil(rootLength / 2048) * 2048) / 2048;
    const record = Math.floor(affordable / chainSectors);
    const hop = affordable % chainSectors;
    const ceAt = hop === 0 ? ceOfRecord[record]! : (chain + hop - 1) * 2048 + ceInSector;
    const refusal = { name: "MalformedDataError", structure: "SUSP 5.1 continuation area", offset: ceAt, message: expect.stringMatching(/continuation areas overlap: .* read budget of one operation/) };

    const source = new CountingSource(new BytesBlockSource(bytes));
    const r = await IsoReader.open(source);
    expect(r.namespace).toBe("rockridge");
    const opened = source.requested;
    await expect(walkPaths(r)).rejects.toMatchObject(refusal);
    expect(source.requested - opened).toBeLessThanOrEqual(readBudgetOf(bytes));
    expect(source.requested).toBeLessThan(3 * bytes.length);
    // A lookup lists the root as the walk does, within a budget of its own.
    await expect(r.stat("/filler")).rejects.toMatchObject(refusal);
    await expect(r.readFile("/chain")).rejects.toMatchObject(refusal);
    // The plain ISO 9660 tree does not read System Use areas.
    expect(await walkPaths(await IsoReader.open(new BytesBlockSource(bytes), { namespace: "iso9660" }))).toHaveLength(2002);
  });

  it("a large legitimate image walks whole within the budget in every namespace: long Rock Ridge names, relocated deep directories, Joliet", async () => {
    const img = new FileSystemImage({ date: new Date("2020-01-01T00:00:00Z") });
    const paths: string[] = [];
    const add = (p: string): void => {
      img.addFile(p, new Uint8Array(0));
      paths.push(p);
    };
    for (let i = 0; i < 2400; i++) add(`/dir-${String(i % 24).padStart(2, "0")}/${"long-name-".repeat(18)}${i}.txt`);
    // Directories 12 levels deep, in several branches: Rock Ridge relocates those past level 8.
    for (let b = 0; b < 30; b++) {
      let dir = `/deep-${b}`;
      for (let level = 2; level <= 12; level++) {
        dir += `/${"level-".repeat(20)}${level}`;
        add(`${dir}/${"file-".repeat(30)}${level}`);
      }
    }
    const bytes = await bytesOf(img);
    const expected = new Set<string>();
    for (const p of paths) for (let at = p.indexOf("/", 1); at !== -1; at = p.indexOf("/", at + 1)) expected.add(p.slice(0, at));
    for (const p of paths) expected.add(p);
    expect(expected.size).toBeGreaterThan(3000);

    for (const namespace of ["rockridge", "joliet", "iso9660"] satisfies Namespace[]) {
      const source = new CountingSource(new BytesBlockSource(bytes));
      const r = await IsoReader.open(source, { namespace });
      const opened = source.requested;
      const walked = await walkPaths(r);
      if (namespace === "rockridge") expect(walked.sort()).toEqual([...expected].sort());
      else if (namespace === "joliet") expect(walked).toHaveLength(expected.size); // names cut to 64 characters
      else {
        // The ISO 9660 tree shows the relocation: each branch's level 9 moved into "_RR_MOVED",
        // and a placeholder file where it was.
        expect(walked.filter((p) => /^\/_RR_MOVED\/[^/]+$/.test(p))).toHaveLength(30);
        expect(walked).toHaveLength(expected.size + 1 + 30);
      }
      expect(source.requested - opened).toBeLessThan(readBudgetOf(bytes));
    }
    // Concurrent walks of one reader have a budget each (together they read more than one holds).
    const r = await IsoReader.open(new BytesBlockSource(bytes));
    for (const walked of await Promise.all(Array.from({ length: 4 }, () => walkPaths(r)))) expect(walked).toHaveLength(expected.size);
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
