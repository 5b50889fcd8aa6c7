/**
 * GET CONFIGURATION (46h), MMC-5 6.6 / MMC-6.
 * Byte 1 bits 1-0 RT (00b all features, 01b current features, 10b the one feature named; 11b
 * reserved), bytes 2-3 STARTING FEATURE NUMBER, bytes 7-8 ALLOCATION LENGTH.
 */
import { checkName, checkUint, CdbReader, CdbWriter, makeRequest, type Optional } from "./fields.js";
import type { ScsiRequest } from "./request.js";

const NAME = "GET CONFIGURATION";
export const GET_CONFIGURATION_OPCODE = 0x46;

/** RT field values (MMC-6 6.6.2.1); 11b is reserved. */
export const CONFIGURATION_REQUEST_TYPE = {
  /** Every feature with a code at or above the starting feature number. */
  all: 0,
  /** Only the current features at or above the starting feature number. */
  current: 1,
  /** Exactly the feature with the starting feature number, if supported. */
  one: 2,
} as const;
/** Short name kept for existing callers; the same object as CONFIGURATION_REQUEST_TYPE. */
export const REQUEST_TYPE = CONFIGURATION_REQUEST_TYPE;
export type ConfigurationRequestTypeName = keyof typeof CONFIGURATION_REQUEST_TYPE;
export type ConfigurationRequestType = (typeof CONFIGURATION_REQUEST_TYPE)[ConfigurationRequestTypeName];
const REQUEST_TYPE_NAMES = ["all", "current", "one"] as const;

export interface GetConfigurationCdb {
  readonly requestType: ConfigurationRequestTypeName;
  readonly startingFeature: number;
  readonly allocationLength: number;
}
/** Defaults: all features from 0000h, allocation length 65530 (even, below 64 KiB: some
 * USB bridges reject odd or 64 KiB transfers). */
export type GetConfigurationParams = Optional<GetConfigurationCdb, "requestType" | "startingFeature" | "allocationLength">;

export function buildGetConfiguration(params: GetConfigurationParams = {}): ScsiRequest {
  const rt = checkName(NAME, "requestType", CONFIGURATION_REQUEST_TYPE, params.requestType ?? "all");
  const startingFeature = checkUint(NAME, "startingFeature", params.startingFeature ?? 0, 16);
  const allocationLength = checkUint(NAME, "allocationLength", params.allocationLength ?? 65530, 16);
  const w = new CdbWriter(GET_CONFIGURATION_OPCODE, 10).bits(1, 0, rt).u16(2, startingFeature).u16(7, allocationLength);
  return makeRequest("getConfiguration", w.bytes, { dataInLength: allocationLength });
}

export function parseGetConfigurationCdb(cdb: Uint8Array): GetConfigurationCdb {
  const r = new CdbReader(cdb, NAME, 10);
  r.reserved(1, 0xfc);
  const rt = r.bits(1, 1, 2);
  if (rt === 3) r.fail(1, 1, "RT 11b is reserved");
  r.reservedBytes(4, 6);
  return { requestType: REQUEST_TYPE_NAMES[rt]!, startingFeature: r.u16(2), allocationLength: r.u16(7) };
}
