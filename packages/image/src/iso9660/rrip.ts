/**
 * Rock Ridge Interchange Protocol entries (RRIP 1.12, IEEE P1282; 1.10 compatible).
 *
 *  PX (4.1.1) POSIX attributes: mode, links, uid, gid (both 32 each); 1.12 adds the file serial
 *             number (LEN 44; 1.10 writes LEN 36).
 *  PN (4.1.2) device number: high and low 32 bits (both 32 each).                       LEN 20
 *  SL (4.1.3) symbolic link: flags (bit 0 continues in the next SL), then component records
 *             [flags (0 continue, 1 current ".", 2 parent "..", 3 root "/"), length, content].
 *  NM (4.1.4) alternate name: flags (0 continue, 1 current, 2 parent), then name bytes.
 *  CL (4.1.5.1) child link: location of the relocated directory (both 32).             LEN 12
 *  PL (4.1.5.2) parent link: location of the original parent directory (both 32).      LEN 12
 *  RE (4.1.5.3) this directory record is a relocated directory.                         LEN 4
 *  TF (4.1.6) time stamps: flags (0 creation, 1 modify, 2 access, 3 attributes, 4 backup,
 *             5 expiration, 6 effective, 7 long form), then 7- or 17-byte stamps in flag order.
 *  RR (RRIP 1.09/1.10 only) flags saying which of PX PN SL NM CL PL RE TF are present.
 * Extension identifiers in ER: "RRIP_1991A" (1.10), "IEEE_P1282" / "IEEE_1282" (1.12).
 */
import { readBoth32, writeBoth32 } from "@discforge/bytes";
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";
import { decodeLongDateTime, decodeShortDateTime, encodeShortDateTime } from "./datetime.js";
import { atImageOffset } from "./image-offset.js";
import { encodeEntry, type SuspEntry } from "./susp.js";

export const RRIP_IDENTIFIERS = {
  v110: { identifier: "RRIP_1991A", descriptor: "THE ROCK RIDGE INTERCHANGE PROTOCOL PROVIDES SUPPORT FOR POSIX FILE SYSTEM SEMANTICS", source: "PLEASE CONTACT DISC PUBLISHER FOR SPECIFICATION SOURCE.  SEE PUBLISHER IDENTIFIER IN PRIMARY VOLUME DESCRIPTOR FOR CONTACT INFORMATION.", version: 1 },
  v112: { identifier: "IEEE_P1282", descriptor: "THE IEEE P1282 PROTOCOL PROVIDES SUPPORT FOR POSIX FILE SYSTEM SEMANTICS.", source: "PLEASE CONTACT THE IEEE STANDARDS DEPARTMENT, PISCATAWAY, NJ, USA FOR THE P1282 SPECIFICATION.", version: 1 },
} as const;

export const RR_FLAGS = { PX: 0x01, PN: 0x02, SL: 0x04, NM: 0x08, CL: 0x10, PL: 0x20, RE: 0x40, TF: 0x80 } as const;

export const TF_FLAGS = { creation: 0x01, modify: 0x02, access: 0x04, attributes: 0x08, backup: 0x10, expiration: 0x20, effective: 0x40, longForm: 0x80 } as const;

/** POSIX file type bits of st_mode as RRIP PX stores them. */
export const S_IF = { mask: 0o170000, socket: 0o140000, symlink: 0o120000, regular: 0o100000, block: 0o060000, directory: 0o040000, char: 0o020000, fifo: 0o010000 } as const;

export interface PosixAttributes {
  readonly mode: number;
  readonly links: number;
  readonly uid: number;
  readonly gid: number;
  /** File serial number (1.12 only). */
  readonly serial?: number;
}

export function encodePX(px: PosixAttributes, withSerial: boolean): Uint8Array {
  const data = new Uint8Array(withSerial ? 40 : 32);
  writeBoth32(data, 0, px.mode >>> 0);
  writeBoth32(data, 8, px.links);
  writeBoth32(data, 16, px.uid >>> 0);
  writeBoth32(data, 24, px.gid >>> 0);
  if (withSerial) writeBoth32(data, 32, px.serial ?? 0);
  return encodeEntry("PX", 1, data);
}

/** PX written in place at `off` (the bytes of `encodePX`), for building many records without per-entry arrays; returns its length. */
export function encodePXInto(px: PosixAttributes, withSerial: boolean, out: Uint8Array, off: number): number {
  const len = withSerial ? 44 : 36;
  out[off] = 0x50; // "P"
  out[off + 1] = 0x58; // "X"
  out[off + 2] = len;
  out[off + 3] = 1;
  writeBoth32(out, off + 4, px.mode >>> 0);
  writeBoth32(out, off + 12, px.links);
  writeBoth32(out, off + 20, px.uid >>> 0);
  writeBoth32(out, off + 28, px.gid >>> 0);
  if (withSerial) writeBoth32(out, off + 36, px.serial ?? 0);
  return len;
}

/** The decoders take `where`, the image offset of the entry; field errors name where + 4 + field. */
export function decodePX(e: SuspEntry, where: number): PosixAttributes {
  if (e.data.length < 32) throw new MalformedDataError("RRIP 4.1.1 PX entry", where, `length ${e.data.length + 4} is below 36`);
  return atImageOffset(where + 4, () => {
    const px = { mode: readBoth32(e.data, 0, "RRIP PX mode"), links: readBoth32(e.data, 8, "RRIP PX links"), uid: readBoth32(e.data, 16, "RRIP PX uid"), gid: readBoth32(e.data, 24, "RRIP PX gid") };
    return e.data.length >= 40 ? { ...px, serial: readBoth32(e.data, 32, "RRIP PX serial") } : px;
  });
}

export function encodePN(major: number, minor: number): Uint8Array {
  const data = new Uint8Array(16);
  writeBoth32(data, 0, major);
  writeBoth32(data, 8, minor);
  return encodeEntry("PN", 1, data);
}

export function decodePN(e: SuspEntry, where: number): { major: number; minor: number } {
  if (e.data.length < 16) throw new MalformedDataError("RRIP 4.1.2 PN entry", where, "too short");
  return atImageOffset(where + 4, () => ({ major: readBoth32(e.data, 0, "RRIP PN high"), minor: readBoth32(e.data, 8, "RRIP PN low") }));
}

/** Encodes one name as NM entries of at most 255 bytes each (CONTINUE on all but the last). */
export function encodeNM(name: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const max = 250;
  for (let off = 0; off < name.length || out.length === 0; off += max) {
    const piece = name.subarray(off, off + max);
    const more = off + max < name.length;
    const data = new Uint8Array(1 + piece.length);
    data[0] = more ? 0x01 : 0;
    data.set(piece, 1);
    out.push(encodeEntry("NM", 1, data));
  }
  return out;
}

/** A name of at most 250 bytes as one NM entry written in place at `off` (the bytes of `encodeNM`); returns its length. */
export function encodeNMInto(name: Uint8Array, out: Uint8Array, off: number): number {
  if (name.length > 250) throw new InvalidArgumentError("RRIP NM entry", `a ${name.length}-byte name needs several NM entries`);
  out[off] = 0x4e; // "N"
  out[off + 1] = 0x4d; // "M"
  out[off + 2] = 5 + name.length;
  out[off + 3] = 1;
  out[off + 4] = 0;
  out.set(name, off + 5);
  return 5 + name.length;
}

/** Symlink target as SL entries (components split at "/", long components continued). */
export function encodeSL(target: Uint8Array): Uint8Array[] {
  // Component records first, each at most 2 + 255 bytes.
  const comps: Uint8Array[] = [];
  const parts = splitBytes(target, 0x2f);
  let start = 0;
  if (target.length > 0 && target[0] === 0x2f) {
    comps.push(Uint8Array.of(0x08, 0));
    start = 1;
  }
  for (let i = start; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.length === 0) continue; // "a//b" and a trailing "/" carry no component
    if (p.length === 1 && p[0] === 0x2e) comps.push(Uint8Array.of(0x02, 0));
    else if (p.length === 2 && p[0] === 0x2e && p[1] === 0x2e) comps.push(Uint8Array.of(0x04, 0));
    else {
      for (let off = 0; off < p.length; off += 248) {
        const piece = p.subarray(off, off + 248);
        const c = new Uint8Array(2 + piece.length);
        c[0] = off + 248 < p.length ? 0x01 : 0;
        c[1] = piece.length;
        c.set(piece, 2);
        comps.push(c);
      }
    }
  }
  // Pack components into SL entries of at most 255 bytes (5-byte header).
  const entries: Uint8Array[][] = [[]];
  let used = 0;
  for (const c of comps) {
    if (used + c.length > 250) {
      entries.push([]);
      used = 0;
    }
    entries[entries.length - 1]!.push(c);
    used += c.length;
  }
  return entries.map((group, i) => {
    const size = group.reduce((n, c) => n + c.length, 0);
    const data = new Uint8Array(1 + size);
    data[0] = i < entries.length - 1 ? 0x01 : 0;
    let off = 1;
    for (const c of group) {
      data.set(c, off);
      off += c.length;
    }
    return encodeEntry("SL", 1, data);
  });
}

function splitBytes(b: Uint8Array, sep: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i <= b.length; i++) {
    if (i === b.length || b[i] === sep) {
      out.push(b.subarray(start, i));
      start = i + 1;
    }
  }
  return out;
}

/**
 * Accumulates SL entries into a target path. Returns the bytes appended; `state.pendingComponent`
 * carries a component continued across entries.
 */
export interface SymlinkState {
  parts: string[];
  current: number[];
  continuing: boolean;
}

export function newSymlinkState(): SymlinkState {
  return { parts: [], current: [], continuing: false };
}

export function decodeSLInto(e: SuspEntry, where: number, st: SymlinkState): void {
  const d = e.data;
  if (d.length < 1) throw new MalformedDataError("RRIP 4.1.3 SL entry", where, "too short");
  let off = 1;
  while (off < d.length) {
    if (off + 2 > d.length) throw new MalformedDataError("RRIP 4.1.3 SL component", where + 4 + off, "truncated component header");
    const flags = d[off]!;
    const len = d[off + 1]!;
    if (off + 2 + len > d.length) throw new MalformedDataError("RRIP 4.1.3 SL component", where + 4 + off, `length ${len} runs past the entry`);
    const content = d.subarray(off + 2, off + 2 + len);
    if (flags & 0x02) st.parts.push(".");
    else if (flags & 0x04) st.parts.push("..");
    else if (flags & 0x08) st.parts.push("");
    else {
      st.current.push(...content);
      if (!(flags & 0x01)) {
        st.parts.push(new TextDecoder().decode(Uint8Array.from(st.current)));
        st.current = [];
      }
    }
    off += 2 + len;
  }
  st.continuing = (d[0]! & 0x01) !== 0;
}

export function symlinkTarget(st: SymlinkState): string {
  const p = st.parts;
  if (p.length === 1 && p[0] === "") return "/";
  return p.join("/");
}

export function encodeCL(location: number): Uint8Array {
  const d = new Uint8Array(8);
  writeBoth32(d, 0, location);
  return encodeEntry("CL", 1, d);
}
export function encodePL(location: number): Uint8Array {
  const d = new Uint8Array(8);
  writeBoth32(d, 0, location);
  return encodeEntry("PL", 1, d);
}
export function encodeRE(): Uint8Array {
  return encodeEntry("RE", 1, new Uint8Array(0));
}
export function decodeLink(e: SuspEntry, where: number): number {
  if (e.data.length < 8) throw new MalformedDataError(`RRIP 4.1.5 ${e.signature} entry`, where, "too short");
  return atImageOffset(where + 4, () => readBoth32(e.data, 0, `RRIP ${e.signature} location`));
}

export function encodeRR(flags: number): Uint8Array {
  return encodeEntry("RR", 1, Uint8Array.of(flags));
}

export interface TimeStamps {
  readonly creation?: Date;
  readonly modify?: Date;
  readonly access?: Date;
  readonly attributes?: Date;
}

/** TF in the 7-byte short form; stamps in the order of their flag bits. */
export function encodeTF(t: TimeStamps): Uint8Array {
  // Trees share few distinct time stamp sets; encoded entries are immutable, so reuse them. Files
  // listed together mostly share the last set: compare numbers before building a map key.
  const c = t.creation?.getTime();
  const m = t.modify?.getTime();
  const a = t.access?.getTime();
  const at = t.attributes?.getTime();
  const last = lastTF;
  if (last && last.c === c && last.m === m && last.a === a && last.at === at) return last.out;
  const key = `${c}/${m}/${a}/${at}`;
  let out = tfCache.get(key);
  if (!out) {
    out = encodeTFUncached(t);
    if (tfCache.size > 4096) tfCache.clear();
    tfCache.set(key, out);
  }
  lastTF = { c, m, a, at, out };
  return out;
}

const tfCache = new Map<string, Uint8Array>();
let lastTF: { c: number | undefined; m: number | undefined; a: number | undefined; at: number | undefined; out: Uint8Array } | undefined;

function encodeTFUncached(t: TimeStamps): Uint8Array {
  const order: [keyof TimeStamps, number][] = [
    ["creation", TF_FLAGS.creation],
    ["modify", TF_FLAGS.modify],
    ["access", TF_FLAGS.access],
    ["attributes", TF_FLAGS.attributes],
  ];
  const present = order.filter(([k]) => t[k] !== undefined);
  const data = new Uint8Array(1 + present.length * 7);
  let flags = 0;
  present.forEach(([k, bit], i) => {
    flags |= bit;
    encodeShortDateTime(t[k]!, data, 1 + i * 7);
  });
  data[0] = flags;
  return encodeEntry("TF", 1, data);
}

export function decodeTF(e: SuspEntry, where: number): TimeStamps {
  const d = e.data;
  if (d.length < 1) throw new MalformedDataError("RRIP 4.1.6 TF entry", where, "too short");
  const flags = d[0]!;
  const size = flags & TF_FLAGS.longForm ? 17 : 7;
  const out: Record<string, Date | undefined> = {};
  let off = 1;
  const names = ["creation", "modify", "access", "attributes", "backup", "expiration", "effective"];
  for (let bit = 0; bit < 7; bit++) {
    if (!(flags & (1 << bit))) continue;
    if (off + size > d.length) throw new MalformedDataError("RRIP 4.1.6 TF entry", where + 4 + off, "time stamp runs past the entry");
    const v = atImageOffset(where + 4, () => (size === 17 ? decodeLongDateTime(d, off, "RRIP 4.1.6 TF time stamp") : decodeShortDateTime(d, off, "RRIP 4.1.6 TF time stamp")));
    if (bit < 4) out[names[bit]!] = v;
    off += size;
  }
  return out as TimeStamps;
}
