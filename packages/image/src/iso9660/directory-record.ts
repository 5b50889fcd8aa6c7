/**
 * ECMA-119 9.1 Directory Record.
 *
 *  0     length of directory record (LEN_DR)
 *  1     extended attribute record length
 *  2-9   location of extent (both-endian 32)
 *  10-17 data length (both-endian 32)
 *  18-24 recording date and time (9.1.5)
 *  25    file flags (9.1.6)
 *  26    file unit size, 27 interleave gap size (both 0: no interleaving)
 *  28-31 volume sequence number (both-endian 16)
 *  32    length of file identifier (LEN_FI)
 *  33..  file identifier, a padding byte when LEN_FI is even, then the System Use area (9.1.13)
 *
 * A record never crosses a logical sector (6.8.1.1); LEN_DR is at most 255 and always even.
 */
import { readBoth16, readBoth32, writeBoth16, writeBoth32 } from "@discforge/bytes";
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";
import { decodeShortDateTime, encodeShortDateTime } from "./datetime.js";
import { atImageOffset } from "./image-offset.js";

/** ECMA-119 9.1.6 file flags. */
export const FILE_FLAGS = {
  hidden: 0x01,
  directory: 0x02,
  associated: 0x04,
  record: 0x08,
  protection: 0x10,
  multiExtent: 0x80,
} as const;

export interface DirectoryRecord {
  readonly extendedAttributeLength: number;
  readonly extent: number;
  readonly dataLength: number;
  readonly recorded: Date | undefined;
  readonly flags: number;
  readonly fileUnitSize: number;
  readonly interleaveGap: number;
  readonly volumeSequenceNumber: number;
  /** Raw identifier bytes: 0x00 is ".", 0x01 is "..". */
  readonly identifier: Uint8Array;
  readonly systemUse: Uint8Array;
}

export const DIRECTORY_RECORD_FIXED_SIZE = 33;

/** Size of a record with this identifier and system use length (9.1.12 padding, even total). */
export function directoryRecordSize(identifierLength: number, systemUseLength: number): number {
  const base = DIRECTORY_RECORD_FIXED_SIZE + identifierLength + (identifierLength % 2 === 0 ? 1 : 0);
  return base + systemUseLength + ((base + systemUseLength) % 2);
}

/** Offset of the System Use area within a record with this identifier length. */
export function systemUseOffset(identifierLength: number): number {
  return DIRECTORY_RECORD_FIXED_SIZE + identifierLength + (identifierLength % 2 === 0 ? 1 : 0);
}

export const DirectoryRecordCodec = {
  /** Writes the record at `off` and returns its length. */
  encodeInto(r: DirectoryRecord, out: Uint8Array, off: number): number {
    const size = directoryRecordSize(r.identifier.length, r.systemUse.length);
    if (size > 255) throw new InvalidArgumentError("ECMA-119 9.1 directory record", `record would be ${size} bytes (max 255)`);
    if (off + size > out.length) throw new InvalidArgumentError("ECMA-119 9.1 directory record", "does not fit in buffer");
    out.fill(0, off, off + size);
    out[off] = size;
    out[off + 1] = r.extendedAttributeLength;
    writeBoth32(out, off + 2, r.extent);
    writeBoth32(out, off + 10, r.dataLength);
    if (r.recorded) encodeShortDateTime(r.recorded, out, off + 18);
    out[off + 25] = r.flags;
    out[off + 26] = r.fileUnitSize;
    out[off + 27] = r.interleaveGap;
    writeBoth16(out, off + 28, r.volumeSequenceNumber);
    out[off + 32] = r.identifier.length;
    out.set(r.identifier, off + 33);
    out.set(r.systemUse, off + systemUseOffset(r.identifier.length));
    return size;
  },
  encode(r: DirectoryRecord): Uint8Array {
    const out = new Uint8Array(directoryRecordSize(r.identifier.length, r.systemUse.length));
    DirectoryRecordCodec.encodeInto(r, out, 0);
    return out;
  },
  /**
   * Decodes the record at `off`. `baseOffset` is the absolute image offset of `buf[0]` for errors.
   * Returns undefined for a zero length byte (the rest of the sector is padding).
   */
  decode(buf: Uint8Array, off: number, baseOffset = 0, structure = "ECMA-119 9.1 directory record"): DirectoryRecord | undefined {
    const len = buf[off];
    if (len === undefined) throw new MalformedDataError(structure, baseOffset + off, "record starts past the end of the extent");
    if (len === 0) return undefined;
    if (len < 34) throw new MalformedDataError(structure, baseOffset + off, `length ${len} is below the 34-byte minimum`);
    if (off + len > buf.length) throw new MalformedDataError(structure, baseOffset + off, `length ${len} runs past the extent`);
    const idLen = buf[off + 32]!;
    if (idLen === 0 || 33 + idLen > len) throw new MalformedDataError(structure, baseOffset + off + 32, `identifier length ${idLen} does not fit a ${len}-byte record`);
    const su = systemUseOffset(idLen);
    // The field readers report offsets within `buf`.
    return atImageOffset(baseOffset, () => ({
      extendedAttributeLength: buf[off + 1]!,
      extent: readBoth32(buf, off + 2, structure + " extent"),
      dataLength: readBoth32(buf, off + 10, structure + " data length"),
      recorded: decodeShortDateTime(buf, off + 18, structure + " date"),
      flags: buf[off + 25]!,
      fileUnitSize: buf[off + 26]!,
      interleaveGap: buf[off + 27]!,
      volumeSequenceNumber: lenientBoth16(buf, off + 28),
      identifier: buf.subarray(off + 33, off + 33 + idLen),
      systemUse: su < len ? buf.subarray(off + su, off + len) : new Uint8Array(0),
    }));
  },
} as const;

// The volume sequence number is informational for single-volume sets; some writers only fill one half.
function lenientBoth16(buf: Uint8Array, off: number): number {
  try {
    return readBoth16(buf, off);
  } catch {
    return buf[off]! | (buf[off + 1]! << 8);
  }
}
