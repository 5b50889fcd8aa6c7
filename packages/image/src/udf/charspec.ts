/**
 * Character set specification (charspec), ECMA-167 1/7.2.1, and OSTA CS0 text: OSTA UDF 2.60
 * 2.1.2 (charspec type 0, "OSTA Compressed Unicode"), 2.1.1 (compressed Unicode: a compression
 * ID of 8 for one byte per character or 16 for big-endian UTF-16 units) and 2.1.3 / ECMA-167
 * 1/7.2.12 (dstring: a fixed field whose last byte holds the used length).
 */
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";

export const CHARSPEC_SIZE = 64;
const OSTA_INFO = "OSTA Compressed Unicode";

export interface CharSpec {
  readonly characterSetType: number;
  readonly characterSetInfo: string;
}

export const OSTA_CS0: CharSpec = { characterSetType: 0, characterSetInfo: OSTA_INFO };

export const CharSpecCodec = {
  size: CHARSPEC_SIZE,
  encodeInto(c: CharSpec, out: Uint8Array, off: number): void {
    out.fill(0, off, off + CHARSPEC_SIZE);
    out[off] = c.characterSetType;
    for (let i = 0; i < c.characterSetInfo.length && i < 63; i++) out[off + 1 + i] = c.characterSetInfo.charCodeAt(i);
  },
  decode(bytes: Uint8Array, off = 0): CharSpec {
    let end = off + 1;
    while (end < off + CHARSPEC_SIZE && bytes[end] !== 0) end++;
    return { characterSetType: bytes[off]!, characterSetInfo: String.fromCharCode(...bytes.subarray(off + 1, end)) };
  },
} as const;

/**
 * Compresses a string as OSTA CS0: ID 8 when every UTF-16 unit is below 0x100, else ID 16
 * (big-endian UTF-16, characters outside the BMP as surrogate pairs). An empty string is empty.
 */
export function encodeCs0(text: string): Uint8Array {
  if (text.length === 0) return new Uint8Array(0);
  let wide = false;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) wide = true;
  if (!wide) {
    const out = new Uint8Array(text.length + 1);
    out[0] = 8;
    for (let i = 0; i < text.length; i++) out[i + 1] = text.charCodeAt(i);
    return out;
  }
  const out = new Uint8Array(text.length * 2 + 1);
  out[0] = 16;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[1 + 2 * i] = c >>> 8;
    out[2 + 2 * i] = c & 0xff;
  }
  return out;
}

/** Bytes `encodeCs0(text)` would take, without allocating. */
export function cs0Length(text: string): number {
  if (text.length === 0) return 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return text.length * 2 + 1;
  return text.length + 1;
}

/** Decodes OSTA CS0 bytes (compression ID first); `where` locates errors. */
export function decodeCs0(bytes: Uint8Array, structure = "OSTA CS0 string", where = 0): string {
  if (bytes.length === 0) return "";
  const id = bytes[0]!;
  if (id === 8 || id === 254) return String.fromCharCode(...bytes.subarray(1));
  if (id === 16 || id === 255) {
    if ((bytes.length - 1) % 2 !== 0) throw new MalformedDataError(structure, where, `16-bit compressed string has an odd length ${bytes.length - 1}`);
    let s = "";
    for (let i = 1; i + 1 < bytes.length; i += 2) s += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
    return s;
  }
  throw new MalformedDataError(structure, where, `unknown compression ID ${id}`);
}

/**
 * dstring (ECMA-167 1/7.2.12): CS0 text in a field of `size` bytes, the last byte holding the
 * used length. Text that does not fit is an error, or is shortened when `truncate` is set
 * (never splitting a surrogate pair).
 */
export function encodeDstringInto(text: string, size: number, out: Uint8Array, off: number, truncate = false): void {
  let t = text;
  let b = encodeCs0(t);
  while (b.length > size - 1) {
    if (!truncate) throw new InvalidArgumentError("dstring", `"${text}" needs ${b.length} bytes, the field holds ${size - 1}`);
    t = t.slice(0, -1);
    if (/[\ud800-\udbff]$/.test(t)) t = t.slice(0, -1);
    b = encodeCs0(t);
  }
  out.fill(0, off, off + size);
  out.set(b, off);
  out[off + size - 1] = b.length;
}

export function decodeDstring(bytes: Uint8Array, off: number, size: number, where = off): string {
  const len = bytes[off + size - 1]!;
  if (len === 0) return "";
  if (len > size - 1) throw new MalformedDataError("ECMA-167 1/7.2.12 dstring", where, `length ${len} exceeds the ${size}-byte field`);
  return decodeCs0(bytes.subarray(off, off + len), "ECMA-167 1/7.2.12 dstring", where);
}
