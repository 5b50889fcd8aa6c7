/**
 * System Use Sharing Protocol (SUSP 1.12, IEEE P1281) entries.
 *
 * Every entry: signature (2 bytes), length (LEN, including this 4-byte header), version (1).
 *  SP (5.3)  first entry of the root "." record: check bytes BE EF, LEN_SKP.          LEN 7
 *  CE (5.1)  continuation area: location (both 32), offset (both 32), length (both 32). LEN 28
 *  ER (5.5)  extension reference: LEN_ID, LEN_DES, LEN_SRC, EXT_VER, then the texts.
 *  ST (5.4)  terminates the System Use entries of this area.                           LEN 4
 *  PD (5.2)  padding.
 * A continuation area lies within one logical block (5.1).
 */
import { readBoth32, writeBoth32 } from "@discforge/bytes";
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";
import { atImageOffset } from "./image-offset.js";

export interface SuspEntry {
  /** Image offset of the entry's first byte (from the `where` given to decodeEntries). */
  readonly offset: number;
  /** Two ASCII characters, e.g. "PX". */
  readonly signature: string;
  readonly version: number;
  /** Entry payload after the 4-byte header. */
  readonly data: Uint8Array;
}

export interface ContinuationArea {
  readonly block: number;
  readonly offset: number;
  readonly length: number;
}

export interface ExtensionReference {
  readonly identifier: string;
  readonly descriptor: string;
  readonly source: string;
  readonly version: number;
}

export const CE_ENTRY_SIZE = 28;
export const SP_ENTRY_SIZE = 7;

export function encodeEntry(signature: string, version: number, data: Uint8Array): Uint8Array {
  const len = 4 + data.length;
  if (len > 255) throw new InvalidArgumentError("SUSP entry " + signature, `length ${len} exceeds 255`);
  const out = new Uint8Array(len);
  out[0] = signature.charCodeAt(0);
  out[1] = signature.charCodeAt(1);
  out[2] = len;
  out[3] = version;
  out.set(data, 4);
  return out;
}

export function encodeSP(skip = 0): Uint8Array {
  return encodeEntry("SP", 1, Uint8Array.of(0xbe, 0xef, skip));
}

export function encodeCE(ce: ContinuationArea): Uint8Array {
  const data = new Uint8Array(24);
  writeBoth32(data, 0, ce.block);
  writeBoth32(data, 8, ce.offset);
  writeBoth32(data, 16, ce.length);
  return encodeEntry("CE", 1, data);
}

/** `where` is the image offset of the entry (errors name it and the fields after it). */
export function decodeCE(e: SuspEntry, where: number): ContinuationArea {
  if (e.data.length < 24) throw new MalformedDataError("SUSP 5.1 CE entry", where, `length ${e.data.length + 4} is not 28`);
  return atImageOffset(where + 4, () => ({ block: readBoth32(e.data, 0, "SUSP CE location"), offset: readBoth32(e.data, 8, "SUSP CE offset"), length: readBoth32(e.data, 16, "SUSP CE length") }));
}

export function encodeER(er: ExtensionReference): Uint8Array {
  const enc = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
  const id = enc(er.identifier);
  const des = enc(er.descriptor);
  const src = enc(er.source);
  const data = new Uint8Array(4 + id.length + des.length + src.length);
  data[0] = id.length;
  data[1] = des.length;
  data[2] = src.length;
  data[3] = er.version;
  data.set(id, 4);
  data.set(des, 4 + id.length);
  data.set(src, 4 + id.length + des.length);
  return encodeEntry("ER", 1, data);
}

export function decodeER(e: SuspEntry, where: number): ExtensionReference {
  const d = e.data;
  if (d.length < 4) throw new MalformedDataError("SUSP 5.5 ER entry", where, "too short");
  const [li, ld, ls, ver] = [d[0]!, d[1]!, d[2]!, d[3]!];
  if (4 + li + ld + ls > d.length) throw new MalformedDataError("SUSP 5.5 ER entry", where, "texts run past the entry");
  const text = (a: number, n: number): string => String.fromCharCode(...d.subarray(a, a + n));
  return { identifier: text(4, li), descriptor: text(4 + li, ld), source: text(4 + li + ld, ls), version: ver };
}

export function encodeST(): Uint8Array {
  return encodeEntry("ST", 1, new Uint8Array(0));
}

/**
 * Splits a System Use area into entries. Stops at ST or when fewer than 4 bytes remain (padding).
 * `where` is the absolute offset of `area[0]` for error messages.
 */
export function decodeEntries(area: Uint8Array, where: number): SuspEntry[] {
  const out: SuspEntry[] = [];
  let off = 0;
  while (off + 4 <= area.length) {
    const a = area[off]!;
    const b = area[off + 1]!;
    if (a === 0) break; // zero padding after the last entry
    const len = area[off + 2]!;
    if (len < 4 || off + len > area.length) throw new MalformedDataError("SUSP entry", where + off, `entry "${String.fromCharCode(a, b)}" has length ${len}, ${area.length - off} byte(s) remain`);
    const signature = String.fromCharCode(a, b);
    if (signature === "ST") break;
    out.push({ offset: where + off, signature, version: area[off + 3]!, data: area.subarray(off + 4, off + len) });
    off += len;
  }
  return out;
}
