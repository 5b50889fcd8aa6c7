/**
 * READ FORMAT CAPACITIES (23h), MMC-5 6.24 / MMC-6: bytes 7-8 ALLOCATION LENGTH, the rest reserved.
 */
import { checkUint, CdbReader, CdbWriter, makeRequest } from "./fields.js";
import type { ScsiRequest } from "./request.js";

const NAME = "READ FORMAT CAPACITIES";
export const READ_FORMAT_CAPACITIES_OPCODE = 0x23;

export interface ReadFormatCapacitiesCdb {
  readonly allocationLength: number;
}
/** allocationLength defaults to 4 + 8 x 32 descriptors + 8 (header, current/maximum descriptor). */
export interface ReadFormatCapacitiesParams {
  readonly allocationLength?: number;
}

export function buildReadFormatCapacities(params: ReadFormatCapacitiesParams = {}): ScsiRequest {
  const allocationLength = checkUint(NAME, "allocationLength", params.allocationLength ?? 4 + 8 + 8 * 32, 16);
  const w = new CdbWriter(READ_FORMAT_CAPACITIES_OPCODE, 10).u16(7, allocationLength);
  return makeRequest("readFormatCapacities", w.bytes, { dataInLength: allocationLength });
}

export function parseReadFormatCapacitiesCdb(cdb: Uint8Array): ReadFormatCapacitiesCdb {
  const r = new CdbReader(cdb, NAME, 10);
  r.reservedBytes(1, 6);
  return { allocationLength: r.u16(7) };
}
