/**
 * REQUEST SENSE (03h), SPC-4 clause 6 (REQUEST SENSE).
 * Byte 1 bit 0 DESC (descriptor-format sense wanted), byte 4 ALLOCATION LENGTH.
 */
import { checkBool, checkUint, CdbReader, CdbWriter, makeRequest, type Optional } from "./fields.js";
import type { ScsiRequest } from "./request.js";

const NAME = "REQUEST SENSE";
export const REQUEST_SENSE_OPCODE = 0x03;

export interface RequestSenseCdb {
  /** Ask for descriptor-format (72h/73h) sense instead of fixed format. */
  readonly desc: boolean;
  readonly allocationLength: number;
}
/** allocationLength defaults to 252, the largest fixed-format sense SPC-4 allows. */
export type RequestSenseParams = Optional<RequestSenseCdb, "desc" | "allocationLength">;

export function buildRequestSense(params: RequestSenseParams = {}): ScsiRequest {
  const desc = checkBool(NAME, "desc", params.desc);
  const allocationLength = checkUint(NAME, "allocationLength", params.allocationLength ?? 252, 8);
  const w = new CdbWriter(REQUEST_SENSE_OPCODE, 6).flag(1, 0, desc).u8(4, allocationLength);
  return makeRequest("requestSense", w.bytes, { dataInLength: allocationLength });
}

export function parseRequestSenseCdb(cdb: Uint8Array): RequestSenseCdb {
  const r = new CdbReader(cdb, NAME, 6);
  r.reserved(1, 0xfe);
  r.reservedBytes(2, 3);
  return { desc: r.flag(1, 0), allocationLength: r.u8(4) };
}
