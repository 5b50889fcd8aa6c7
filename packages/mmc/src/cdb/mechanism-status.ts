/**
 * MECHANISM STATUS (BDh), MMC-5 6.11 / MMC-6: bytes 8-9 ALLOCATION LENGTH.
 */
import { checkUint, CdbReader, CdbWriter, makeRequest } from "./fields.js";
import type { ScsiRequest } from "./request.js";

const NAME = "MECHANISM STATUS";
export const MECHANISM_STATUS_OPCODE = 0xbd;

export interface MechanismStatusCdb {
  readonly allocationLength: number;
}
/** allocationLength defaults to 8 + 4 x 255 slot tables, the most a changer can report. */
export interface MechanismStatusParams {
  readonly allocationLength?: number;
}

export function buildMechanismStatus(params: MechanismStatusParams = {}): ScsiRequest {
  const allocationLength = checkUint(NAME, "allocationLength", params.allocationLength ?? 8 + 4 * 255, 16);
  const w = new CdbWriter(MECHANISM_STATUS_OPCODE, 12).u16(8, allocationLength);
  return makeRequest("mechanismStatus", w.bytes, { dataInLength: allocationLength });
}

export function parseMechanismStatusCdb(cdb: Uint8Array): MechanismStatusCdb {
  const r = new CdbReader(cdb, NAME, 12);
  r.reservedBytes(1, 7);
  r.reservedBytes(10, 10);
  return { allocationLength: r.u16(8) };
}
