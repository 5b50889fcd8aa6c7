/**
 * The engine of reader-fuzz.test.ts: seed images built with our own builder, seeded mutations of
 * their UDF descriptors, and one mutant's run (open, walk, stat, read, extract) with its checks.
 * It runs in a worker thread so that a mutant that hangs, even in synchronous code, can be
 * stopped from outside and named; that is also why it must not import vitest.
 */
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { join, sep } from "node:path";
import { getHeapStatistics } from "node:v8";
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { crc16Ccitt, readU16LE, readU32LE, writeU16LE, writeU32LE } from "@discforge/bytes";
import { isDiscforgeError, MalformedDataError } from "@discforge/errors";
import { BytesBlockSource, extractImage, FileSystemImage, RecordedContent, type BlockSource, type IsoEntry } from "../../src/index.js";
import { imageBytes } from "../helpers.js";
import { openImageReader, sealDescriptor, TAG_IDENTIFIERS, UdfReader, type UdfRevision } from "../../src/udf/index.js";

const BLOCK = 2048;
const DATE = new Date("2024-01-01T00:00:00Z");

/** Small deterministic PRNG (xorshift32 over a mixed seed): the same seed gives the same mutant. */
export class Prng {
  private state: number;
  constructor(seed: number) {
    const mixed = Math.imul((seed ^ 0x9e37_79b9) >>> 0, 0x85eb_ca6b) >>> 0;
    this.state = mixed === 0 ? 1 : mixed;
    for (let i = 0; i < 4; i++) this.next();
  }
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }
  int(n: number): number {
    return n <= 0 ? 0 : this.next() % n;
  }
  chance(p: number): boolean {
    return this.next() / 0x1_0000_0000 < p;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("pick from nothing");
    return items[this.int(items.length)]!;
  }
}

/** The seed of mutant `index` of a run that starts from `base`. */
export function mutantSeed(base: number, index: number): number {
  return (base + Math.imul(index, 0x9e37_79b1)) >>> 0;
}

export const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, "0")}`;

// ---------------------------------------------------------------------------------------------
// Seed images
// ---------------------------------------------------------------------------------------------

/** A tagged descriptor found in a seed image. */
export interface Descriptor {
  /** Absolute byte offset of the tag. */
  readonly off: number;
  readonly id: number;
  readonly crcLength: number;
  /** Bytes the descriptor spans (its fixed part and variable fields). */
  readonly size: number;
  readonly tagLocation: number;
}

export interface SeedImage {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly sessionStart: number;
  readonly descriptors: readonly Descriptor[];
  /** Locations worth pointing things at: tag locations of the file set, entries and AEDs. */
  readonly locations: readonly number[];
  /** Bytes of one allocation descriptor in its AEDs (they take their entry's AD type). */
  readonly aedAdSize: 8 | 16;
}

function streamed(img: FileSystemImage, revision: UdfRevision, startLba = 0, earlier?: Uint8Array): Promise<Uint8Array> {
  return imageBytes(img, { udf: { revision }, ...(startLba ? { startLba } : {}) }, earlier);
}

const patterned = (n: number, k: number): Uint8Array => new Uint8Array(n).map((_, i) => (i * k + (i >>> 8)) & 0xff);

/** A tree with every kind of entry: deep, long and wide names, symlinks, hard links, devices. */
function fillTree(img: FileSystemImage, wide: number): void {
  let deep = "";
  for (let i = 1; i <= 12; i++) deep += `/d${i}`;
  img.addFile(`${deep}/leaf.txt`, new TextEncoder().encode("deep leaf\n"));
  img.addFile(`/long/${"n".repeat(200)}.txt`, patterned(300, 3));
  img.addFile("/long/ünïcødé-名前-\u{1F4BF}.bin", patterned(5000, 5));
  for (let i = 0; i < wide; i++) img.addFile(`/wide/entry-${String(i).padStart(3, "0")}-${"w".repeat(40)}`, patterned(i * 37, 11));
  img.addFile("/data/big.bin", patterned(100_000, 7));
  img.addFile("/data/empty", new Uint8Array(0));
  img.addFile("/data/small.txt", new TextEncoder().encode("small\n"));
  img.addHardLink("/links/hard", "/data/small.txt");
  img.addSymlink("/links/rel", "../d1/d2");
  img.addSymlink("/links/abs", "/etc/passwd");
  img.addSymlink("/links/up", "../../../../outside");
  img.addSymlink("/links/dot", "./x/../y");
  img.addDevice("/dev/null", "char", 1, 3);
  img.addDevice("/dev/sda", "block", 8, 0);
  img.addDevice("/dev/fifo", "fifo");
  img.addDevice("/dev/sock", "socket");
}

/** A file of `n` one-sector extents recorded in an earlier area: allocation extent descriptors. */
async function fragmented(revision: UdfRevision, n: number): Promise<{ bytes: Uint8Array; startLba: number }> {
  const startLba = 2 * n;
  const earlier = new Uint8Array(startLba * BLOCK);
  for (let s = 0; s < startLba; s++) earlier.fill(s & 0xff, s * BLOCK, (s + 1) * BLOCK);
  const img = new FileSystemImage({ date: DATE });
  img.addFile("/fragmented.bin", new RecordedContent(n * BLOCK - 100, Array.from({ length: n }, (_, i) => ({ lba: 2 * i, length: i === n - 1 ? BLOCK - 100 : BLOCK })), "fragmented"));
  img.addFile("/dir/small.txt", new TextEncoder().encode("small\n"));
  img.addSymlink("/dir/link", "../fragmented.bin");
  return { bytes: await streamed(img, revision, startLba, earlier), startLba };
}

const KNOWN_TAGS = new Set<number>(Object.values(TAG_IDENTIFIERS));

function tagChecksum(bytes: Uint8Array, off: number): number {
  let sum = 0;
  for (let i = 0; i < 16; i++) if (i !== 4) sum += bytes[off + i]!;
  return sum & 0xff;
}

/** Every valid descriptor tag at a 4-byte boundary (FIDs are 4-aligned; the rest block-aligned). */
export function findDescriptors(bytes: Uint8Array, from: number): Descriptor[] {
  const out: Descriptor[] = [];
  for (let off = from; off + 16 <= bytes.length; off += 4) {
    const id = bytes[off]! | (bytes[off + 1]! << 8);
    if (!KNOWN_TAGS.has(id) || bytes[off + 5] !== 0) continue;
    const version = bytes[off + 2]!;
    if ((version !== 2 && version !== 3) || bytes[off + 3] !== 0 || tagChecksum(bytes, off) !== bytes[off + 4]) continue;
    const crcLength = readU16LE(bytes, off + 10);
    if (off + 16 + crcLength > bytes.length || crc16Ccitt(bytes.subarray(off + 16, off + 16 + crcLength)) !== readU16LE(bytes, off + 8)) continue;
    out.push({ off, id, crcLength, size: Math.max(16 + crcLength, descriptorSize(bytes, off, id)), tagLocation: readU32LE(bytes, off + 12) });
  }
  return out;
}

function descriptorSize(bytes: Uint8Array, off: number, id: number): number {
  const u32 = (at: number): number => (off + at + 4 <= bytes.length ? readU32LE(bytes, off + at) : 0);
  switch (id) {
    case TAG_IDENTIFIERS.fileEntry:
      return Math.min(BLOCK, 176 + u32(168) + u32(172));
    case TAG_IDENTIFIERS.extendedFileEntry:
      return Math.min(BLOCK, 216 + u32(208) + u32(212));
    case TAG_IDENTIFIERS.allocationExtentDescriptor:
      return Math.min(BLOCK, 24 + u32(20));
    case TAG_IDENTIFIERS.fileIdentifierDescriptor:
      return (38 + (bytes[off + 36]! | (bytes[off + 37]! << 8)) + bytes[off + 19]! + 3) & ~3;
    case TAG_IDENTIFIERS.logicalVolumeDescriptor:
      return Math.min(BLOCK, 440 + u32(264));
    default:
      return 16;
  }
}

async function seedImage(name: string, bytes: Uint8Array, sessionStart: number): Promise<SeedImage> {
  const descriptors = findDescriptors(bytes, (sessionStart + 16) * BLOCK);
  const locations = [...new Set(descriptors.filter((d) => d.id >= TAG_IDENTIFIERS.fileSetDescriptor).map((d) => d.tagLocation))];
  const aedAdSize = descriptors.some((d) => d.id === TAG_IDENTIFIERS.extendedFileEntry) ? 16 : 8;
  // The seed itself must read cleanly, or the fuzzer would only ever see one error.
  const r = await UdfReader.open(new BytesBlockSource(bytes), { sessionStart });
  for await (const [, e] of r.walk()) if (e.type === "file") for await (const c of r.read(e)) void c;
  return { name, bytes, sessionStart, descriptors, locations, aedAdSize };
}

/** The seed images: bridged ISO 9660 + UDF images of several revisions and shapes. */
export async function buildSeeds(): Promise<SeedImage[]> {
  const tree201 = new FileSystemImage({ date: DATE });
  fillTree(tree201, 110);
  const tree250 = new FileSystemImage({ date: DATE });
  fillTree(tree250, 40);
  const small102 = new FileSystemImage({ date: DATE });
  small102.addFile("/a/b.txt", new TextEncoder().encode("nsr02\n"));
  small102.addSymlink("/a/l", "b.txt");
  small102.addFile("/c.bin", patterned(3000, 13));
  const aed102 = await fragmented("1.02", 300);
  const aed260 = await fragmented("2.60", 300);
  return Promise.all([
    seedImage("tree UDF 2.01 (file entries, short_ad)", await streamed(tree201, "2.01"), 0),
    seedImage("tree UDF 2.50 (metadata partition, extended file entries, long_ad)", await streamed(tree250, "2.50"), 0),
    seedImage("small UDF 1.02 (NSR02)", await streamed(small102, "1.02"), 0),
    seedImage("fragmented UDF 1.02 (one allocation extent descriptor)", aed102.bytes, aed102.startLba),
    seedImage("fragmented UDF 2.60 (a chain of allocation extent descriptors)", aed260.bytes, aed260.startLba),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------------

interface Field {
  readonly at: number;
  readonly width: 1 | 2 | 4 | 8;
  readonly what: string;
  /** Values that matter for this field in particular, tried half of the time. */
  readonly values?: readonly number[];
}

/** Fields worth setting to edge values, by tag identifier (offsets within the descriptor). */
const FIELDS: Record<number, readonly Field[]> = {
  [TAG_IDENTIFIERS.anchorVolumeDescriptorPointer]: [
    { at: 16, width: 4, what: "main VDS length" },
    { at: 20, width: 4, what: "main VDS location" },
    { at: 24, width: 4, what: "reserve VDS length" },
    { at: 28, width: 4, what: "reserve VDS location" },
  ],
  [TAG_IDENTIFIERS.partitionDescriptor]: [
    { at: 20, width: 2, what: "partition flags" },
    { at: 22, width: 2, what: "partition number" },
    { at: 184, width: 4, what: "access type" },
    { at: 188, width: 4, what: "partition start" },
    { at: 192, width: 4, what: "partition length" },
  ],
  [TAG_IDENTIFIERS.logicalVolumeDescriptor]: [
    { at: 212, width: 4, what: "logical block size", values: [0, 512, 2048, 4096] },
    { at: 248, width: 4, what: "FSD extent length" },
    { at: 252, width: 4, what: "FSD block" },
    { at: 256, width: 2, what: "FSD partition reference" },
    { at: 264, width: 4, what: "map table length", values: [0, 2, 6, 64, 70, 1607, 1608, 1609, 2048] },
    { at: 268, width: 4, what: "map count", values: [0, 2, 3, 25, 26, 64, 65] },
    { at: 432, width: 4, what: "integrity extent length" },
    { at: 436, width: 4, what: "integrity extent location" },
    { at: 440, width: 1, what: "map 0 type", values: [0, 1, 2, 3] },
    { at: 441, width: 1, what: "map 0 length", values: [0, 2, 6, 64] },
    { at: 444, width: 2, what: "map 0 partition number" },
    { at: 446, width: 1, what: "map 1 type", values: [0, 1, 2, 3] },
    { at: 447, width: 1, what: "map 1 length" },
    { at: 484, width: 2, what: "map 1 partition number" },
    { at: 486, width: 4, what: "metadata file location" },
    { at: 490, width: 4, what: "metadata mirror location" },
  ],
  [TAG_IDENTIFIERS.fileSetDescriptor]: [
    { at: 400, width: 4, what: "root ICB length" },
    { at: 404, width: 4, what: "root ICB block" },
    { at: 408, width: 2, what: "root ICB partition reference" },
    { at: 448, width: 4, what: "next extent length" },
    { at: 452, width: 4, what: "next extent block" },
    { at: 464, width: 4, what: "stream directory length" },
    { at: 468, width: 4, what: "stream directory block" },
  ],
  [TAG_IDENTIFIERS.fileEntry]: [
    { at: 20, width: 2, what: "ICB strategy", values: [4, 4096, 1, 2, 3] },
    { at: 27, width: 1, what: "file type", values: [0, 3, 4, 5, 6, 7, 9, 10, 12, 13, 250, 251, 252] },
    { at: 34, width: 2, what: "ICB flags", values: [0, 1, 2, 3, 4, 7, 0x40, 0x80, 0x100, 0x200, 0x403] },
    { at: 48, width: 2, what: "link count" },
    { at: 56, width: 8, what: "information length" },
    { at: 168, width: 4, what: "EA length" },
    { at: 172, width: 4, what: "AD length" },
  ],
  [TAG_IDENTIFIERS.extendedFileEntry]: [
    { at: 20, width: 2, what: "ICB strategy", values: [4, 4096, 1, 2, 3] },
    { at: 27, width: 1, what: "file type", values: [0, 3, 4, 5, 6, 7, 9, 10, 12, 13, 250, 251, 252] },
    { at: 34, width: 2, what: "ICB flags", values: [0, 1, 2, 3, 4, 7, 0x40, 0x80, 0x100, 0x200, 0x403] },
    { at: 48, width: 2, what: "link count" },
    { at: 56, width: 8, what: "information length" },
    { at: 64, width: 8, what: "object size" },
    { at: 208, width: 4, what: "EA length" },
    { at: 212, width: 4, what: "AD length" },
  ],
  [TAG_IDENTIFIERS.allocationExtentDescriptor]: [
    { at: 16, width: 4, what: "previous AED" },
    { at: 20, width: 4, what: "AD length" },
  ],
  [TAG_IDENTIFIERS.fileIdentifierDescriptor]: [
    { at: 18, width: 1, what: "characteristics", values: [0, 1, 2, 4, 8, 10, 16] },
    { at: 19, width: 1, what: "identifier length", values: [0, 1, 2, 3, 255] },
    { at: 20, width: 4, what: "ICB length" },
    { at: 24, width: 4, what: "ICB block" },
    { at: 28, width: 2, what: "ICB partition reference" },
    { at: 36, width: 2, what: "implementation use length", values: [0, 1, 2, 4, 32, 0xffff] },
    { at: 39, width: 1, what: "first name byte", values: [0, 0x2e, 0x2f, 0x5c] },
  ],
  [TAG_IDENTIFIERS.extendedAttributeHeaderDescriptor]: [
    { at: 16, width: 4, what: "implementation attributes location" },
    { at: 20, width: 4, what: "application attributes location" },
    { at: 24, width: 4, what: "first attribute type" },
    { at: 32, width: 4, what: "first attribute length" },
    { at: 36, width: 4, what: "first attribute implementation use length" },
  ],
};

/** The allocation descriptors of an entry or AED: where they are and how big each is. */
function adsOf(bytes: Uint8Array, d: Descriptor, aedAdSize: 8 | 16): { start: number; count: number; size: number } | undefined {
  const u32 = (at: number): number => readU32LE(bytes, d.off + at);
  let start: number;
  let length: number;
  let size: number;
  if (d.id === TAG_IDENTIFIERS.allocationExtentDescriptor) {
    start = 24;
    length = u32(20);
    size = aedAdSize;
  } else if (d.id === TAG_IDENTIFIERS.fileEntry || d.id === TAG_IDENTIFIERS.extendedFileEntry) {
    const header = d.id === TAG_IDENTIFIERS.fileEntry ? 176 : 216;
    start = header + u32(header - 8);
    length = u32(header - 4);
    const adType = readU16LE(bytes, d.off + 34) & 7;
    size = adType === 0 ? 8 : adType === 1 ? 16 : adType === 2 ? 20 : 0;
  } else return undefined;
  if (size === 0 || start + length > BLOCK) return undefined;
  const count = Math.floor(length / size);
  return count > 0 ? { start, count, size } : undefined;
}

export interface Mutant {
  readonly seed: number;
  readonly image: SeedImage;
  readonly bytes: Uint8Array;
  /** What was done, for the failure message. */
  readonly steps: readonly string[];
}

type Writer = (at: number, width: 1 | 2 | 4 | 8, value: number, high?: number) => void;

/** Applies one to three seeded mutations to a copy of one of the seed images. */
export function makeMutant(seeds: readonly SeedImage[], seed: number): Mutant {
  const rng = new Prng(seed);
  const image = rng.pick(seeds);
  let bytes = image.bytes.slice();
  const steps: string[] = [];
  const touched: number[] = [];
  const write: Writer = (at, width, value, high = 0) => {
    if (at + width > bytes.length) return;
    if (width === 1) bytes[at] = value & 0xff;
    else if (width === 2) writeU16LE(bytes, at, value & 0xffff);
    else writeU32LE(bytes, at, value >>> 0);
    if (width === 8) writeU32LE(bytes, at + 4, high >>> 0);
    touched.push(at);
  };
  const sectors = Math.floor(bytes.length / BLOCK);
  const descriptorSectors = image.descriptors.filter((d) => d.off % BLOCK === 0);
  const reseal = rng.chance(0.75);
  const n = 1 + rng.int(3);
  for (let k = 0; k < n; k++) {
    const d = rng.pick(image.descriptors);
    // A descriptor the image was already cut short of is left alone.
    if ((d.off % BLOCK === 0 ? d.off + BLOCK : d.off + d.size) > bytes.length) continue;
    const name = `tag ${d.id} at byte ${d.off}`;
    const edge = (width: 1 | 2 | 4 | 8, original: number): { value: number; high: number } => {
      const roll = rng.int(20);
      const values =
        width === 1
          ? [0, 1, 0xff, 4, 5, 12, 3, 6, 7, 9, 250, 251, 252, 0x80, 2, 8, 10, 13, original ^ 1, rng.int(256)]
          : width === 2
            ? [0, 1, 2, 0xffff, 4096, 0x8000, 3, 7, original + 1, original - 1, rng.int(0x10000), d.id, 0x40, 0x80, 0x100, 0x200, 8, 5, 4, 6]
            : [0, 1, 0xffff_ffff, 0x7fff_ffff, 0x3fff_ffff, 0x4000_0000 | BLOCK, 0xc000_0000 | BLOCK, 0x8000_0000 | BLOCK, BLOCK, 4 * BLOCK, original + 1, original - 1, original * 2, d.tagLocation, rng.pick(image.locations), rng.pick(image.locations), Math.floor(d.off / BLOCK), sectors, sectors - 1, rng.next()];
      const value = values[roll % values.length]!;
      const high = width === 8 ? rng.pick([0, 0, 0, 1, 0x0020_0000, 0xffff_ffff]) : 0;
      return { value: value >>> 0, high };
    };
    const op = rng.int(104);
    if (op < 4) {
      // Fan-in: every FID of one directory block names one entry (hard links, or an entry with AEDs).
      const fids = image.descriptors.filter((x) => x.id === TAG_IDENTIFIERS.fileIdentifierDescriptor);
      const entries = descriptorSectors.filter((x) => x.id === TAG_IDENTIFIERS.fileEntry || x.id === TAG_IDENTIFIERS.extendedFileEntry);
      if (fids.length === 0 || entries.length === 0) continue;
      const block = Math.floor(rng.pick(fids).off / BLOCK);
      const target = rng.pick(entries).tagLocation;
      let n = 0;
      for (const f of fids) {
        if (Math.floor(f.off / BLOCK) !== block || f.off + 40 > bytes.length || (bytes[f.off + 18]! & 8) !== 0) continue;
        write(f.off + 24, 4, target);
        n++;
      }
      steps.push(`${n} FIDs in the block at byte ${block * BLOCK} all name the entry at block ${target}`);
    } else if (op < 6) {
      // Two directories with the same data: the second one gets the first one's allocation.
      const dirs = descriptorSectors.filter((x) => (x.id === TAG_IDENTIFIERS.fileEntry || x.id === TAG_IDENTIFIERS.extendedFileEntry) && image.bytes[x.off + 27] === 4);
      const from = dirs.length > 1 ? rng.pick(dirs) : undefined;
      const to = dirs.length > 1 ? rng.pick(dirs) : undefined;
      if (!from || !to || from === to || to.off + BLOCK > bytes.length) continue;
      const header = from.id === TAG_IDENTIFIERS.fileEntry ? 176 : 216;
      const ad = header + readU32LE(image.bytes, from.off + header - 8);
      const lad = readU32LE(image.bytes, from.off + header - 4);
      if (ad + lad > BLOCK || readU32LE(image.bytes, to.off + header - 8) + header !== ad || readU32LE(image.bytes, to.off + header - 4) !== lad) continue;
      bytes.set(image.bytes.subarray(from.off + 56, from.off + 64), to.off + 56);
      bytes.set(image.bytes.subarray(from.off + ad, from.off + ad + lad), to.off + ad);
      touched.push(to.off + 56, to.off + ad);
      steps.push(`directory entry at byte ${to.off} given the data of the one at byte ${from.off}`);
    } else if (op < 12) {
      // An entry of another type and AD type: a big file read as a symbolic link or a directory, ...
      if (d.id !== TAG_IDENTIFIERS.fileEntry && d.id !== TAG_IDENTIFIERS.extendedFileEntry) {
        k--;
        continue;
      }
      const fileType = rng.pick([4, 5, 12, 6, 7, 9, 10, 250, 251]);
      write(d.off + 27, 1, fileType);
      const flags = readU16LE(bytes, d.off + 34);
      const adType = rng.chance(0.5) ? flags & 7 : rng.int(4);
      write(d.off + 34, 2, (flags & ~7) | adType);
      steps.push(`${name}: file type ${fileType}, AD type ${adType}`);
    } else if (op < 30) {
      // An edge value in a field the reader acts on.
      const fields = FIELDS[d.id];
      if (!fields) {
        k--;
        continue;
      }
      const f = rng.pick(fields);
      const at = d.off + f.at;
      if (at + f.width > bytes.length) continue;
      const original = f.width === 1 ? bytes[at]! : f.width === 2 ? readU16LE(bytes, at) : readU32LE(bytes, at);
      const v = f.values && rng.chance(0.5) ? { value: rng.pick(f.values), high: 0 } : edge(f.width, original);
      write(at, f.width, v.value, v.high);
      steps.push(`${name}: ${f.what} (+${f.at}) = ${hex(v.value)}${f.width === 8 ? ` high ${hex(v.high)}` : ""}`);
    } else if (op < 50) {
      // An allocation descriptor: its length and type, its position, or its partition reference.
      const ads = adsOf(bytes, d, image.aedAdSize);
      if (!ads) {
        k--;
        continue;
      }
      const i = rng.int(ads.count);
      const at = d.off + ads.start + i * ads.size;
      const part = rng.int(4);
      const posAt = ads.size === 20 ? at + 12 : at + 4;
      const refAt = ads.size === 20 ? at + 16 : at + 8;
      if (part === 0) {
        const len = rng.pick([0, 1, BLOCK, BLOCK + 1, 0x3fff_ffff, 0x3fff_f800, 0x03ff_f800, readU32LE(bytes, at) & 0x3fff_ffff]);
        const type = rng.int(4);
        write(at, 4, ((type << 30) | len) >>> 0);
        steps.push(`${name}: AD ${i} length ${len} type ${type}`);
      } else if (part === 1) {
        const v = edge(4, readU32LE(bytes, posAt));
        write(posAt, 4, v.value);
        steps.push(`${name}: AD ${i} block = ${hex(v.value)}`);
      } else if (part === 2 && ads.size !== 8) {
        const v = rng.pick([0, 1, 2, 0xffff]);
        write(refAt, 2, v);
        steps.push(`${name}: AD ${i} partition reference = ${v}`);
      } else {
        // A "next extent" pointing at the entry itself, or at another entry or AED.
        const target = rng.chance(0.5) ? d.tagLocation : rng.pick(image.locations);
        write(at, 4, ((3 << 30) | BLOCK) >>> 0);
        write(posAt, 4, target);
        steps.push(`${name}: AD ${i} continues at block ${target}`);
      }
    } else if (op < 65) {
      // Random bytes or bit flips inside the descriptor.
      const count = 1 + rng.int(8);
      const run = rng.chance(0.5);
      const base = d.off + rng.int(d.size);
      for (let j = 0; j < count; j++) {
        const at = run ? base + j : d.off + rng.int(d.size);
        if (at >= bytes.length) break;
        const v = rng.chance(0.5) ? rng.int(256) : bytes[at]! ^ (1 << rng.int(8));
        write(at, 1, v);
      }
      steps.push(`${name}: ${count} random byte(s)${run ? ` from byte ${base}` : ""}`);
    } else if (op < 75) {
      // A copy of another descriptor block over this one (its tag location fixed when resealing).
      const from = rng.pick(descriptorSectors);
      const to = rng.pick(descriptorSectors);
      if (from.off === to.off || to.off + BLOCK > bytes.length) continue;
      bytes.set(image.bytes.subarray(from.off, from.off + BLOCK), to.off);
      if (reseal) write(to.off + 12, 4, to.tagLocation);
      touched.push(to.off);
      steps.push(`block at byte ${from.off} (tag ${from.id}) copied over byte ${to.off} (tag ${to.id})`);
    } else if (op < 82) {
      // An entry turned into an indirect entry (strategy 4096 chains) pointing at itself or another entry.
      const entries = descriptorSectors.filter((x) => x.id === TAG_IDENTIFIERS.fileEntry || x.id === TAG_IDENTIFIERS.extendedFileEntry);
      const e = entries.length > 0 ? rng.pick(entries) : undefined;
      if (!e || e.off + BLOCK > bytes.length) continue;
      const target = rng.chance(0.5) ? e.tagLocation : rng.pick(image.locations);
      bytes.fill(0, e.off + 16, e.off + BLOCK);
      writeU16LE(bytes, e.off, TAG_IDENTIFIERS.indirectEntry);
      writeU16LE(bytes, e.off + 20, 4096);
      writeU16LE(bytes, e.off + 24, 2);
      bytes[e.off + 27] = 3; // file type: indirect entry
      writeU32LE(bytes, e.off + 36, BLOCK);
      writeU32LE(bytes, e.off + 40, target);
      writeU16LE(bytes, e.off + 44, rng.int(2));
      sealDescriptor(bytes, e.off, { tagIdentifier: TAG_IDENTIFIERS.indirectEntry, descriptorVersion: bytes[e.off + 2]!, tagLocation: e.tagLocation }, 36);
      steps.push(`entry at byte ${e.off} replaced by an indirect entry to block ${target}`);
    } else if (op < 88) {
      // The image cut short: at a sector, mid-sector, or just before a descriptor.
      const cut = rng.pick([rng.int(sectors) * BLOCK, bytes.length - BLOCK, bytes.length - 1, d.off, d.off + 1 + rng.int(BLOCK), (image.sessionStart + 257) * BLOCK]);
      if (cut <= 0 || cut >= bytes.length) continue;
      bytes = bytes.slice(0, cut);
      steps.push(`image truncated to ${cut} bytes`);
    } else if (op < 94) {
      // A whole descriptor block zeroed, or filled with random bytes.
      const s = rng.pick(descriptorSectors);
      const random = rng.chance(0.5);
      for (let i = 0; i < BLOCK; i++) bytes[s.off + i] = random ? rng.int(256) : 0;
      steps.push(`block at byte ${s.off} (tag ${s.id}) ${random ? "randomised" : "zeroed"}`);
    } else {
      // Anywhere in the UDF part of the image, without regard for structure.
      const from = (image.sessionStart + 16) * BLOCK;
      const at = from + rng.int(bytes.length - from);
      bytes[at] = rng.int(256);
      steps.push(`byte ${at} = random`);
    }
  }
  if (reseal && touched.length > 0) {
    // Recompute checksum and CRC of every descriptor whose tag or CRC span holds a changed byte,
    // innermost first (an EA header inside a file entry), so the mutant gets past the tag check.
    const hit = image.descriptors.filter((d) => touched.some((t) => t >= d.off && t < d.off + 16 + d.crcLength) && d.off + 16 <= bytes.length);
    hit.sort((a, b) => a.crcLength - b.crcLength);
    for (const d of hit) {
      const crcLength = readU16LE(bytes, d.off + 10);
      sealDescriptor(bytes, d.off, { tagIdentifier: readU16LE(bytes, d.off), descriptorVersion: readU16LE(bytes, d.off + 2), tagSerialNumber: readU16LE(bytes, d.off + 6), tagLocation: readU32LE(bytes, d.off + 12) }, crcLength);
    }
    steps.push(`resealed ${hit.length} descriptor(s)`);
  }
  return { seed, image, bytes, steps };
}

// ---------------------------------------------------------------------------------------------
// Running a mutant
// ---------------------------------------------------------------------------------------------

/** A limit of the harness was exceeded: never a typed error, so it always fails the mutant. */
export class FuzzLimitError extends Error {
  override readonly name = "FuzzLimitError";
}

export interface Limits {
  /** Milliseconds a mutant may take. */
  readonly deadlineMs: number;
  /** Bytes a mutant may request for its metadata, as a multiple of the image size (file contents come on top). */
  readonly readFactor: number;
  /** Heap and external memory a mutant may add, as a multiple of the image size, plus a constant. */
  readonly memoryFactor: number;
  readonly memorySlack: number;
}

const memoryInUse = (): number => {
  const h = getHeapStatistics();
  return h.used_heap_size + h.external_memory;
};

/** A block source over bytes that counts what is read, watches memory and enforces the deadline. */
export class MeteredSource implements BlockSource {
  readonly sectorCount: number;
  bytesRead = 0;
  peakGrowth = 0;
  /** Bytes granted for file contents: what the entries read claim, in whole blocks. */
  contentAllowance = 0;
  private readonly inner: BytesBlockSource;
  private readonly baseline = memoryInUse();
  constructor(
    bytes: Uint8Array,
    private readonly started: number,
    private readonly limits: Limits,
  ) {
    this.inner = new BytesBlockSource(bytes);
    this.sectorCount = this.inner.sectorCount;
    this.maxBytes = limits.readFactor * Math.max(bytes.length, BLOCK);
    this.maxGrowth = limits.memoryFactor * bytes.length + limits.memorySlack;
  }
  private readonly maxBytes: number;
  private readonly maxGrowth: number;
  check(): void {
    const elapsed = Date.now() - this.started;
    if (elapsed > this.limits.deadlineMs) throw new FuzzLimitError(`still running after ${elapsed} ms (deadline ${this.limits.deadlineMs} ms)`);
    const growth = memoryInUse() - this.baseline;
    this.peakGrowth = Math.max(this.peakGrowth, growth);
    if (growth > this.maxGrowth) throw new FuzzLimitError(`memory grew by ${growth} bytes (bound ${this.maxGrowth})`);
  }
  async readSectors(lba: number, count: number): Promise<Uint8Array> {
    this.check();
    this.bytesRead += count * BLOCK;
    if (this.bytesRead > this.maxBytes + this.contentAllowance) throw new FuzzLimitError(`requested ${this.bytesRead} bytes: over ${this.limits.readFactor} times the image (${this.maxBytes}) plus the ${this.contentAllowance} bytes the files read claim`);
    return this.inner.readSectors(lba, count);
  }
}

/** Structures a typed error of the UDF reader may name: its own, the block source's, extract's. */
const NAMED_STRUCTURE = /^(ECMA-167 |OSTA |UDF |directory ICB|image$|image file name$|symbolic link target$|file extent$)/;
/** Errors about no single place (the whole tree, the image, a name), which may say offset 0. */
const NO_PLACE = /^(ECMA-167 4\/8\.6 directory hierarchy|image|image file name|symbolic link target)$/;

/**
 * Why an error is not an acceptable outcome, or undefined when it is. Every UDF structure lies at
 * or after sector 16 of the session, so a smaller offset is one relative to a buffer, not the image.
 */
export function judgeError(e: unknown, firstUdfByte: number): string | undefined {
  const where = (x: Error): string => `\n${x.stack?.split("\n").slice(1, 6).join("\n") ?? ""}`;
  if (e instanceof FuzzLimitError) return e.message;
  if (!isDiscforgeError(e)) return e instanceof Error ? `untyped ${e.name}: ${e.message}${where(e)}` : `untyped throw of ${String(e)}`;
  if (e instanceof MalformedDataError) {
    if (!NAMED_STRUCTURE.test(e.structure)) return `MalformedDataError names no UDF structure: ${e.message}${where(e)}`;
    if (!Number.isSafeInteger(e.offset) || e.offset < 0) return `MalformedDataError offset ${e.offset} is not a byte offset: ${e.message}${where(e)}`;
    if (e.offset < firstUdfByte && !NO_PLACE.test(e.structure)) return `MalformedDataError offset ${e.offset} is not an offset in the image: ${e.message}${where(e)}`;
  }
  return undefined;
}

/**
 * No UDF structure of the mutant lies below this byte, so an error offset below it is relative to
 * some buffer. Partitions may start before the session (an earlier session's files) or, mutated,
 * anywhere: their recorded starts count.
 */
function firstUdfByte(m: Mutant): number {
  let first = m.image.sessionStart + 16;
  for (const d of m.image.descriptors) if (d.id === TAG_IDENTIFIERS.partitionDescriptor && d.off + 192 <= m.bytes.length) first = Math.min(first, readU32LE(m.bytes, d.off + 188));
  return first * BLOCK;
}

export interface Outcome {
  readonly seed: number;
  readonly image: string;
  readonly steps: readonly string[];
  readonly problems: readonly string[];
  /** How far the mutant got: opened, walked the whole tree, extracted. */
  readonly opened: boolean;
  readonly walked: boolean;
  readonly entries: number;
  readonly extracted: boolean;
  /** The first typed error, for the statistics. */
  readonly firstError: string | undefined;
  readonly elapsedMs: number;
  readonly bytesRead: number;
  readonly peakGrowth: number;
}

const MAX_ENTRIES = 5000;

/** Opens, walks, stats, reads and (when `sandboxRoot` is given) extracts one mutant; never throws. */
export async function runMutant(m: Mutant, limits: Limits, sandboxRoot: string | undefined): Promise<Outcome> {
  const started = Date.now();
  const rng = new Prng(m.seed ^ 0x5bd1_e995);
  const src = new MeteredSource(m.bytes, started, limits);
  const problems: string[] = [];
  let firstError: string | undefined;
  let opened = false;
  let walked = false;
  let extracted = false;
  const entries: [string, IsoEntry][] = [];
  /** Runs a step; a typed error ends only that step. */
  const attempt = async (what: string, step: () => Promise<void>): Promise<boolean> => {
    try {
      await step();
      src.check();
      return true;
    } catch (e) {
      const bad = judgeError(e, firstUdfByte(m));
      if (bad) problems.push(`${what}: ${bad}`);
      else firstError ??= (e as Error).message;
      return false;
    }
  };
  // Files are read up to a cap (holes can make a small image describe huge files); what they
  // claim is granted to the read budget, so hard links to big files are not a runaway read.
  const cap = 4 * m.bytes.length;
  const grant = (e: IsoEntry): void => {
    src.contentAllowance += (Math.ceil(Math.min(e.size, cap) / BLOCK) + 1) * BLOCK;
  };
  let reader: UdfReader | undefined;
  opened = await attempt("open", async () => {
    const r = await openImageReader(src, { fileSystem: "udf", sessionStart: m.image.sessionStart });
    if (!(r instanceof UdfReader)) throw new Error("openImageReader with fileSystem udf gave no UdfReader");
    reader = r;
  });
  const r = reader;
  if (r) {
    walked = await attempt("walk", async () => {
      for await (const item of r.walk()) {
        entries.push(item);
        if (entries.length > MAX_ENTRIES) throw new FuzzLimitError(`walk gave over ${MAX_ENTRIES} entries`);
      }
    });
    await attempt("stat /", async () => void (await r.stat("/")));
    await attempt("list /", async () => void (await r.list("/")));
    for (let i = 0; i < 3 && entries.length > 0; i++) {
      const [p, e] = rng.pick(entries);
      await attempt(`stat ${p}`, async () => {
        const s = await r.stat(p);
        if (s.type !== e.type || s.size !== e.size) throw new Error(`stat ${p} disagrees with walk: ${s.type} ${s.size} vs ${e.type} ${e.size}`);
      });
      if (e.type === "directory") await attempt(`list ${p}`, async () => void (await r.list(p)));
    }
    for (const [p, e] of entries) {
      if (e.type !== "file") continue;
      grant(e);
      await attempt(`read ${p}`, async () => {
        let n = 0;
        for await (const c of r.read(e, { chunkSize: 256 << 10 })) {
          n += c.length;
          if (n >= cap) break;
        }
        if (n < Math.min(e.size, cap)) throw new Error(`read ${p} gave ${n} of ${e.size} bytes`);
      });
    }
    const files = entries.filter(([, e]) => e.type === "file");
    if (files.length > 0) {
      const [p, e] = rng.pick(files);
      grant(e);
      await attempt(`readFile ${p}`, async () => void (await r.readFile(p, { maxBytes: cap })));
    }
    if (sandboxRoot !== undefined && walked) {
      const sandbox = mkdtempSync(join(sandboxRoot, "m-"));
      const dest = join(sandbox, "out");
      try {
        extracted = await attempt("extract", async () => {
          // Files are capped as when reading: the checks are about where things land.
          const capped = {
            walk: (o: { signal?: AbortSignal }) => r.walk(o),
            read: async function* (e: IsoEntry, o?: { signal?: AbortSignal }): AsyncGenerator<Uint8Array> {
              grant(e);
              let n = 0;
              for await (const c of r.read(e, o)) {
                yield c;
                n += c.length;
                if (n >= cap) return;
              }
            },
          };
          await extractImage(capped, dest, { preserveMetadata: true });
        });
        problems.push(...auditExtraction(sandbox, dest));
      } finally {
        rmSync(sandbox, { recursive: true, force: true });
      }
      const left = readdirSync(sandboxRoot);
      if (left.length > 0) problems.push(`extract left ${JSON.stringify(left)} beside its sandbox`);
    }
    await attempt("close", async () => r.close());
  }
  const elapsedMs = Date.now() - started;
  if (elapsedMs > limits.deadlineMs) problems.push(`took ${elapsedMs} ms (deadline ${limits.deadlineMs} ms)`);
  return { seed: m.seed, image: m.image.name, steps: m.steps, problems, opened, walked, entries: entries.length, extracted, firstError, elapsedMs, bytesRead: src.bytesRead, peakGrowth: src.peakGrowth };
}

/** Only `out` in the sandbox; inside it only directories, regular files and symbolic links. */
export function auditExtraction(sandbox: string, dest: string): string[] {
  const problems: string[] = [];
  const top = readdirSync(sandbox);
  if (top.some((n) => n !== "out")) problems.push(`extract wrote outside its destination: ${JSON.stringify(top)}`);
  const visit = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (!p.startsWith(dest + sep)) problems.push(`extract created ${p} outside ${dest}`);
      const s = lstatSync(p);
      if (s.isBlockDevice() || s.isCharacterDevice() || s.isFIFO() || s.isSocket()) problems.push(`extract created a special file ${p}`);
      else if (s.isDirectory()) visit(p);
    }
  };
  try {
    visit(dest);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Worker entry
// ---------------------------------------------------------------------------------------------

export interface FuzzJob {
  readonly kind: "udf-reader-fuzz";
  readonly seeds: readonly number[];
  readonly limits: Limits;
  /** Extract every n-th mutant that walks (0: never). */
  readonly extractEvery: number;
  readonly sandboxRoot: string;
}

export type FuzzMessage = { type: "ready"; seeds: number } | { type: "start"; seed: number } | { type: "outcome"; outcome: Outcome } | { type: "end" };

async function work(job: FuzzJob): Promise<void> {
  const port = parentPort!;
  const seeds = await buildSeeds();
  port.postMessage({ type: "ready", seeds: seeds.length } satisfies FuzzMessage);
  mkdirSync(job.sandboxRoot, { recursive: true });
  let walkedSoFar = 0;
  for (const seed of job.seeds) {
    port.postMessage({ type: "start", seed } satisfies FuzzMessage);
    const m = makeMutant(seeds, seed);
    const extract = job.extractEvery > 0 && walkedSoFar % job.extractEvery === 0;
    const outcome = await runMutant(m, job.limits, extract ? job.sandboxRoot : undefined);
    if (outcome.walked) walkedSoFar++;
    port.postMessage({ type: "outcome", outcome } satisfies FuzzMessage);
  }
  port.postMessage({ type: "end" } satisfies FuzzMessage);
}

if (!isMainThread && (workerData as FuzzJob | undefined)?.kind === "udf-reader-fuzz") {
  await work(workerData as FuzzJob);
}
