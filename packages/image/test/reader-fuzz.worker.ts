/**
 * Mutation fuzzing of the image reader (IsoReader, extractImage, importSession): seed images built
 * with our own builder, structure-aware mutations driven by a seeded PRNG, and the checks every
 * mutant must pass. reader-fuzz.test.ts runs the mutants in a worker thread started from this file
 * (so a synchronous hang or a heap blow-up is caught and named, not a frozen test run), and
 * imports it to replay a single seed in-process. It must not import vitest.
 */
import { lstatSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { getHeapStatistics } from "node:v8";
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { DiscforgeError, InvalidArgumentError, MalformedDataError } from "@discforge/errors";
import { BytesBlockSource, extractImage, FileSystemImage, ImageUnwritableError, importSession, IsoReader, RecordedContent, type BlockSource, type IsoEntry, type Namespace } from "../src/index.js";
import { CountingSource, imageBytes } from "./helpers.js";

export const SECTOR = 2048;

// ---------------------------------------------------------------------------------------------
// Seeded PRNG (mulberry32): every choice a mutant makes comes from its seed, so it replays exactly.

export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  u32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** An integer in [0, n). */
  below(n: number): number {
    return n <= 0 ? 0 : Math.floor((this.u32() / 0x1_0000_0000) * n);
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[this.below(items.length)]!;
  }
  chance(p: number): boolean {
    return this.u32() / 0x1_0000_0000 < p;
  }
}

// ---------------------------------------------------------------------------------------------
// Seed images.

export interface SeedImage {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** LBA of the session the reader opens (multisession seed). */
  readonly sessionStart: number;
  readonly structures: Structures;
}

const DATE = new Date("2021-03-04T05:06:07Z");
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function fill(size: number, seed: number): Uint8Array {
  const rng = new Rng(seed);
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.u32() & 0xff;
  return out;
}

/** Rock Ridge (CE areas from long names and targets, relocated deep directories), Joliet, links, devices. */
function richTree(): FileSystemImage {
  const img = new FileSystemImage({ date: DATE });
  img.addFile("/readme.txt", enc("read me\n"));
  img.addFile("/docs/guide.txt", fill(5000, 1));
  img.addHardLink("/docs/hard.txt", "/readme.txt");
  img.addHardLink("/hard-too.txt", "/docs/guide.txt");
  img.addFile("/empty", new Uint8Array(0));
  img.addDirectory("/emptydir");
  img.addSymlink("/link", "docs/guide.txt");
  img.addSymlink("/escape", "../sentinel/owned");
  img.addSymlink("/absolute", "/nonexistent/target");
  img.addSymlink("/long-link", "../" + Array.from({ length: 30 }, (_, i) => `component-${i}`).join("/"));
  img.addFile("/" + "n".repeat(200), enc("a long Rock Ridge name lives in a continuation area"));
  img.addFile("/café ☕.txt", enc("unicode"));
  img.addDevice("/dev/tty", "char", 5, 0);
  img.addDevice("/dev/sda", "block", 8, 0);
  img.addDevice("/dev/pipe", "fifo");
  img.addDevice("/dev/sock", "socket");
  let deep = "";
  for (let i = 1; i <= 11; i++) {
    deep += `/d${i}`;
    if (i % 4 === 0) img.addFile(`${deep}/at-${i}.txt`, enc(`level ${i}`));
  }
  img.addFile(`${deep}/leaf.txt`, enc("deepest"));
  return img;
}

function plainTree(): FileSystemImage {
  const img = new FileSystemImage({ date: DATE });
  img.addFile("/A.TXT", enc("alpha"));
  img.addFile("/B/C.DAT", fill(3000, 2));
  img.addFile("/B/D/E.BIN", fill(100, 3));
  img.addDirectory("/F");
  return img;
}

/** Two sessions; the second holds a multi-extent file whose sections are recorded in the first. */
async function multisession(): Promise<{ bytes: Uint8Array; sessionStart: number }> {
  const first = new FileSystemImage({ date: DATE });
  first.addFile("/one.bin", fill(3 * SECTOR, 4));
  first.addFile("/keep.txt", enc("kept"));
  const s1 = await imageBytes(first, { joliet: false });
  const reader = await IsoReader.open(new BytesBlockSource(s1));
  const one = await reader.stat("/one.bin");
  const lba = one.extents[0]!.lba;
  const second = new FileSystemImage({ date: DATE });
  const imported = await importSession(reader, second);
  second.addFile("/multi.bin", new RecordedContent(3 * SECTOR, [{ lba, length: 2 * SECTOR }, { lba: lba + 2, length: SECTOR }], "multi.bin"));
  second.addFile("/new.txt", enc("second session"));
  second.addSymlink("/to-keep", "keep.txt");
  return { bytes: await imageBytes(second, { startLba: imported.volumeEnd }, s1), sessionStart: imported.volumeEnd };
}

export async function buildSeeds(): Promise<SeedImage[]> {
  const seeds: { name: string; bytes: Uint8Array; sessionStart: number }[] = [
    { name: "rock-ridge-1.12+joliet", bytes: await imageBytes(richTree(), {}), sessionStart: 0 },
    { name: "rock-ridge-1.10", bytes: await imageBytes(richTree(), { rockRidge: "1.10", joliet: false }), sessionStart: 0 },
    { name: "plain-iso9660", bytes: await imageBytes(plainTree(), { rockRidge: false, joliet: false }), sessionStart: 0 },
    { name: "iso9660-1999+joliet", bytes: await imageBytes(plainTree(), { level: "1999", rockRidge: false }), sessionStart: 0 },
    { name: "multisession", ...(await multisession()) },
  ];
  return seeds.map((s) => ({ ...s, structures: locateStructures(s.bytes, s.sessionStart) }));
}

// ---------------------------------------------------------------------------------------------
// Where the structures of an (unmutated) seed are, so mutations hit them and not only file data.

export interface RecordInfo {
  /** Absolute byte offset of the directory record. */
  readonly off: number;
  readonly len: number;
  /** LBA of the directory holding it, and of that directory's parent. */
  readonly dirLba: number;
  readonly parentLba: number;
}

export interface SuspInfo {
  readonly off: number;
  readonly signature: string;
  readonly len: number;
}

export interface Structures {
  readonly sectors: number;
  /** Absolute offsets of the volume descriptor sectors (terminator included). */
  readonly descriptors: readonly number[];
  /** Primary/supplementary descriptors: their offsets. */
  readonly volumes: readonly number[];
  readonly pathTables: readonly { off: number; len: number }[];
  readonly directories: readonly { lba: number; length: number }[];
  readonly records: readonly RecordInfo[];
  readonly susp: readonly SuspInfo[];
  readonly fileExtents: readonly { lba: number; length: number }[];
  readonly rootLbas: readonly number[];
}

const le32 = (b: Uint8Array, o: number): number => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
const be32 = (b: Uint8Array, o: number): number => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;

export function locateStructures(bytes: Uint8Array, sessionStart: number): Structures {
  const sectors = Math.floor(bytes.length / SECTOR);
  const descriptors: number[] = [];
  const volumes: number[] = [];
  const pathTables: { off: number; len: number }[] = [];
  const directories: { lba: number; length: number }[] = [];
  const records: RecordInfo[] = [];
  const susp: SuspInfo[] = [];
  const fileExtents: { lba: number; length: number }[] = [];
  const rootLbas: number[] = [];
  const seenDirs = new Set<number>();
  const queue: { lba: number; length: number; parentLba: number }[] = [];
  for (let lba = sessionStart + 16; lba < sectors; lba++) {
    const off = lba * SECTOR;
    descriptors.push(off);
    const type = bytes[off]!;
    if (type === 255) break;
    if (type !== 1 && type !== 2) continue;
    volumes.push(off);
    const ptSize = le32(bytes, off + 132);
    pathTables.push({ off: le32(bytes, off + 140) * SECTOR, len: ptSize }, { off: be32(bytes, off + 148) * SECTOR, len: ptSize });
    const root = { lba: le32(bytes, off + 158), length: le32(bytes, off + 166) };
    rootLbas.push(root.lba);
    queue.push({ ...root, parentLba: root.lba });
  }
  const suspAt = (areaOff: number, areaLen: number, hops: number): void => {
    let o = areaOff;
    while (o + 4 <= areaOff + areaLen) {
      const a = bytes[o]!;
      const b = bytes[o + 1]!;
      const len = bytes[o + 2]!;
      if (a < 0x41 || a > 0x5a || b < 0x41 || b > 0x5a || len < 4) break;
      const signature = String.fromCharCode(a, b);
      susp.push({ off: o, signature, len });
      if (signature === "CE" && hops < 8) suspAt(le32(bytes, o + 4) * SECTOR + le32(bytes, o + 12), le32(bytes, o + 20), hops + 1);
      if (signature === "ST") break;
      o += len;
    }
  };
  while (queue.length > 0) {
    const dir = queue.shift()!;
    if (seenDirs.has(dir.lba)) continue;
    seenDirs.add(dir.lba);
    directories.push({ lba: dir.lba, length: dir.length });
    const base = dir.lba * SECTOR;
    for (let o = 0; o < dir.length; ) {
      const len = bytes[base + o]!;
      if (len === 0) {
        o = (Math.floor(o / SECTOR) + 1) * SECTOR;
        continue;
      }
      const off = base + o;
      const idLen = bytes[off + 32]!;
      const suaStart = 33 + idLen + (idLen % 2 === 0 ? 1 : 0);
      const isDirectory = (bytes[off + 25]! & 0x02) !== 0;
      records.push({ off, len, dirLba: dir.lba, parentLba: dir.parentLba });
      suspAt(off + suaStart, len - suaStart, 0);
      const isDot = idLen === 1 && (bytes[off + 33] === 0 || bytes[off + 33] === 1);
      const extent = { lba: le32(bytes, off + 2), length: le32(bytes, off + 10) };
      if (!isDot && isDirectory) queue.push({ ...extent, parentLba: dir.lba });
      else if (!isDot && extent.length > 0) fileExtents.push(extent);
      o += len;
    }
  }
  return { sectors, descriptors, volumes, pathTables, directories, records, susp, fileExtents, rootLbas };
}

// ---------------------------------------------------------------------------------------------
// Mutations.

function setBoth32(b: Uint8Array, off: number, v: number): void {
  const x = v >>> 0;
  b[off] = x & 0xff;
  b[off + 1] = (x >>> 8) & 0xff;
  b[off + 2] = (x >>> 16) & 0xff;
  b[off + 3] = x >>> 24;
  b[off + 4] = x >>> 24;
  b[off + 5] = (x >>> 16) & 0xff;
  b[off + 6] = (x >>> 8) & 0xff;
  b[off + 7] = x & 0xff;
}

function setBoth16(b: Uint8Array, off: number, v: number): void {
  b[off] = v & 0xff;
  b[off + 1] = (v >>> 8) & 0xff;
  b[off + 2] = (v >>> 8) & 0xff;
  b[off + 3] = v & 0xff;
}

function interestingU32(rng: Rng, s: Structures): number {
  return rng.pick([0, 1, 2, 16, 17, 255, 256, 2047, 2048, 2049, 0x7fff_ffff, 0x8000_0000, 0xffff_fffe, 0xffff_ffff, 0x0fff_ffff, 0x0a00_0000, 0x00ff_ffff, s.sectors - 1, s.sectors, s.sectors + 1, s.sectors * SECTOR - 1, s.sectors * SECTOR, rng.u32(), rng.below(s.sectors * SECTOR)]);
}

function interestingByte(rng: Rng, old: number): number {
  return rng.pick([0, 1, 2, 3, 4, 5, 7, 28, 33, 34, 35, 127, 128, 254, 255, (old + 1) & 0xff, (old - 1) & 0xff, rng.below(256)]);
}

/**
 * An LBA a hostile extent might point at: its own directory, the parent, the root, a descriptor,
 * file data (random bytes read as records or System Use entries), the end of the volume.
 */
function interestingLba(rng: Rng, s: Structures, r?: RecordInfo): number {
  const dirs = s.directories.map((d) => d.lba);
  const data = s.fileExtents.length > 0 ? [rng.pick(s.fileExtents).lba] : [];
  return rng.pick([0, 16, 17, ...s.rootLbas, ...(r ? [r.dirLba, r.parentLba, Math.floor(r.off / SECTOR)] : []), rng.pick(dirs), ...data, s.sectors - 1, s.sectors, s.sectors + 1, 0xffff_ffff, 0x7fff_ffff, rng.below(s.sectors)]);
}

const SIGNATURES = ["SP", "CE", "ER", "ST", "PD", "RR", "PX", "PN", "SL", "NM", "CL", "PL", "RE", "TF", "SF", "ZF", "AA", "ES"];
const HOSTILE_NAMES = ["..", ".", "/", "a/b", "../x", "\0", "x\0y", "", "../../../../tmp/owned", "/etc/passwd"];

type Mutation = (b: Uint8Array, s: Structures, rng: Rng) => string;

/** A byte inside some structure: descriptor, directory record, SUSP entry or path table. */
function structureByte(s: Structures, rng: Rng): number {
  switch (rng.below(4)) {
    case 0:
      return rng.pick(s.volumes.length > 0 ? s.volumes : s.descriptors) + rng.below(200);
    case 1: {
      const r = rng.pick(s.records);
      return r.off + rng.below(r.len);
    }
    case 2: {
      if (s.susp.length === 0) return structureByte(s, rng);
      const e = rng.pick(s.susp);
      return e.off + rng.below(e.len);
    }
    default: {
      const pt = rng.pick(s.pathTables);
      return pt.off + rng.below(Math.max(1, pt.len));
    }
  }
}

const MUTATIONS: readonly [weight: number, name: string, fn: Mutation][] = [
  [6, "bit flip", (b, s, rng) => {
    const at = structureByte(s, rng);
    const bit = rng.below(8);
    if (at < b.length) b[at]! ^= 1 << bit;
    return `flip bit ${bit} at ${at}`;
  }],
  [4, "random bytes", (b, s, rng) => {
    const at = structureByte(s, rng);
    const n = 1 + rng.below(16);
    for (let i = 0; i < n && at + i < b.length; i++) b[at + i] = rng.below(256);
    return `${n} random bytes at ${at}`;
  }],
  [8, "record length field", (b, s, rng) => {
    const r = rng.pick(s.records);
    const v = interestingU32(rng, s);
    setBoth32(b, r.off + 10, v);
    return `record ${r.off} data length = ${v}`;
  }],
  [8, "record extent", (b, s, rng) => {
    const r = rng.pick(s.records);
    const v = interestingLba(rng, s, r);
    setBoth32(b, r.off + 2, v);
    if (rng.chance(0.3)) b[r.off + 25]! |= 0x02;
    return `record ${r.off} extent = ${v} (flags ${b[r.off + 25]})`;
  }],
  [6, "record byte field", (b, s, rng) => {
    const r = rng.pick(s.records);
    const field = rng.pick([0, 1, 25, 26, 27, 32]);
    const v = field === 25 ? rng.pick([0, 0x02, 0x80, 0x82, 0x01, 0x04, 0xff, b[r.off + 25]! ^ 0x02, b[r.off + 25]! | 0x80]) : interestingByte(rng, b[r.off + field]!);
    b[r.off + field] = v;
    return `record ${r.off} byte ${field} = ${v}`;
  }],
  [3, "record identifier", (b, s, rng) => {
    const r = rng.pick(s.records);
    const idLen = b[r.off + 32]!;
    const name = rng.pick(HOSTILE_NAMES);
    // UTF-8 for ISO 9660 and Rock Ridge identifiers, UCS-2 big-endian for Joliet ones.
    const bytes = rng.chance(0.5) ? enc(name) : Uint8Array.from([...name].flatMap((c) => [c.charCodeAt(0) >> 8, c.charCodeAt(0) & 0xff]));
    for (let i = 0; i < idLen; i++) b[r.off + 33 + i] = i < bytes.length ? bytes[i]! : rng.chance(0.5) ? 0x20 : 0;
    if (rng.chance(0.5)) b[r.off + 32] = Math.max(1, Math.min(idLen, bytes.length));
    return `record ${r.off} identifier = ${JSON.stringify(name)}`;
  }],
  [3, "copy record", (b, s, rng) => {
    const from = rng.pick(s.records);
    const to = rng.pick(s.records.filter((r) => r.len === from.len));
    b.copyWithin(to.off, from.off, from.off + from.len);
    return `record ${from.off} copied over ${to.off}`;
  }],
  [8, "SUSP entry length", (b, s, rng) => {
    if (s.susp.length === 0) return "no SUSP";
    const e = rng.pick(s.susp);
    const v = interestingByte(rng, e.len);
    b[e.off + 2] = v;
    return `SUSP ${e.signature} at ${e.off} length = ${v}`;
  }],
  [5, "SUSP signature", (b, s, rng) => {
    if (s.susp.length === 0) return "no SUSP";
    const e = rng.pick(s.susp);
    const sig = rng.pick(SIGNATURES);
    b[e.off] = sig.charCodeAt(0);
    b[e.off + 1] = sig.charCodeAt(1);
    return `SUSP ${e.signature} at ${e.off} renamed ${sig}`;
  }],
  [8, "SUSP payload", (b, s, rng) => {
    if (s.susp.length === 0) return "no SUSP";
    const e = rng.pick(s.susp);
    const fieldCount = Math.floor((e.len - 4) / 8);
    if (fieldCount > 0 && rng.chance(0.7)) {
      const field = rng.below(fieldCount);
      const at = e.off + 4 + field * 8;
      const v = e.signature === "PX" && field === 0 ? rng.pick([0o040755, 0o100644, 0o120777, 0o020644, 0o060644, 0o010644, 0o140644, 0o170777, 0, rng.u32()]) : e.signature === "CL" || e.signature === "PL" ? interestingLba(rng, s) : interestingU32(rng, s);
      setBoth32(b, at, v);
      return `SUSP ${e.signature} at ${e.off} field ${field} = ${v}`;
    }
    const at = e.off + 4 + rng.below(Math.max(1, e.len - 4));
    const v = interestingByte(rng, b[at]!);
    b[at] = v;
    return `SUSP ${e.signature} at ${e.off} byte ${at - e.off} = ${v}`;
  }],
  [4, "hostile NM name", (b, s, rng) => {
    const nms = s.susp.filter((e) => e.signature === "NM");
    if (nms.length === 0) return "no NM";
    const e = rng.pick(nms);
    const name = enc(rng.pick(HOSTILE_NAMES));
    const room = e.len - 5;
    if (name.length > room) return `NM at ${e.off} too short`;
    b[e.off + 4] = 0;
    b.set(name, e.off + 5);
    b[e.off + 2] = 5 + name.length;
    // Keep the following entries parseable: pad the rest of the old entry with a PD entry.
    const rest = room - name.length;
    if (rest >= 4) b.set([0x50, 0x44, rest, 1], e.off + 5 + name.length);
    else b[e.off + 2] = e.len;
    return `NM at ${e.off} = ${new TextDecoder().decode(name)}`;
  }],
  [4, "hostile SL target", (b, s, rng) => {
    const sls = s.susp.filter((e) => e.signature === "SL");
    if (sls.length === 0) return "no SL";
    const e = rng.pick(sls);
    const flag = rng.pick([0x00, 0x01, 0x02, 0x04, 0x08, 0xff]);
    const len = interestingByte(rng, b[e.off + 6]!);
    b[e.off + 4 + 1] = flag;
    b[e.off + 4 + 2] = len;
    if (rng.chance(0.5)) b[e.off + 4] = rng.pick([0, 1, 0xff]);
    return `SL at ${e.off} first component flags ${flag} length ${len}`;
  }],
  [6, "CE loop", (b, s, rng) => {
    const ces = s.susp.filter((e) => e.signature === "CE");
    if (ces.length === 0) return "no CE";
    const e = rng.pick(ces);
    const mode = rng.below(4);
    const block = mode === 0 ? Math.floor(e.off / SECTOR) : mode === 1 ? rng.pick(s.rootLbas) : mode === 2 ? le32(b, e.off + 4) : interestingLba(rng, s);
    const offset = mode === 0 ? e.off % SECTOR : mode === 2 ? rng.below(SECTOR) : rng.pick([0, 28, 2020, 2047, 2048, rng.below(SECTOR)]);
    const length = rng.pick([28, 0, 1, 4, 255, 2048 - offset, 2048, 0xffff_ffff, le32(b, e.off + 20)]);
    setBoth32(b, e.off + 4, block);
    setBoth32(b, e.off + 12, offset);
    setBoth32(b, e.off + 20, length);
    return `CE at ${e.off} -> block ${block} offset ${offset} length ${length}`;
  }],
  [5, "volume descriptor field", (b, s, rng) => {
    const vd = rng.pick(s.volumes);
    const field = rng.pick(["space", "root extent", "root length", "block size", "type", "escape", "version", "root record length", "root flags", "identifier"]);
    switch (field) {
      case "space":
        setBoth32(b, vd + 80, interestingU32(rng, s));
        break;
      case "root extent":
        setBoth32(b, vd + 158, interestingLba(rng, s));
        break;
      case "root length":
        setBoth32(b, vd + 166, interestingU32(rng, s));
        break;
      case "block size":
        setBoth16(b, vd + 128, rng.pick([0, 512, 1024, 2048, 4096, 0xffff]));
        break;
      case "type":
        b[vd] = rng.pick([0, 1, 2, 3, 4, 255]);
        break;
      case "escape":
        b.set(enc(rng.pick(["%/@", "%/C", "%/E", "%/F", "\0\0\0"])), vd + 88);
        break;
      case "version":
        b[vd + 6] = rng.pick([0, 1, 2, 255]);
        break;
      case "root record length":
        b[vd + 156] = interestingByte(rng, 34);
        break;
      case "root flags":
        b[vd + 156 + 25] = rng.pick([0, 0x80, 0x82, 0xff]);
        break;
      default:
        b[vd + 1 + rng.below(5)] = rng.below(256);
    }
    return `descriptor ${vd} ${field}`;
  }],
  [2, "terminator", (b, s, rng) => {
    const last = s.descriptors[s.descriptors.length - 1]!;
    const v = rng.pick([0, 1, 2, 3]);
    b[last] = v;
    return `terminator at ${last} type = ${v}`;
  }],
  [4, "duplicate sector", (b, s, rng) => {
    const structural = [...s.descriptors.map((o) => o / SECTOR), ...s.directories.map((d) => d.lba), ...s.susp.filter((e) => e.signature !== "CE").map((e) => Math.floor(e.off / SECTOR))];
    const from = rng.pick(structural);
    const to = rng.chance(0.7) ? rng.pick(structural) : rng.below(s.sectors);
    if ((from + 1) * SECTOR <= b.length && (to + 1) * SECTOR <= b.length) b.copyWithin(to * SECTOR, from * SECTOR, (from + 1) * SECTOR);
    return `sector ${from} copied over ${to}`;
  }],
  [3, "truncate", () => "truncate"],
];

export interface Mutant {
  readonly seedName: string;
  readonly bytes: Uint8Array;
  readonly sessionStart: number;
  readonly steps: readonly string[];
}

const TOTAL_WEIGHT = MUTATIONS.reduce((n, [w]) => n + w, 0);

/** The mutant a seed number stands for: which seed image, which 1-3 mutations. */
export function makeMutant(seeds: readonly SeedImage[], mutantSeed: number): Mutant {
  const rng = new Rng(mutantSeed);
  const seed = rng.pick(seeds);
  const bytes = seed.bytes.slice();
  const steps: string[] = [];
  const count = 1 + rng.below(3);
  // Truncation comes last, so the other mutations still find their structures in the bytes.
  let cut = bytes.length;
  for (let i = 0; i < count; i++) {
    let roll = rng.below(TOTAL_WEIGHT);
    let chosen = MUTATIONS[0]!;
    for (const m of MUTATIONS) {
      if (roll < m[0]) {
        chosen = m;
        break;
      }
      roll -= m[0];
    }
    if (chosen[1] === "truncate") {
      const at = rng.chance(0.6) ? rng.below(seed.structures.sectors) * SECTOR : rng.below(bytes.length);
      cut = Math.min(cut, at);
      steps.push(`truncate to ${at} bytes`);
    } else steps.push(chosen[2](bytes, seed.structures, rng));
  }
  return { seedName: seed.name, bytes: cut < bytes.length ? bytes.slice(0, cut) : bytes, sessionStart: seed.sessionStart, steps };
}

// ---------------------------------------------------------------------------------------------
// Running one image through the reader and checking the outcome.

/** A broken fuzz invariant (as opposed to a typed error the reader threw on purpose). */
export class FuzzFailure extends Error {
  override readonly name = "FuzzFailure";
}

export interface Outcome {
  /** Typed errors, as "operation: ErrorName (structure)", for the run's statistics. */
  readonly errors: string[];
  readonly entries: number;
  readonly extracted: number;
  /** Bytes the reader requested, over the image size (at least 64 sectors: a truncated image still gets a fair budget). */
  readonly readRatio: number;
}

export interface ExerciseOptions {
  /** A directory the checks may use (it gets "dest" and "sentinel" inside). */
  readonly workDir: string;
  /** Largest heap + ArrayBuffer growth accepted during one image, in bytes. */
  readonly memoryLimit: number;
  /** Largest number of bytes the reader may request from the source, as a multiple of the image size. */
  readonly readAmplification: number;
  /**
   * Where to look entries up by path (stat, list, readFile), extract and import: "all"
   * namespaces, or one, the n-th of those the image offers (modulo their count). Every namespace
   * is walked and read; the path lookups and the extraction are the slow part, so mutants take turns.
   */
  readonly extract: "all" | number;
  /** Wraps the image's block source (the harness's own tests inject faults through it). */
  readonly source?: (inner: BlockSource) => BlockSource;
}

function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}\n${e.stack ?? ""}`;
  return `non-Error ${String(e)}`;
}

/**
 * Where an error's detail quotes the bytes it choked on, they must be at the offset it names: an
 * offset relative to some inner buffer (an entry, a sector) would send the reader of the message
 * to the wrong place in the image. Returns what is wrong, or undefined.
 */
export function misplacedOffset(e: MalformedDataError, image: Uint8Array): string | undefined {
  const at = e.offset;
  const both = /both-endian mismatch: LE (\d+) vs BE (\d+)/.exec(e.detail);
  if (both) {
    const [le, be] = [Number(both[1]), Number(both[2])];
    const dv = new DataView(image.buffer, image.byteOffset, image.byteLength);
    const fits32 = at + 8 <= image.length && dv.getUint32(at, true) === le && dv.getUint32(at + 4, false) === be;
    const fits16 = at + 4 <= image.length && dv.getUint16(at, true) === le && dv.getUint16(at + 2, false) === be;
    return fits32 || fits16 ? undefined : `the image has no both-endian field LE ${le} / BE ${be} at offset ${at}`;
  }
  const digit = /byte 0x([0-9a-f]+) is not a digit/.exec(e.detail);
  if (digit) return image[at] === parseInt(digit[1]!, 16) ? undefined : `the image has no byte 0x${digit[1]} at offset ${at}`;
  const entry = /entry "(..)" has length (\d+)/.exec(e.detail);
  if (entry) {
    const sig = String.fromCharCode(image[at] ?? 0, image[at + 1] ?? 0);
    return sig === entry[1] && image[at + 2] === Number(entry[2]) ? undefined : `the image has no SUSP entry "${entry[1]}" of length ${entry[2]} at offset ${at}`;
  }
  // Directory record length and identifier length bytes.
  const lengthByte = /^(?:identifier )?length (\d+) (?:is below the 34-byte minimum|runs past the extent|does not fit)/.exec(e.detail);
  if (lengthByte) return image[at] === Number(lengthByte[1]) ? undefined : `the image has no length byte ${lengthByte[1]} at offset ${at}`;
  if (e.detail === "record crosses a sector boundary") return (at % SECTOR) + (image[at] ?? 0) > SECTOR ? undefined : `no record crossing a sector starts at offset ${at}`;
  if (/standard identifier is not CD001/.test(e.detail)) return at < image.length && String.fromCharCode(...image.subarray(at, at + 5)) !== "CD001" ? undefined : `the bytes at offset ${at} are not a bad standard identifier`;
  return undefined;
}

// V8's own figures: cheaper than process.memoryUsage() (which also reads the RSS) and per thread.
const memoryNow = (): number => {
  const h = getHeapStatistics();
  return h.used_heap_size + h.external_memory;
};

/**
 * Opens the image, walks every namespace it offers, lists, stats and reads everything, extracts
 * and imports it. Returns when every operation either succeeded or threw a DiscforgeError that
 * names its structure and offset; throws FuzzFailure otherwise.
 */
export async function exerciseImage(bytes: Uint8Array, sessionStart: number, options: ExerciseOptions): Promise<Outcome> {
  const errors: string[] = [];
  const baseline = memoryNow();
  const inner = new BytesBlockSource(bytes);
  const source = new CountingSource(options.source ? options.source(inner) : inner);
  const readBase = Math.max(bytes.length, 64 * SECTOR);
  const readBudget = options.readAmplification * readBase;
  let entries = 0;
  let extracted = 0;
  const checkBounds = (what: string): void => {
    const grown = memoryNow() - baseline;
    if (grown > options.memoryLimit) throw new FuzzFailure(`${what}: memory grew by ${(grown / 2 ** 20).toFixed(1)} MiB (limit ${options.memoryLimit / 2 ** 20} MiB)`);
    if (source.requested > readBudget) throw new FuzzFailure(`${what}: the reader requested ${source.requested} bytes of a ${bytes.length}-byte image`);
  };
  const guarded = async <T>(what: string, fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      const value = await fn();
      checkBounds(what);
      return value;
    } catch (e) {
      if (e instanceof FuzzFailure) throw e;
      checkBounds(what);
      if (!(e instanceof DiscforgeError)) throw new FuzzFailure(`${what} threw an untyped error: ${describeError(e)}`);
      if (e instanceof MalformedDataError && (e.structure === "" || !Number.isSafeInteger(e.offset) || e.offset < 0)) {
        throw new FuzzFailure(`${what}: MalformedDataError without a usable structure/offset: ${describeError(e)}`);
      }
      // The destination is fresh and the disk healthy: the only refusal the host may make is a
      // name or path too long for it. Any other means the image's fault was blamed on the disk.
      const code = (e.cause as { code?: unknown } | undefined)?.code;
      if (e instanceof ImageUnwritableError && code !== "ENAMETOOLONG") throw new FuzzFailure(`${what}: the image made the host refuse (${String(code)}): ${describeError(e)}`);
      const misplaced = e instanceof MalformedDataError ? misplacedOffset(e, bytes) : undefined;
      if (misplaced) throw new FuzzFailure(`${what}: "${e.message}" names the wrong offset: ${misplaced}\n${e.stack ?? ""}`);
      errors.push(`${what.split(" ")[0]}: ${e.name}${e instanceof MalformedDataError ? ` (${e.structure})` : typeof code === "string" ? ` (${code})` : ""}`);
      return undefined;
    }
  };

  const auto = await guarded("open", () => IsoReader.open(source, { sessionStart }));
  if (!auto) return { errors, entries, extracted, readRatio: source.requested / readBase };
  const namespaces: Namespace[] = [auto.namespace];
  if (auto.rockRidge && !namespaces.includes("rockridge")) namespaces.push("rockridge");
  if (auto.joliet && !namespaces.includes("joliet")) namespaces.push("joliet");
  if (!namespaces.includes("iso9660")) namespaces.push("iso9660");

  const extractIn = options.extract === "all" ? namespaces : [namespaces[options.extract % namespaces.length]!];
  for (const ns of namespaces) {
    const reader = ns === auto.namespace ? auto : await guarded(`open ${ns}`, () => IsoReader.open(source, { sessionStart, namespace: ns }));
    if (!reader) continue;
    const walked: [string, IsoEntry][] = [];
    await guarded(`walk ${ns}`, async () => {
      for await (const item of reader.walk()) walked.push(item);
    });
    entries += walked.length;
    const byPath = extractIn.includes(ns);
    if (byPath) {
      await guarded(`list ${ns} /`, () => reader.list("/"));
      await guarded(`stat ${ns} /`, () => reader.stat("/"));
    }
    for (const [path, entry] of walked) {
      if (entry.type === "file") {
        const total = await guarded(`read ${ns} ${path}`, async () => {
          let n = 0;
          for await (const chunk of reader.read(entry, { chunkSize: 64 << 10 })) n += chunk.length;
          return n;
        });
        if (total !== undefined && total !== entry.size) throw new FuzzFailure(`read ${ns} ${path}: ${total} bytes, the entry says ${entry.size}`);
      }
      if (!byPath) continue;
      const found = await guarded(`stat ${ns} ${path}`, async () => {
        try {
          return await reader.stat(path);
        } catch (e) {
          // A path the walk produced must name something: the walk and the lookup agree on names.
          if (e instanceof InvalidArgumentError && /is not in the image/.test(e.message)) throw new FuzzFailure(`stat ${ns} ${JSON.stringify(path)} after the walk yielded it: ${e.message}`);
          throw e;
        }
      });
      if (found === undefined) continue;
      if (entry.type === "directory") await guarded(`list ${ns} ${path}`, () => reader.list(path));
      if (entry.type === "file") await guarded(`readFile ${ns} ${path}`, () => reader.readFile(path));
    }
    if (!byPath) continue;
    extracted += await extractChecked(reader, ns, options.workDir, guarded);
    await guarded(`import ${ns}`, () => importSession(reader, new FileSystemImage({ date: DATE })));
  }
  return { errors, entries, extracted, readRatio: source.requested / readBase };
}

/** Extracts into workDir/dest and checks nothing appeared outside it and no special files were made. */
async function extractChecked(reader: IsoReader, ns: Namespace, workDir: string, guarded: <T>(what: string, fn: () => Promise<T>) => Promise<T | undefined>): Promise<number> {
  const dest = join(workDir, "dest");
  const sentinel = join(workDir, "sentinel");
  mkdirSync(sentinel, { recursive: true });
  const before = readdirSync(workDir).sort().join(",");
  if (before !== "sentinel") throw new FuzzFailure(`work directory not clean before extracting: ${before}`);
  try {
    const result = await guarded(`extract ${ns}`, () => extractImage(reader, dest));
    const after = readdirSync(workDir).sort().join(",");
    if (after !== "sentinel" && after !== "dest,sentinel") throw new FuzzFailure(`extract ${ns} created ${after} next to the destination`);
    const inSentinel = readdirSync(sentinel);
    if (inSentinel.length > 0) throw new FuzzFailure(`extract ${ns} wrote ${inSentinel.join(",")} outside the destination`);
    const found = { files: 0, directories: 0, symlinks: 0 };
    const visit = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        const st = lstatSync(p);
        if (st.isDirectory()) {
          found.directories++;
          visit(p);
        } else if (st.isFile()) found.files++;
        else if (st.isSymbolicLink()) found.symlinks++;
        else throw new FuzzFailure(`extract ${ns} created a special file ${p} (mode ${st.mode.toString(8)})`);
      }
    };
    if (after === "dest,sentinel") visit(dest);
    if (result && (result.files !== found.files || result.directories !== found.directories || result.symlinks !== found.symlinks)) {
      throw new FuzzFailure(`extract ${ns} reported ${JSON.stringify({ files: result.files, directories: result.directories, symlinks: result.symlinks })} but created ${JSON.stringify(found)}`);
    }
    return found.files + found.directories + found.symlinks;
  } finally {
    rmSync(dest, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Worker entry: runs mutants [first, first + count) and reports to the watchdog in the test.

export interface FuzzWorkerData {
  readonly readerFuzz: true;
  readonly baseSeed: number;
  readonly count: number;
  readonly workDir: string;
  readonly memoryLimit: number;
  readonly readAmplification: number;
  /** "hang": the first mutant never finishes (the watchdog's own test). */
  readonly selfTest?: "hang";
}

export type FuzzMessage =
  | { readonly kind: "start"; readonly seed: number; readonly mutant: string }
  | { readonly kind: "failure"; readonly seed: number; readonly mutant: string; readonly message: string }
  | { readonly kind: "done"; readonly mutants: number; readonly clean: number; readonly rejected: number; readonly structures: Record<string, number>; readonly maxReadRatio: number; readonly ms: number };

export const mutantSeedOf = (baseSeed: number, index: number): number => (baseSeed + Math.imul(index, 0x9e37_79b9)) >>> 0;
export const hex = (n: number): string => "0x" + n.toString(16).padStart(8, "0");

export function describeMutant(seed: number, m: Mutant): string {
  return `seed ${hex(seed)} (${m.seedName}: ${m.steps.join("; ")})`;
}

async function workerMain(data: FuzzWorkerData): Promise<void> {
  const started = Date.now();
  let current = "(building seeds)";
  let currentSeed = 0;
  process.on("unhandledRejection", (reason) => {
    parentPort!.postMessage({ kind: "failure", seed: currentSeed, mutant: current, message: `unhandled rejection: ${describeError(reason)}` } satisfies FuzzMessage);
  });
  const seeds = await buildSeeds();
  let clean = 0;
  let rejected = 0;
  let maxReadRatio = 0;
  const structures: Record<string, number> = {};
  for (let i = 0; i < data.count; i++) {
    currentSeed = mutantSeedOf(data.baseSeed, i);
    const mutant = makeMutant(seeds, currentSeed);
    current = describeMutant(currentSeed, mutant);
    parentPort!.postMessage({ kind: "start", seed: currentSeed, mutant: current } satisfies FuzzMessage);
    if (data.selfTest === "hang") {
      void Promise.reject(new Error("stray"));
      await new Promise((resolve) => setImmediate(resolve));
      for (;;);
    }
    try {
      const outcome = await exerciseImage(mutant.bytes, mutant.sessionStart, { ...data, extract: currentSeed });
      if (outcome.errors.length === 0) clean++;
      else rejected++;
      maxReadRatio = Math.max(maxReadRatio, outcome.readRatio);
      for (const e of new Set(outcome.errors)) structures[e] = (structures[e] ?? 0) + 1;
    } catch (e) {
      parentPort!.postMessage({ kind: "failure", seed: currentSeed, mutant: current, message: e instanceof FuzzFailure ? e.message : describeError(e) } satisfies FuzzMessage);
    }
  }
  parentPort!.postMessage({ kind: "done", mutants: data.count, clean, rejected, structures, maxReadRatio, ms: Date.now() - started } satisfies FuzzMessage);
}

if (!isMainThread && (workerData as Partial<FuzzWorkerData> | undefined)?.readerFuzz === true) {
  void workerMain(workerData as FuzzWorkerData);
}
