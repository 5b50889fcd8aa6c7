/**
 * FORMAT UNIT (04h), MMC-5 6.5 / MMC-6 - the CDB only; the format list (header and
 * format descriptor) is a structure of its own.
 * Byte 1: bit 4 FMTDATA (a parameter list follows), bit 3 CMPLIST, bits 2-0 FORMAT CODE (MMC
 * defines only 001b). Byte 2 is vendor specific, bytes 3-4 (interleave) obsolete and zero.
 */
import { checkBool, checkUint, CdbReader, CdbWriter, invalid, makeRequest, type Optional } from "./fields.js";
import type { ScsiRequest } from "./request.js";

const NAME = "FORMAT UNIT";
export const FORMAT_UNIT_OPCODE = 0x04;
/** The only FORMAT CODE MMC-6 defines. */
export const MMC_FORMAT_CODE = 0b001;

export interface FormatUnitCdb {
  readonly fmtData: boolean;
  /** The list given is the complete defect list (replaces the grown list). */
  readonly cmpList: boolean;
  readonly formatCode: number;
}
/** Defaults: fmtData true, cmpList false, format code 001b. */
export type FormatUnitParams = Optional<FormatUnitCdb, "fmtData" | "cmpList" | "formatCode">;

export function buildFormatUnit(params: FormatUnitParams = {}, data?: Uint8Array): ScsiRequest {
  const fmtData = params.fmtData === undefined ? true : checkBool(NAME, "fmtData", params.fmtData);
  const cmpList = checkBool(NAME, "cmpList", params.cmpList);
  const formatCode = checkUint(NAME, "formatCode", params.formatCode ?? MMC_FORMAT_CODE, 3);
  if (formatCode !== MMC_FORMAT_CODE) invalid(NAME, "formatCode", "MMC-6 defines only 001b");
  if (!fmtData && cmpList) invalid(NAME, "cmpList", "needs fmtData");
  if (!fmtData && data !== undefined) invalid(NAME, "data", "a format list needs fmtData");
  if (fmtData && data !== undefined && data.length < 4) invalid(NAME, "data", "a format list has at least its 4-byte header");
  const w = new CdbWriter(FORMAT_UNIT_OPCODE, 6).flag(1, 4, fmtData).flag(1, 3, cmpList).bits(1, 0, formatCode);
  return makeRequest("formatUnit", w.bytes, fmtData ? { dataOut: data } : { direction: "none" });
}

export function parseFormatUnitCdb(cdb: Uint8Array): FormatUnitCdb {
  const r = new CdbReader(cdb, NAME, 6);
  r.reserved(1, 0xe0);
  const fmtData = r.flag(1, 4);
  const cmpList = r.flag(1, 3);
  if (cmpList && !fmtData) r.fail(1, 3, "CMPLIST without FMTDATA");
  const formatCode = r.bits(1, 2, 3);
  if (formatCode !== MMC_FORMAT_CODE) r.fail(1, 2, "FORMAT CODE must be 001b");
  r.reservedBytes(3, 4);
  return { fmtData, cmpList, formatCode };
}
