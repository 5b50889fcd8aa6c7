/**
 * READ CD MSF (B9h), MMC-5 6.21 / MMC-6.
 * As READ CD, with the range given as MSF addresses: bytes 3-5 STARTING M/S/F, bytes 6-8 ENDING
 * M/S/F (exclusive: the sector at the ending address is not transferred). A start after the end
 * is an invalid field; equal addresses transfer nothing.
 */
import { checkRange, CdbReader, CdbWriter, invalid, makeRequest } from "./fields.js";
import {
  readCdSelection,
  readCdTransferBytes,
  readReadCdSelection,
  writeReadCdSelection,
  type ReadCdOptions,
  type ReadCdSelection,
  type ReadCdSelectionParams,
} from "./read-cd.js";
import type { ScsiRequest } from "./request.js";

const NAME = "READ CD MSF";
export const READ_CD_MSF_OPCODE = 0xb9;

export interface Msf {
  readonly minute: number;
  readonly second: number;
  readonly frame: number;
}

export interface ReadCdMsfCdb extends ReadCdSelection {
  readonly start: Msf;
  readonly end: Msf;
}
export type ReadCdMsfParams = ReadCdSelectionParams & { readonly start: Msf; readonly end: Msf };

/** Frames (1/75 s) from 00:00:00; MSF 00:02:00 is LBA 0. */
function frames(m: Msf): number {
  return (m.minute * 60 + m.second) * 75 + m.frame;
}

function checkMsf(field: string, m: Msf): Msf {
  return {
    minute: checkRange(NAME, `${field}.minute`, m.minute, 0, 255),
    second: checkRange(NAME, `${field}.second`, m.second, 0, 59),
    frame: checkRange(NAME, `${field}.frame`, m.frame, 0, 74),
  };
}

export function buildReadCdMsf(params: ReadCdMsfParams, options: ReadCdOptions = {}): ScsiRequest {
  const selection = readCdSelection(NAME, params);
  const start = checkMsf("start", params.start);
  const end = checkMsf("end", params.end);
  if (frames(end) < frames(start)) invalid(NAME, "end", "ending MSF precedes starting MSF");
  const w = new CdbWriter(READ_CD_MSF_OPCODE, 12)
    .u8(3, start.minute)
    .u8(4, start.second)
    .u8(5, start.frame)
    .u8(6, end.minute)
    .u8(7, end.second)
    .u8(8, end.frame);
  writeReadCdSelection(w, selection);
  return makeRequest("readCdMsf", w.bytes, { dataInLength: readCdTransferBytes(NAME, selection, frames(end) - frames(start), options) });
}

export function parseReadCdMsfCdb(cdb: Uint8Array): ReadCdMsfCdb {
  const r = new CdbReader(cdb, NAME, 12);
  const selection = readReadCdSelection(r);
  r.reservedBytes(2, 2);
  const read = (off: number): Msf => {
    if (r.u8(off + 1) > 59) r.fail(off + 1, undefined, "second above 59");
    if (r.u8(off + 2) > 74) r.fail(off + 2, undefined, "frame above 74");
    return { minute: r.u8(off), second: r.u8(off + 1), frame: r.u8(off + 2) };
  };
  const start = read(3);
  const end = read(6);
  if (frames(end) < frames(start)) r.fail(3, undefined, "starting MSF is after ending MSF");
  return { ...selection, start, end };
}
