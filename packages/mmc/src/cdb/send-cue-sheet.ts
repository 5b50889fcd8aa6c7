/**
 * SEND CUE SHEET (5Dh), MMC-5 6.33 / MMC-6: bytes 6-8 CUE SHEET SIZE (bytes, a multiple of the
 * 8-byte cue sheet entry). The entries are a structure of their own.
 */
import { checkUint, CdbReader, CdbWriter, invalid, makeRequest } from "./fields.js";
import type { ScsiRequest } from "./request.js";

const NAME = "SEND CUE SHEET";
export const SEND_CUE_SHEET_OPCODE = 0x5d;
export const CUE_SHEET_ENTRY_LENGTH = 8;

export interface SendCueSheetCdb {
  readonly cueSheetSize: number;
}
/** cueSheetSize defaults to the data's length. */
export interface SendCueSheetParams {
  readonly cueSheetSize?: number;
}

export function buildSendCueSheet(params: SendCueSheetParams, data?: Uint8Array): ScsiRequest {
  const size = params.cueSheetSize ?? data?.length;
  if (size === undefined) invalid(NAME, "cueSheetSize", "give cueSheetSize or the cue sheet");
  checkUint(NAME, "cueSheetSize", size, 24);
  if (size % CUE_SHEET_ENTRY_LENGTH !== 0) invalid(NAME, "cueSheetSize", `${size} is not a whole number of 8-byte entries`);
  if (data !== undefined && data.length !== size) invalid(NAME, "data", `CDB announces ${size} bytes, got ${data.length}`);
  const w = new CdbWriter(SEND_CUE_SHEET_OPCODE, 10).u24(6, size);
  return makeRequest("sendCueSheet", w.bytes, size === 0 ? { direction: "none" } : { dataOut: data, dataOutLength: size });
}

export function parseSendCueSheetCdb(cdb: Uint8Array): SendCueSheetCdb {
  const r = new CdbReader(cdb, NAME, 10);
  r.reservedBytes(1, 5);
  const size = r.u24(6);
  if (size % CUE_SHEET_ENTRY_LENGTH !== 0) r.fail(6, undefined, "CUE SHEET SIZE is not a multiple of 8");
  return { cueSheetSize: size };
}
