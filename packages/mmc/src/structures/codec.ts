/**
 * Shared shape and helpers of the MMC response and parameter-list codecs.
 *
 * Responses come back cut to the CDB's allocation length, so every decoder accepts a buffer that
 * is shorter than the structure's own length field: it decodes the complete fields that are
 * there, marks the value with `truncated`, and never reads past the end. Bytes the length field
 * does not cover (drive padding) are ignored.
 */
import { ByteReader } from "@discforge/bytes";
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";

/** One structure, one codec: decode what a device sends, encode what a device (or the host) sends. */
export interface Codec<T, I = T> {
  /** Structure name used in MalformedDataError, e.g. "READ TRACK INFORMATION response". */
  readonly structure: string;
  decode(bytes: Uint8Array): T;
  /** `I` is the encoder's input when it differs from the decoded value (derived fields left out). */
  encode(value: I): Uint8Array;
}

/** Present on a decoded value only when the buffer was shorter than the structure says it is. */
export interface Truncation {
  /** Total size the structure claims, length field included. */
  readonly declaredLength: number;
  /** Bytes actually present. */
  readonly availableLength: number;
}

/** Optional `truncated` member, set only when data was cut short (absent on encoder input). */
export interface MaybeTruncated {
  readonly truncated?: Truncation;
}

export function bit(byte: number, n: number): boolean {
  return ((byte >>> n) & 1) === 1;
}

export function bits(byte: number, high: number, low: number): number {
  return (byte >>> low) & ((1 << (high - low + 1)) - 1);
}

export function flag(value: boolean | undefined, n: number): number {
  return value === true ? 1 << n : 0;
}

/** Validates an unsigned field of `width` bits for an encoder; the caller's fault if it does not fit. */
export function uint(name: string, value: number, width: number): number {
  const max = width >= 32 ? 0xffff_ffff : 2 ** width - 1;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new InvalidArgumentError(name, `${value} is not an integer in 0..${max}`);
  }
  return value;
}

/** Validates a signed 32-bit field (LBAs may be negative: lead-in, pre-gap). */
export function int32(name: string, value: number): number {
  if (!Number.isInteger(value) || value < -0x8000_0000 || value > 0x7fff_ffff) {
    throw new InvalidArgumentError(name, `${value} is not a 32-bit signed integer`);
  }
  return value;
}

export function exactBytes(name: string, value: Uint8Array, length: number): Uint8Array {
  if (value.length !== length) throw new InvalidArgumentError(name, `must be ${length} bytes, got ${value.length}`);
  return value;
}

export interface LengthPrefixed {
  /** Reader over the bytes that are both present and covered by the length field. */
  readonly reader: ByteReader;
  readonly declaredLength: number;
  readonly truncated?: Truncation;
}

/**
 * Reads the big-endian length field at offset 0 (`fieldSize` bytes, counting the bytes after
 * itself plus `adjust`), and checks that at least `minimum` bytes of the structure are present.
 */
export function lengthPrefixed(
  bytes: Uint8Array,
  structure: string,
  fieldSize: 1 | 2 | 4,
  minimum: number,
  adjust = 0,
): LengthPrefixed {
  if (bytes.length < fieldSize) {
    throw new MalformedDataError(structure, 0, `needs ${fieldSize} byte(s) of length field, got ${bytes.length}`);
  }
  let length = 0;
  for (let i = 0; i < fieldSize; i++) length = length * 256 + bytes[i]!;
  const declaredLength = length + fieldSize + adjust;
  if (declaredLength < minimum) {
    throw new MalformedDataError(structure, 0, `length field declares ${declaredLength} byte(s); the structure needs at least ${minimum}`);
  }
  const available = Math.min(bytes.length, declaredLength);
  if (available < minimum) {
    throw new MalformedDataError(structure, available, `only ${available} of at least ${minimum} byte(s) present`);
  }
  const reader = new ByteReader(bytes.subarray(0, available), structure);
  return bytes.length < declaredLength
    ? { reader, declaredLength, truncated: { declaredLength, availableLength: bytes.length } }
    : { reader, declaredLength };
}

/** Requires `minimum` bytes for a structure without a length field. */
export function fixedReader(bytes: Uint8Array, structure: string, minimum: number): ByteReader {
  if (bytes.length < minimum) {
    throw new MalformedDataError(structure, bytes.length, `needs ${minimum} byte(s), got ${bytes.length}`);
  }
  return new ByteReader(bytes, structure);
}

/** Absolute-offset reads over a ByteReader (fixed-layout structures read by field offset). */
export function u8At(r: ByteReader, offset: number): number {
  return r.seek(offset).u8();
}
export function u16At(r: ByteReader, offset: number): number {
  return r.seek(offset).u16be();
}
export function u24At(r: ByteReader, offset: number): number {
  return r.seek(offset).u24be();
}
export function u32At(r: ByteReader, offset: number): number {
  return r.seek(offset).u32be();
}
export function i32At(r: ByteReader, offset: number): number {
  return r.seek(offset).i32be();
}
/** The field, or undefined when the (cut short) data ends before it. */
export function optU32At(r: ByteReader, offset: number): number | undefined {
  return r.bytes.length >= offset + 4 ? u32At(r, offset) : undefined;
}
export function optU8At(r: ByteReader, offset: number): number | undefined {
  return r.bytes.length >= offset + 1 ? u8At(r, offset) : undefined;
}
/** A copy, so decoded values never alias the caller's buffer. */
export function copyAt(r: ByteReader, offset: number, length: number): Uint8Array {
  return r.seek(offset).bytesView(length).slice();
}

/** Printable ASCII of a fixed field with trailing NULs/spaces removed (identifiers such as manufacturer IDs). */
export function asciiId(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : b === 0 ? "\0" : ".";
  return s.replace(/[\0 ]+$/, "").replace(/\0/g, ".");
}

/** Writes ASCII text into a fixed field, NUL padded; rejects non-ASCII or overlong text. */
export function asciiField(name: string, text: string, length: number): Uint8Array {
  if (text.length > length || !/^[\x20-\x7e]*$/.test(text)) {
    throw new InvalidArgumentError(name, `"${text}" is not printable ASCII of at most ${length} characters`);
  }
  const out = new Uint8Array(length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** Decodes consecutive fixed-size entries from `start` to the end of the reader; a partial entry at the end is left alone. */
export function fixedEntries<T>(r: ByteReader, start: number, size: number, read: (at: number) => T): T[] {
  const out: T[] = [];
  for (let at = start; at + size <= r.bytes.length; at += size) out.push(read(at));
  return out;
}
