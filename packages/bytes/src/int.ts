/**
 * Fixed-width integer codecs on Uint8Array, big- and little-endian, 8 to 64 bits.
 * Every function checks bounds and value range; a read past the end is a MalformedDataError
 * (the data is short), a write of a bad value an InvalidArgumentError (the caller's fault).
 */
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";

function need(buf: Uint8Array, off: number, n: number, what: string): void {
  if ((off >>> 0 !== off && !(Number.isInteger(off) && off >= 0)) || off + n > buf.length) {
    throw new MalformedDataError(what, off, `needs ${n} byte(s), buffer has ${buf.length}`);
  }
}

// Writers of directory records and the like call these for every field: `x >>> 0 !== x` is one
// cheap test for "an integer in [0, 2^32)" (NaN, fractions, negatives and 2^32+ all fail it);
// offsets past 4 GiB (buffers that large exist from Node 22) take the slower exact test.
function range(v: number, bits: 8 | 16 | 24 | 32, what: string): void {
  if (v >>> 0 !== v || (bits !== 32 && v >= 1 << bits)) {
    throw new InvalidArgumentError(what, `${v} is not an unsigned ${bits}-bit integer`);
  }
}

function roomToWrite(buf: Uint8Array, off: number, n: number, what: string): void {
  if ((off >>> 0 !== off && !(Number.isInteger(off) && off >= 0)) || off + n > buf.length) {
    throw new InvalidArgumentError(what, `writing ${n} byte(s) at ${off} overruns a ${buf.length}-byte buffer`);
  }
}

export function readU8(buf: Uint8Array, off: number): number {
  need(buf, off, 1, "u8");
  return buf[off]!;
}
export function writeU8(buf: Uint8Array, off: number, v: number): void {
  range(v, 8, "u8");
  roomToWrite(buf, off, 1, "u8");
  buf[off] = v;
}

export function readU16BE(buf: Uint8Array, off: number): number {
  need(buf, off, 2, "u16be");
  return (buf[off]! << 8) | buf[off + 1]!;
}
export function readU16LE(buf: Uint8Array, off: number): number {
  need(buf, off, 2, "u16le");
  return buf[off]! | (buf[off + 1]! << 8);
}
export function writeU16BE(buf: Uint8Array, off: number, v: number): void {
  range(v, 16, "u16be");
  roomToWrite(buf, off, 2, "u16be");
  buf[off] = v >>> 8;
  buf[off + 1] = v & 0xff;
}
export function writeU16LE(buf: Uint8Array, off: number, v: number): void {
  range(v, 16, "u16le");
  roomToWrite(buf, off, 2, "u16le");
  buf[off] = v & 0xff;
  buf[off + 1] = v >>> 8;
}

export function readU24BE(buf: Uint8Array, off: number): number {
  need(buf, off, 3, "u24be");
  return (buf[off]! << 16) | (buf[off + 1]! << 8) | buf[off + 2]!;
}
export function readU24LE(buf: Uint8Array, off: number): number {
  need(buf, off, 3, "u24le");
  return buf[off]! | (buf[off + 1]! << 8) | (buf[off + 2]! << 16);
}
export function writeU24BE(buf: Uint8Array, off: number, v: number): void {
  range(v, 24, "u24be");
  roomToWrite(buf, off, 3, "u24be");
  buf[off] = v >>> 16;
  buf[off + 1] = (v >>> 8) & 0xff;
  buf[off + 2] = v & 0xff;
}
export function writeU24LE(buf: Uint8Array, off: number, v: number): void {
  range(v, 24, "u24le");
  roomToWrite(buf, off, 3, "u24le");
  buf[off] = v & 0xff;
  buf[off + 1] = (v >>> 8) & 0xff;
  buf[off + 2] = v >>> 16;
}

export function readU32BE(buf: Uint8Array, off: number): number {
  need(buf, off, 4, "u32be");
  return ((buf[off]! << 24) >>> 0) + ((buf[off + 1]! << 16) | (buf[off + 2]! << 8) | buf[off + 3]!);
}
export function readU32LE(buf: Uint8Array, off: number): number {
  need(buf, off, 4, "u32le");
  return ((buf[off + 3]! << 24) >>> 0) + ((buf[off + 2]! << 16) | (buf[off + 1]! << 8) | buf[off]!);
}
export function writeU32BE(buf: Uint8Array, off: number, v: number): void {
  range(v, 32, "u32be");
  roomToWrite(buf, off, 4, "u32be");
  buf[off] = v >>> 24;
  buf[off + 1] = (v >>> 16) & 0xff;
  buf[off + 2] = (v >>> 8) & 0xff;
  buf[off + 3] = v & 0xff;
}
export function writeU32LE(buf: Uint8Array, off: number, v: number): void {
  range(v, 32, "u32le");
  roomToWrite(buf, off, 4, "u32le");
  buf[off] = v & 0xff;
  buf[off + 1] = (v >>> 8) & 0xff;
  buf[off + 2] = (v >>> 16) & 0xff;
  buf[off + 3] = v >>> 24;
}

/** Signed 32-bit big-endian (e.g. GET PERFORMANCE nominal values, negative LBAs in READ TOC). */
export function readI32BE(buf: Uint8Array, off: number): number {
  need(buf, off, 4, "i32be");
  return (buf[off]! << 24) | (buf[off + 1]! << 16) | (buf[off + 2]! << 8) | buf[off + 3]!;
}
export function writeI32BE(buf: Uint8Array, off: number, v: number): void {
  if (!Number.isInteger(v) || v < -(2 ** 31) || v > 2 ** 31 - 1) {
    throw new InvalidArgumentError("i32be", `${v} is not a signed 32-bit integer`);
  }
  writeU32BE(buf, off, v >>> 0);
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export function readU64BEBig(buf: Uint8Array, off: number): bigint {
  need(buf, off, 8, "u64be");
  return (BigInt(readU32BE(buf, off)) << 32n) | BigInt(readU32BE(buf, off + 4));
}
export function readU64LEBig(buf: Uint8Array, off: number): bigint {
  need(buf, off, 8, "u64le");
  return (BigInt(readU32LE(buf, off + 4)) << 32n) | BigInt(readU32LE(buf, off));
}
export function writeU64BEBig(buf: Uint8Array, off: number, v: bigint): void {
  if (v < 0n || v > 0xffff_ffff_ffff_ffffn) throw new InvalidArgumentError("u64be", `${v} is not an unsigned 64-bit integer`);
  roomToWrite(buf, off, 8, "u64be");
  writeU32BE(buf, off, Number(v >> 32n));
  writeU32BE(buf, off + 4, Number(v & 0xffff_ffffn));
}
export function writeU64LEBig(buf: Uint8Array, off: number, v: bigint): void {
  if (v < 0n || v > 0xffff_ffff_ffff_ffffn) throw new InvalidArgumentError("u64le", `${v} is not an unsigned 64-bit integer`);
  roomToWrite(buf, off, 8, "u64le");
  writeU32LE(buf, off, Number(v & 0xffff_ffffn));
  writeU32LE(buf, off + 4, Number(v >> 32n));
}

/** 64-bit read as a JS number; values above 2^53-1 are malformed for our purposes (sizes, LBAs). */
export function readU64BE(buf: Uint8Array, off: number): number {
  const v = readU64BEBig(buf, off);
  if (v > MAX_SAFE) throw new MalformedDataError("u64be", off, `value ${v} exceeds 2^53-1`);
  return Number(v);
}
export function readU64LE(buf: Uint8Array, off: number): number {
  const v = readU64LEBig(buf, off);
  if (v > MAX_SAFE) throw new MalformedDataError("u64le", off, `value ${v} exceeds 2^53-1`);
  return Number(v);
}
export function writeU64BE(buf: Uint8Array, off: number, v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) throw new InvalidArgumentError("u64be", `${v} is not a safe unsigned integer`);
  writeU64BEBig(buf, off, BigInt(v));
}
export function writeU64LE(buf: Uint8Array, off: number, v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) throw new InvalidArgumentError("u64le", `${v} is not a safe unsigned integer`);
  writeU64LEBig(buf, off, BigInt(v));
}

/**
 * ECMA-119 7.2.3: 16-bit both-byte orders (LE then BE, 4 bytes). Both halves must agree.
 */
export function readBoth16(buf: Uint8Array, off: number, structure = "both-endian u16"): number {
  need(buf, off, 4, structure);
  const le = readU16LE(buf, off);
  const be = readU16BE(buf, off + 2);
  if (le !== be) throw new MalformedDataError(structure, off, `both-endian mismatch: LE ${le} vs BE ${be}`);
  return le;
}
export function writeBoth16(buf: Uint8Array, off: number, v: number): void {
  range(v, 16, "both-endian u16");
  roomToWrite(buf, off, 4, "both-endian u16");
  buf[off] = v & 0xff;
  buf[off + 1] = v >>> 8;
  buf[off + 2] = v >>> 8;
  buf[off + 3] = v & 0xff;
}

/** ECMA-119 7.3.3: 32-bit both-byte orders (LE then BE, 8 bytes). Both halves must agree. */
export function readBoth32(buf: Uint8Array, off: number, structure = "both-endian u32"): number {
  need(buf, off, 8, structure);
  const le = readU32LE(buf, off);
  const be = readU32BE(buf, off + 4);
  if (le !== be) throw new MalformedDataError(structure, off, `both-endian mismatch: LE ${le} vs BE ${be}`);
  return le;
}
export function writeBoth32(buf: Uint8Array, off: number, v: number): void {
  // One check for both halves: directory records write several of these each.
  range(v, 32, "both-endian u32");
  roomToWrite(buf, off, 8, "both-endian u32");
  const b0 = v & 0xff;
  const b1 = (v >>> 8) & 0xff;
  const b2 = (v >>> 16) & 0xff;
  const b3 = v >>> 24;
  buf[off] = b0;
  buf[off + 1] = b1;
  buf[off + 2] = b2;
  buf[off + 3] = b3;
  buf[off + 4] = b3;
  buf[off + 5] = b2;
  buf[off + 6] = b1;
  buf[off + 7] = b0;
}
