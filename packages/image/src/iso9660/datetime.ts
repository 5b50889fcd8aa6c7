/**
 * ISO 9660 date and time fields.
 *
 * - ECMA-119 9.1.5 "Recording Date and Time" (7 bytes): years since 1900, month, day, hour, minute,
 *   second, offset from GMT in 15-minute intervals (signed, -48..52). Also RRIP TF short form.
 * - ECMA-119 8.4.26.1 (17 bytes): "YYYYMMDDHHMMSScc" as digits, then the same signed offset byte.
 *   All zero digits and a zero offset mean "not specified".
 *
 * We always write UTC (offset 0): an image must not depend on the host's time zone.
 */
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";

export const SHORT_DATETIME_SIZE = 7;
export const LONG_DATETIME_SIZE = 17;

function checkYear(d: Date, lo: number, hi: number, what: string): void {
  const y = d.getUTCFullYear();
  if (!Number.isFinite(d.getTime()) || y < lo || y > hi) throw new InvalidArgumentError(what, `${String(d)} is outside ${lo}-${hi}`);
}

export function encodeShortDateTime(d: Date, out: Uint8Array = new Uint8Array(7), off = 0): Uint8Array {
  checkYear(d, 1900, 2155, "ECMA-119 9.1.5 date");
  out[off] = d.getUTCFullYear() - 1900;
  out[off + 1] = d.getUTCMonth() + 1;
  out[off + 2] = d.getUTCDate();
  out[off + 3] = d.getUTCHours();
  out[off + 4] = d.getUTCMinutes();
  out[off + 5] = d.getUTCSeconds();
  out[off + 6] = 0;
  return out;
}

/** Returns undefined for an all-zero (unrecorded) field. */
export function decodeShortDateTime(buf: Uint8Array, off: number, structure = "ECMA-119 9.1.5 date"): Date | undefined {
  if (off + 7 > buf.length) throw new MalformedDataError(structure, off, "needs 7 bytes");
  let allZero = true;
  for (let i = 0; i < 7; i++) if (buf[off + i] !== 0) allZero = false;
  if (allZero) return undefined;
  const gmtOffset = (buf[off + 6]! << 24) >> 24;
  const ms = Date.UTC(1900 + buf[off]!, buf[off + 1]! - 1, buf[off + 2]!, buf[off + 3]!, buf[off + 4]!, buf[off + 5]!);
  return new Date(ms - gmtOffset * 15 * 60_000);
}

/** ECMA-119 8.4.26.1; `undefined` writes the "not specified" form. */
export function encodeLongDateTime(d: Date | undefined, out: Uint8Array = new Uint8Array(17), off = 0): Uint8Array {
  if (d === undefined) {
    for (let i = 0; i < 16; i++) out[off + i] = 0x30;
    out[off + 16] = 0;
    return out;
  }
  checkYear(d, 1, 9999, "ECMA-119 8.4.26.1 date");
  const s =
    String(d.getUTCFullYear()).padStart(4, "0") +
    String(d.getUTCMonth() + 1).padStart(2, "0") +
    String(d.getUTCDate()).padStart(2, "0") +
    String(d.getUTCHours()).padStart(2, "0") +
    String(d.getUTCMinutes()).padStart(2, "0") +
    String(d.getUTCSeconds()).padStart(2, "0") +
    String(Math.floor(d.getUTCMilliseconds() / 10)).padStart(2, "0");
  for (let i = 0; i < 16; i++) out[off + i] = s.charCodeAt(i);
  out[off + 16] = 0;
  return out;
}

export function decodeLongDateTime(buf: Uint8Array, off: number, structure = "ECMA-119 8.4.26.1 date"): Date | undefined {
  if (off + 17 > buf.length) throw new MalformedDataError(structure, off, "needs 17 bytes");
  let s = "";
  for (let i = 0; i < 16; i++) {
    const c = buf[off + i]!;
    // Some writers leave the field all NUL instead of "0000...": treat it as unset too.
    if (c === 0) return undefined;
    if (c < 0x30 || c > 0x39) throw new MalformedDataError(structure, off + i, `byte 0x${c.toString(16)} is not a digit`);
    s += String.fromCharCode(c);
  }
  if (/^0+$/.test(s)) return undefined;
  const n = (a: number, b: number): number => Number(s.slice(a, b));
  const gmtOffset = (buf[off + 16]! << 24) >> 24;
  const ms = Date.UTC(n(0, 4), n(4, 6) - 1, n(6, 8), n(8, 10), n(10, 12), n(12, 14), n(14, 16) * 10);
  return new Date(ms - gmtOffset * 15 * 60_000);
}
