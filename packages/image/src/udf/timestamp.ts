/**
 * timestamp, ECMA-167 1/7.3 (OSTA UDF 2.60 2.1.4): 12 bytes, local time with its offset from
 * UTC in minutes (type 1). Dates are written in UTC+0 unless a time zone is given, so the bytes do
 * not depend on the host's zone; decoding honours the recorded zone.
 */
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";
import { readU16LE, writeU16LE } from "@discforge/bytes";

export const TIMESTAMP_SIZE = 12;
/** Time zone value meaning "not specified" (ECMA-167 1/7.3.1). */
export const TIMEZONE_UNSPECIFIED = -2047;

export const TimestampCodec = {
  size: TIMESTAMP_SIZE,
  /** Writes `date` as local time at `offsetMinutes` from UTC (default 0). */
  encodeInto(date: Date, out: Uint8Array, off: number, offsetMinutes = 0): void {
    if (!Number.isInteger(offsetMinutes) || offsetMinutes < -1440 || offsetMinutes > 1440) throw new InvalidArgumentError("time zone", `${offsetMinutes} minutes is out of range`);
    const local = new Date(date.getTime() + offsetMinutes * 60_000);
    const ms = local.getUTCMilliseconds();
    writeU16LE(out, off, (1 << 12) | (offsetMinutes & 0xfff));
    const year = local.getUTCFullYear();
    if (year < 1 || year > 9999) throw new InvalidArgumentError("timestamp", `year ${year} is out of range`);
    writeU16LE(out, off + 2, year);
    out[off + 4] = local.getUTCMonth() + 1;
    out[off + 5] = local.getUTCDate();
    out[off + 6] = local.getUTCHours();
    out[off + 7] = local.getUTCMinutes();
    out[off + 8] = local.getUTCSeconds();
    out[off + 9] = Math.floor(ms / 10);
    out[off + 10] = (ms % 10) * 10;
    out[off + 11] = 0;
  },
  encode(date: Date, offsetMinutes = 0): Uint8Array {
    const out = new Uint8Array(TIMESTAMP_SIZE);
    TimestampCodec.encodeInto(date, out, 0, offsetMinutes);
    return out;
  },
  /** Undefined for an all-zero timestamp (not recorded). */
  decode(bytes: Uint8Array, off = 0, where = off): { date: Date; offsetMinutes: number | undefined } | undefined {
    if (off + TIMESTAMP_SIZE > bytes.length) throw new MalformedDataError("ECMA-167 1/7.3 timestamp", where, "truncated");
    if (bytes.subarray(off, off + TIMESTAMP_SIZE).every((b) => b === 0)) return undefined;
    const tz = readU16LE(bytes, off);
    let zone = tz & 0xfff;
    if (zone & 0x800) zone -= 0x1000;
    const type = tz >>> 12;
    const offset = type === 1 && zone !== TIMEZONE_UNSPECIFIED ? zone : undefined;
    const [month, day, hour, minute, second, cs, hus, us] = [4, 5, 6, 7, 8, 9, 10, 11].map((i) => bytes[off + i]!) as [number, number, number, number, number, number, number, number];
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60 || cs > 99 || hus > 99 || us > 99) {
      throw new MalformedDataError("ECMA-167 1/7.3 timestamp", where, `invalid date fields ${month}/${day} ${hour}:${minute}:${second}`);
    }
    const utc = Date.UTC(readU16LE(bytes, off + 2), month - 1, day, hour, minute, second, cs * 10 + Math.floor(hus / 10)) - (offset ?? 0) * 60_000;
    const date = new Date(utc);
    if (readU16LE(bytes, off + 2) < 100) date.setUTCFullYear(readU16LE(bytes, off + 2));
    return { date, offsetMinutes: offset };
  },
} as const;
