/**
 * READ TOC/PMA/ATIP (43h), MMC-5 6.26 / MMC-6.
 * Byte 1 bit 1 MSF (addresses as minute/second/frame), byte 2 bits 3-0 FORMAT, byte 6
 * TRACK/SESSION NUMBER, bytes 7-8 ALLOCATION LENGTH. The pre-MMC format field in CONTROL bits 7-6
 * sits in the vendor-specific bits and is ignored.
 */
import { checkBool, checkName, checkUint, CdbReader, CdbWriter, invalid, makeRequest, type Optional } from "./fields.js";
import type { ScsiRequest } from "./request.js";

const NAME = "READ TOC/PMA/ATIP";
export const READ_TOC_OPCODE = 0x43;

export const TOC_FORMAT = { toc: 0, sessionInfo: 1, fullToc: 2, pma: 3, atip: 4, cdText: 5 } as const;
export type TocFormat = keyof typeof TOC_FORMAT;
const TOC_FORMAT_NAMES = ["toc", "sessionInfo", "fullToc", "pma", "atip", "cdText"] as const;

/** Track number of the lead-out in format 0. */
export const LEAD_OUT_TRACK = 0xaa;

export interface ReadTocCdb {
  readonly format: TocFormat;
  readonly msf: boolean;
  /** Format 0: first track to report (1..99, or AAh for the lead-out; 0 = from the first).
   * Format 2: first session to report (0..99). Other formats: 0. */
  readonly trackSessionNumber: number;
  readonly allocationLength: number;
}
export type ReadTocParams = Optional<ReadTocCdb, "msf" | "trackSessionNumber" | "allocationLength">;

/** Why a TRACK/SESSION NUMBER does not fit a format, or undefined when it does. */
function numberProblem(format: TocFormat, n: number): string | undefined {
  if (format === "toc") return n <= 99 || n === LEAD_OUT_TRACK ? undefined : "track number must be 0..99 or AAh";
  if (format === "fullToc") return n <= 99 ? undefined : "session number must be 0..99";
  return n === 0 ? undefined : `must be 0 for format ${format}`;
}

export function buildReadToc(params: ReadTocParams): ScsiRequest {
  const format = checkName(NAME, "format", TOC_FORMAT, params.format);
  const n = checkUint(NAME, "trackSessionNumber", params.trackSessionNumber ?? 0, 8);
  const problem = numberProblem(params.format, n);
  if (problem !== undefined) invalid(NAME, "trackSessionNumber", problem);
  const allocationLength = checkUint(NAME, "allocationLength", params.allocationLength ?? 0xfffe, 16);
  const w = new CdbWriter(READ_TOC_OPCODE, 10)
    .flag(1, 1, checkBool(NAME, "msf", params.msf))
    .bits(2, 0, format)
    .u8(6, n)
    .u16(7, allocationLength);
  return makeRequest("readTocPmaAtip", w.bytes, { dataInLength: allocationLength });
}

export function parseReadTocCdb(cdb: Uint8Array): ReadTocCdb {
  const r = new CdbReader(cdb, NAME, 10);
  r.reserved(1, 0xfd);
  r.reserved(2, 0xf0);
  const f = r.bits(2, 3, 4);
  if (f > 5) r.fail(2, 3, "reserved FORMAT");
  r.reservedBytes(3, 5);
  const format = TOC_FORMAT_NAMES[f]!;
  const n = r.u8(6);
  const problem = numberProblem(format, n);
  if (problem !== undefined) r.fail(6, undefined, problem);
  return { format, msf: r.flag(1, 1), trackSessionNumber: n, allocationLength: r.u16(7) };
}
