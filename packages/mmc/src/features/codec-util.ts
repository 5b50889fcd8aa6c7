/**
 * Text helpers of the identification and configuration codecs (not part of the public API), plus
 * the codec shape and bit helpers they share with every other codec (defined in
 * ../structures/codec.ts): a response cut short by the allocation length decodes what is complete
 * and says how much was missing.
 */
import { InvalidArgumentError } from "@discforge/errors";

export { bit, bits, flag, uint, type Codec, type Truncation } from "../structures/codec.js";

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
