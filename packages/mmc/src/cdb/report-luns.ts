/**
 * REPORT LUNS (A0h), SPC-4 clause 6 (REPORT LUNS).
 * Byte 2 SELECT REPORT (00h all logical units, 01h well-known only, 02h all; others reserved
 * here), bytes 6-9 ALLOCATION LENGTH (at least 16), byte 11 CONTROL.
 */
import { checkRange, checkUint, CdbReader, CdbWriter, makeRequest, type Optional } from "./fields.js";
import type { ScsiRequest } from "./request.js";

const NAME = "REPORT LUNS";
export const REPORT_LUNS_OPCODE = 0xa0;

export interface ReportLunsCdb {
  readonly selectReport: number;
  readonly allocationLength: number;
}
/** Defaults: SELECT REPORT 00h, 8 + 8 x 255 LUNs. */
export type ReportLunsParams = Optional<ReportLunsCdb, "selectReport" | "allocationLength">;

export function buildReportLuns(params: ReportLunsParams = {}): ScsiRequest {
  const selectReport = checkRange(NAME, "selectReport", params.selectReport ?? 0, 0, 2);
  const allocationLength = checkUint(NAME, "allocationLength", params.allocationLength ?? 8 + 8 * 255, 32);
  checkRange(NAME, "allocationLength", allocationLength, 16, 0xffffffff);
  const w = new CdbWriter(REPORT_LUNS_OPCODE, 12).u8(2, selectReport).u32(6, allocationLength);
  return makeRequest("reportLuns", w.bytes, { dataInLength: allocationLength });
}

export function parseReportLunsCdb(cdb: Uint8Array): ReportLunsCdb {
  const r = new CdbReader(cdb, NAME, 12);
  r.reservedBytes(1, 1);
  const selectReport = r.u8(2);
  if (selectReport > 2) r.fail(2, undefined, "unsupported SELECT REPORT");
  r.reservedBytes(3, 5);
  r.reservedBytes(10, 10);
  const allocationLength = r.u32(6);
  if (allocationLength < 16) r.fail(6, undefined, "ALLOCATION LENGTH below 16");
  return { selectReport, allocationLength };
}
