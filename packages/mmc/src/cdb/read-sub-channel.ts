/**
 * READ SUB-CHANNEL (42h), MMC-3 clause 6 (READ SUB-CHANNEL; kept by later drives).
 * Byte 1 bit 1 MSF. Byte 2 bit 6 SUBQ (return sub-channel data, not just the header). Byte 3
 * SUB-CHANNEL PARAMETER LIST (01h current position, 02h media catalogue number, 03h ISRC).
 * Byte 6 TRACK NUMBER (ISRC only). Bytes 7-8 ALLOCATION LENGTH.
 */
import { checkBool, checkName, checkRange, checkUint, CdbReader, CdbWriter, invalid, makeRequest, type Optional } from "./fields.js";
import type { ScsiRequest } from "./request.js";

const NAME = "READ SUB-CHANNEL";
export const READ_SUB_CHANNEL_OPCODE = 0x42;

export const SUB_CHANNEL_FORMAT = { currentPosition: 0x01, mediaCatalogNumber: 0x02, isrc: 0x03 } as const;
export type SubChannelFormat = keyof typeof SUB_CHANNEL_FORMAT;
const FORMAT_NAMES: Readonly<Record<number, SubChannelFormat>> = { 1: "currentPosition", 2: "mediaCatalogNumber", 3: "isrc" };

export interface ReadSubChannelCdb {
  readonly msf: boolean;
  readonly subQ: boolean;
  readonly format: SubChannelFormat;
  /** Track for the ISRC (1..99); 0 otherwise. */
  readonly trackNumber: number;
  readonly allocationLength: number;
}
/** Defaults: LBA addresses, SubQ set, 48 bytes (largest format, header 4 + 24, rounded up). */
export type ReadSubChannelParams = Optional<ReadSubChannelCdb, "msf" | "subQ" | "trackNumber" | "allocationLength">;

export function buildReadSubChannel(params: ReadSubChannelParams): ScsiRequest {
  const format = checkName(NAME, "format", SUB_CHANNEL_FORMAT, params.format);
  const trackNumber = params.format === "isrc" ? checkRange(NAME, "trackNumber", params.trackNumber ?? 1, 1, 99) : checkUint(NAME, "trackNumber", params.trackNumber ?? 0, 8);
  if (params.format !== "isrc" && trackNumber !== 0) invalid(NAME, "trackNumber", "only the ISRC format takes a track");
  const allocationLength = checkUint(NAME, "allocationLength", params.allocationLength ?? 48, 16);
  const w = new CdbWriter(READ_SUB_CHANNEL_OPCODE, 10)
    .flag(1, 1, checkBool(NAME, "msf", params.msf))
    .flag(2, 6, params.subQ === undefined ? true : checkBool(NAME, "subQ", params.subQ))
    .u8(3, format)
    .u8(6, trackNumber)
    .u16(7, allocationLength);
  return makeRequest("readSubChannel", w.bytes, { dataInLength: allocationLength });
}

export function parseReadSubChannelCdb(cdb: Uint8Array): ReadSubChannelCdb {
  const r = new CdbReader(cdb, NAME, 10);
  r.reserved(1, 0xfd);
  r.reserved(2, 0xbf);
  const format = FORMAT_NAMES[r.u8(3)] ?? r.fail(3, undefined, "reserved SUB-CHANNEL PARAMETER LIST code");
  r.reservedBytes(4, 5);
  const trackNumber = r.u8(6);
  if (format === "isrc" ? trackNumber < 1 || trackNumber > 99 : trackNumber !== 0) r.fail(6, undefined, "TRACK NUMBER does not fit the format");
  return { msf: r.flag(1, 1), subQ: r.flag(2, 6), format, trackNumber, allocationLength: r.u16(7) };
}
