/** Fixed-length padded string fields, as in SCSI INQUIRY (ASCII, space padded) and ECMA-119 (a-/d-strings). */
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";

export interface PaddedOptions {
  /** Pad byte; SCSI and ECMA-119 use 0x20. */
  readonly pad?: number;
  /** Refuse (instead of silently truncating) a string longer than the field. Default true. */
  readonly strict?: boolean;
}

/** Writes `text` as single-byte characters (code points 0x20-0x7E only) padded to `length`. */
export function writePadded(buf: Uint8Array, off: number, length: number, text: string, options: PaddedOptions = {}): void {
  const pad = options.pad ?? 0x20;
  const strict = options.strict ?? true;
  if (off < 0 || off + length > buf.length) {
    throw new InvalidArgumentError("padded string", `field [${off}, ${off + length}) overruns a ${buf.length}-byte buffer`);
  }
  if (strict && text.length > length) {
    throw new InvalidArgumentError("padded string", `"${text}" is longer than the ${length}-byte field`);
  }
  for (let i = 0; i < length; i++) {
    if (i < text.length) {
      const c = text.charCodeAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw new InvalidArgumentError("padded string", `character U+${c.toString(16).padStart(4, "0")} at ${i} is not printable ASCII`);
      }
      buf[off + i] = c;
    } else {
      buf[off + i] = pad;
    }
  }
}

/**
 * Reads a fixed-length single-byte field and removes trailing pad bytes (spaces and NULs by default).
 * Non-printable bytes are kept as their Latin-1 code points so nothing is hidden from a diagnostic.
 */
export function readPadded(buf: Uint8Array, off: number, length: number, structure = "padded string"): string {
  if (off < 0 || off + length > buf.length) {
    throw new MalformedDataError(structure, off, `needs ${length} byte(s), buffer has ${buf.length}`);
  }
  let end = off + length;
  while (end > off && (buf[end - 1] === 0x20 || buf[end - 1] === 0x00)) end--;
  let s = "";
  for (let i = off; i < end; i++) s += String.fromCharCode(buf[i]!);
  return s;
}

/** ECMA-119 7.4.1 d-characters: A-Z 0-9 _ */
export function isDChars(s: string): boolean {
  return /^[A-Z0-9_]*$/.test(s);
}

/** ECMA-119 7.4.1 a-characters: d-characters plus space ! " % & ' ( ) * + , - . / : ; < = > ? */
export function isAChars(s: string): boolean {
  return /^[A-Z0-9_ !"%&'()*+,\-./:;<=>?]*$/.test(s);
}

/** UTF-16 big-endian (Joliet UCS-2 names); surrogate pairs are written as-is. */
export function encodeUtf16BE(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[i * 2] = c >>> 8;
    out[i * 2 + 1] = c & 0xff;
  }
  return out;
}

export function decodeUtf16BE(buf: Uint8Array, off = 0, length = buf.length - off, structure = "UTF-16BE string"): string {
  if (length % 2 !== 0) throw new MalformedDataError(structure, off, `odd length ${length}`);
  if (off < 0 || off + length > buf.length) throw new MalformedDataError(structure, off, `needs ${length} byte(s)`);
  let s = "";
  for (let i = 0; i < length; i += 2) s += String.fromCharCode((buf[off + i]! << 8) | buf[off + i + 1]!);
  return s;
}

const utf8Decoder = new TextDecoder("utf-8", { fatal: false });
const utf8Encoder = new TextEncoder();
export function encodeUtf8(s: string): Uint8Array {
  return utf8Encoder.encode(s);
}
export function decodeUtf8(buf: Uint8Array): string {
  return utf8Decoder.decode(buf);
}
