/**
 * The UDF reader on images made by other tools (genisoimage -udf, pycdlib) and on hostile images:
 * bad tags, cycles, unsafe names, lost anchors and descriptor sequences, metadata mirror fallback.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MalformedDataError } from "@discforge/errors";
import { BytesBlockSource, extractImage, FileSystemImage, importSession, IsoReader, planImage } from "../../src/index.js";
import { sealDescriptor, decodeTag, UdfReader, encodeCs0 } from "../../src/udf/index.js";
import { genTiny, manifest, removeDir, requirePycdlib, requireTool, run, sha256, tempDir } from "../helpers.js";
import { buildUdfImage, readUdfManifest } from "./helpers.js";

let work: string;
let src: string;
beforeAll(() => {
  requireTool("genisoimage", "genisoimage");
  requirePycdlib();
  work = tempDir("udf-reader");
  src = join(work, "src");
  mkdirSync(src);
  genTiny(src);
});
afterAll(() => removeDir(work));

const sorted = <T>(m: Map<string, T>): [string, T][] => [...m].sort(([a], [b]) => (a < b ? -1 : 1));

describe("images made by other tools", () => {
  it("genisoimage -udf: names, sizes and contents match the source (it records no symlinks)", async () => {
    const out = join(work, "geniso.iso");
    run("genisoimage", ["-quiet", "-R", "-J", "-udf", "-o", out, src]);
    const expected = manifest(src);
    const seen = await readUdfManifest(out);
    for (const [p, e] of expected) {
      if (e.type === "symlink") continue;
      expect(seen.get(p), p).toEqual(e);
    }
    const r = await UdfReader.open(out);
    expect(r.volume.nsr).toBe("NSR02");
    expect(r.volume.revision).toBe(0x0102);
    await r.close();
  });

  it("pycdlib UDF 2.60 image: directory, files, empty file and symlink", async () => {
    const out = join(work, "pycdlib.iso");
    run("/usr/bin/python3", [join(import.meta.dirname, "pycdlib-udf-make.py"), out]);
    const seen = await readUdfManifest(out);
    const data = new Uint8Array(256 * 40).map((_, i) => i & 0xff);
    expect(sorted(seen)).toEqual(
      sorted(
        new Map<string, unknown>([
          ["/dir1", { type: "directory" }],
          ["/dir1/data.bin", { type: "file", size: data.length, sha256: sha256(data) }],
          ["/empty", { type: "file", size: 0, sha256: sha256(new Uint8Array(0)) }],
          ["/hello.txt", { type: "file", size: 19, sha256: sha256(new TextEncoder().encode("hello from pycdlib\n")) }],
          ["/link", { type: "symlink", target: "dir1/data.bin" }],
        ]),
      ),
    );
  });
});

describe("extract and multisession import through the UDF reader", () => {
  it("extracts a byte-identical tree and imports it as the previous session", async () => {
    const out = join(work, "x.iso");
    await buildUdfImage(src, out, { revision: "2.50" });
    const r = await UdfReader.open(out);
    const dest = join(work, "extracted");
    const res = await extractImage(r, dest);
    expect(res.symlinks).toBe(1);
    expect(sorted(manifest(dest))).toEqual(sorted(manifest(src)));
    const next = new FileSystemImage({ date: new Date("2025-01-01T00:00:00Z") });
    const imported = await importSession(r, next);
    expect(imported.files).toBe(5);
    expect(imported.volumeEnd).toBe(readFileSync(out).length / 2048);
    await r.close();
  });
});

/** Builds a small UDF image in memory. */
async function image(revision: "2.01" | "2.50", fill: (img: FileSystemImage) => void): Promise<Uint8Array> {
  const img = new FileSystemImage({ date: new Date("2024-01-01T00:00:00Z") });
  fill(img);
  const chunks: Uint8Array[] = [];
  const { streamImage } = await import("../../src/index.js");
  for await (const c of streamImage(planImage(img, { udf: { revision } }))) chunks.push(c.slice());
  return Buffer.concat(chunks);
}

function findFid(bytes: Uint8Array, name: string): number {
  const needle = Buffer.from(encodeCs0(name));
  const at = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).indexOf(needle);
  if (at < 38) throw new Error(`FID for ${name} not found`);
  return at - 38;
}

function reseal(bytes: Uint8Array, off: number): void {
  const t = decodeTag(bytes, off);
  sealDescriptor(bytes, off, t, t.descriptorCrcLength);
}

describe("hostile images", () => {
  it("a broken file entry tag is a MalformedDataError naming the structure and offset", async () => {
    const bytes = await image("2.01", (img) => img.addFile("/victim-file", new Uint8Array(10)));
    const r = await UdfReader.open(new BytesBlockSource(bytes));
    const fid = findFid(bytes, "victim-file");
    const lbn = new DataView(bytes.buffer, bytes.byteOffset + fid + 24, 4).getUint32(0, true);
    const lba = lbn + r.volume.partitions[0]!.partitionStartingLocation;
    bytes[lba * 2048 + 100] = bytes[lba * 2048 + 100]! ^ 0xff; // inside the uid/gid/permissions, covered by the CRC
    await expect(r.list("/")).rejects.toThrow(new RegExp(`file entry at offset ${lba * 2048 + 8}: descriptor CRC`));
  });

  it("a directory whose entry points back at an ancestor is a cycle, not a hang", async () => {
    const bytes = await image("2.01", (img) => img.addDirectory("/cycdir/inner"));
    const r0 = await UdfReader.open(new BytesBlockSource(bytes));
    const root = r0.volume.fileSet.rootDirectoryIcb.location.logicalBlockNumber;
    const fid = findFid(bytes, "inner");
    new DataView(bytes.buffer, bytes.byteOffset + fid + 24, 4).setUint32(0, root, true);
    reseal(bytes, fid);
    const r = await UdfReader.open(new BytesBlockSource(bytes));
    await expect(async () => {
      for await (const _ of r.walk()) void _;
    }).rejects.toThrow(/reuses a directory ICB/);
  });

  it("names that would escape (.., /) are refused", async () => {
    const bytes = await image("2.01", (img) => img.addFile("/ab", new Uint8Array(1)));
    const fid = findFid(bytes, "ab");
    bytes.set(Buffer.from(".."), fid + 39);
    reseal(bytes, fid);
    const r = await UdfReader.open(new BytesBlockSource(bytes));
    await expect(r.list("/")).rejects.toThrow(MalformedDataError);
    await expect(r.list("/")).rejects.toThrow(/unsafe name/);
  });

  it("a lost anchor at 256 falls back to the last sector; no anchor at all is an error", async () => {
    const bytes = await image("2.01", (img) => img.addFile("/f", new Uint8Array(3)));
    bytes[256 * 2048] = bytes[256 * 2048]! ^ 0xff;
    const r = await UdfReader.open(new BytesBlockSource(bytes));
    expect(r.volume.anchorLba).toBe(bytes.length / 2048 - 1);
    bytes[bytes.length - 2048] = bytes[bytes.length - 2048]! ^ 0xff;
    await expect(UdfReader.open(new BytesBlockSource(bytes))).rejects.toThrow(/anchor volume descriptor pointer/);
  });

  it("a damaged main descriptor sequence falls back to the reserve", async () => {
    const bytes = await image("2.01", (img) => img.addFile("/f", new Uint8Array(3)));
    const main = new DataView(bytes.buffer, bytes.byteOffset + 256 * 2048 + 20, 4).getUint32(0, true);
    bytes[(main + 3) * 2048 + 100] = bytes[(main + 3) * 2048 + 100]! ^ 0xff; // logical volume descriptor body
    const r = await UdfReader.open(new BytesBlockSource(bytes));
    expect((await r.readFile("/f")).length).toBe(3);
  });

  it("a damaged Metadata File entry falls back to its mirror (2.50)", async () => {
    const bytes = await image("2.50", (img) => img.addFile("/m", new Uint8Array([1, 2, 3])));
    const r0 = await UdfReader.open(new BytesBlockSource(bytes));
    const map = r0.volume.logicalVolume.partitionMaps[1]!;
    if (map.type !== 2 || map.kind !== "metadata") throw new Error("no metadata map");
    const at = (r0.volume.partitions[0]!.partitionStartingLocation + map.metadataFileLocation) * 2048 + 30;
    bytes[at] = bytes[at]! ^ 0xff;
    const r = await UdfReader.open(new BytesBlockSource(bytes));
    expect([...(await r.readFile("/m"))]).toEqual([1, 2, 3]);
  });

  it("a file claiming more bytes than allocated is refused", async () => {
    const bytes = await image("2.01", (img) => img.addFile("/short", new Uint8Array(100)));
    const fid = findFid(bytes, "short");
    const r0 = await UdfReader.open(new BytesBlockSource(bytes));
    const lbn = new DataView(bytes.buffer, bytes.byteOffset + fid + 24, 4).getUint32(0, true);
    const fe = (lbn + r0.volume.partitions[0]!.partitionStartingLocation) * 2048;
    new DataView(bytes.buffer, bytes.byteOffset + fe + 56, 4).setUint32(0, 1 << 30, true);
    reseal(bytes, fe);
    const r = await UdfReader.open(new BytesBlockSource(bytes));
    await expect(r.list("/")).rejects.toThrow(/exceeds the 100 bytes allocated/);
  });

  it("an image without UDF is told apart", async () => {
    const img = new FileSystemImage({ date: new Date(0) });
    img.addFile("/x", new Uint8Array(1));
    const chunks: Uint8Array[] = [];
    const { streamImage } = await import("../../src/index.js");
    for await (const c of streamImage(planImage(img))) chunks.push(c.slice());
    const src = new BytesBlockSource(Buffer.concat(chunks));
    expect(await UdfReader.detect(src)).toBeUndefined();
    await expect(UdfReader.open(src)).rejects.toThrow(/not a UDF volume/);
    expect((await IsoReader.open(src)).primary.volumeId).toBe("CDROM");
    writeFileSync(join(work, "noudf.iso"), Buffer.concat(chunks));
  });
});

describe("random damage", () => {
  it("bytes flipped in the UDF structures, more each round, give a typed error or a complete walk, never a crash or a hang", async () => {
    const { isDiscforgeError } = await import("@discforge/errors");
    const pristine = await image("2.50", (img) => {
      img.addFile("/a/b/c.txt", new TextEncoder().encode("deep\n"));
      img.addFile("/big.bin", new Uint8Array(50_000).map((_, i) => i));
      img.addSymlink("/a/link", "b/c.txt");
      img.addHardLink("/a/hard", "/a/b/c.txt");
    });
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    // Damage the descriptor area (VRS, VDS, LVID, anchor) and the UDF metadata after it.
    const r0 = await UdfReader.open(new BytesBlockSource(pristine));
    const metaStart = r0.volume.partitions[0]!.partitionStartingLocation;
    const regions = [
      [16, 257],
      [metaStart, metaStart + 40],
    ] as const;
    // The damage accumulates in one copy, from one byte to several hundred, so the rounds go from
    // images the reader still reads whole to ones it must refuse (reader-fuzz.test.ts mutates
    // each structure on its own).
    const bytes = new Uint8Array(pristine);
    let typed = 0;
    let walked = 0;
    for (let i = 0; i < 300; i++) {
      for (let k = 0; k < 1 + rand(4); k++) {
        const [from, to] = regions[rand(2)]!;
        const at = (from + rand(to - from)) * 2048 + rand(2048);
        bytes[at] = rand(256);
      }
      try {
        const r = await UdfReader.open(new BytesBlockSource(bytes));
        for await (const [, e] of r.walk()) if (e.type === "file") for await (const c of r.read(e)) void c;
        walked++;
      } catch (e) {
        if (!isDiscforgeError(e)) throw e;
        typed++;
      }
    }
    expect(typed).toBeGreaterThan(0);
    expect(walked).toBeGreaterThan(0);
  });
});
