/**
 * Helpers shared by the identification and configuration codecs (not part of the public API).
 * The codec shape and the `truncated` convention match the rest of the package: a response cut
 * short by the allocation length decodes what is complete and says how much was missing.
 */
import { InvalidArgumentError } from "@discforge/errors";

export interface Codec<T, I = T> {
  /** Structure name used in MalformedDataError. */
  readonly structure: string;
  decode(bytes: Uint8Array): T;
  encode(value: I): Uint8Array;
}

export interface Truncation {
  /** Total size the structure claims, length field included. */
  readonly declaredLength: number;
  /** Bytes actually present. */
  readonly availableLength: number;
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

/** Validates an unsigned field of `width` bits for an encoder. */
export function uint(name: string, value: number, width: number): number {
  const max = width >= 32 ? 0xffff_ffff : 2 ** width - 1;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new InvalidArgumentError(name, `${value} is not an integer in 0..${max}`);
  }
  return value;
}

export function maxBytes(name: string, value: Uint8Array, max: number): Uint8Array {
  if (value.length > max) throw new InvalidArgumentError(name, `at most ${max} bytes, got ${value.length}`);
  return value;
}

/** Printable-ASCII check for encoders of text fields. */
export function asciiText(name: string, text: string, max: number): string {
  if (text.length > max || !/^[\x20-\x7e]*$/.test(text)) {
    throw new InvalidArgumentError(name, `"${text}" is not printable ASCII of at most ${max} characters`);
  }
  return text;
}

/** Latin-1 text of a byte field, trailing NULs and spaces removed; nothing else hidden. */
export function latin1Trimmed(bytes: Uint8Array): string {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0 || bytes[end - 1] === 0x20)) end--;
  let s = "";
  for (let i = 0; i < end; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

export function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** Single-byte (Latin-1) text padded with spaces to `size`; decoders return such text as-is. */
export function latin1Field(name: string, text: string, size: number): Uint8Array {
  if (text.length > size) throw new InvalidArgumentError(name, `"${text}" is longer than ${size} bytes`);
  const out = new Uint8Array(size).fill(0x20);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) throw new InvalidArgumentError(name, `character U+${c.toString(16)} at ${i} is not a single byte`);
    out[i] = c;
  }
  return out;
}
