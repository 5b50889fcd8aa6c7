/**
 * SET STREAMING (B6h), MMC-5 6.39 / MMC-6.
 * Byte 8 TYPE (00h performance descriptor, 05h DBI cache zone descriptor; others reserved),
 * bytes 9-10 PARAMETER LIST LENGTH. The descriptor itself is a structure of its own.
 */
import { checkName, checkUint, CdbReader, CdbWriter, invalid, makeRequest } from "./fields.js";
import type { ScsiRequest } from "./request.js";

const NAME = "SET STREAMING";
export const SET_STREAMING_OPCODE = 0xb6;

export const STREAMING_TYPE = { performance: 0x00, dbiCacheZone: 0x05 } as const;
export type StreamingType = keyof typeof STREAMING_TYPE;

/** Size of the type 00h performance descriptor. */
export const PERFORMANCE_DESCRIPTOR_LENGTH = 28;

export interface SetStreamingCdb {
  readonly type: StreamingType;
  readonly parameterListLength: number;
}
/** type defaults to "performance"; parameterListLength to the data's length, or 28 for type 00h. */
export interface SetStreamingParams {
  readonly type?: StreamingType;
  readonly parameterListLength?: number;
}

export function buildSetStreaming(params: SetStreamingParams = {}, data?: Uint8Array): ScsiRequest {
  const typeName = params.type ?? "performance";
  const type = checkName(NAME, "type", STREAMING_TYPE, typeName);
  const length = params.parameterListLength ?? data?.length ?? (typeName === "performance" ? PERFORMANCE_DESCRIPTOR_LENGTH : undefined);
  if (length === undefined) invalid(NAME, "parameterListLength", "give parameterListLength or the descriptor");
  checkUint(NAME, "parameterListLength", length, 16);
  if (typeName === "performance" && length !== PERFORMANCE_DESCRIPTOR_LENGTH) invalid(NAME, "parameterListLength", `the performance descriptor is ${PERFORMANCE_DESCRIPTOR_LENGTH} bytes, got ${length}`);
  if (data !== undefined && data.length !== length) invalid(NAME, "data", `CDB announces ${length} bytes, got ${data.length}`);
  const w = new CdbWriter(SET_STREAMING_OPCODE, 12).u8(8, type).u16(9, length);
  return makeRequest("setStreaming", w.bytes, length === 0 ? { direction: "none" } : { dataOut: data, dataOutLength: length });
}

export function parseSetStreamingCdb(cdb: Uint8Array): SetStreamingCdb {
  const r = new CdbReader(cdb, NAME, 12);
  r.reservedBytes(1, 7);
  const t = r.u8(8);
  const type: StreamingType = t === 0x00 ? "performance" : t === 0x05 ? "dbiCacheZone" : r.fail(8, undefined, "reserved TYPE");
  return { type, parameterListLength: r.u16(9) };
}
