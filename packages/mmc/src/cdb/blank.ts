/**
 * BLANK (A1h), MMC-5 6.2 / MMC-6.
 * Byte 1: bit 4 IMMED, bits 2-0 BLANKING TYPE. Bytes 2-5 START ADDRESS/TRACK NUMBER: a track
 * number for "blank a track", an LBA for "un-reserve/blank track tail"; zero for the others.
 */
import { checkBool, checkName, checkUint, CdbReader, CdbWriter, invalid, makeRequest, type Optional } from "./fields.js";
import type { ScsiRequest } from "./request.js";

const NAME = "BLANK";
export const BLANK_OPCODE = 0xa1;

/** BLANKING TYPE values (111b reserved). */
export const BLANKING_TYPE = {
  /** Whole disc, PMA/lead-in included. */
  full: 0,
  /** PMA, TOC and the first track's pre-gap only: fast. */
  minimal: 1,
  /** One track, named by its number. */
  track: 2,
  /** Un-reserve the last, reserved but unwritten, track. */
  unreserveTrack: 3,
  /** Blank from an LBA to the end of its track. */
  trackTail: 4,
  /** Make the last (closed) session appendable again. */
  uncloseSession: 5,
  /** Blank the last session. */
  session: 6,
} as const;
export type BlankingType = keyof typeof BLANKING_TYPE;
const BLANKING_NAMES = Object.keys(BLANKING_TYPE) as BlankingType[];

export interface BlankCdb {
  readonly immed: boolean;
  readonly blankingType: BlankingType;
  /** Track number (type "track") or LBA (type "trackTail"); 0 for every other type. */
  readonly startAddress: number;
}
export type BlankParams = Optional<BlankCdb, "immed" | "startAddress">;

const TAKES_ADDRESS: ReadonlySet<BlankingType> = new Set(["track", "trackTail"]);

export function buildBlank(params: BlankParams): ScsiRequest {
  const immed = checkBool(NAME, "immed", params.immed);
  const type = checkName(NAME, "blankingType", BLANKING_TYPE, params.blankingType);
  const startAddress = checkUint(NAME, "startAddress", params.startAddress ?? 0, 32);
  if (startAddress !== 0 && !TAKES_ADDRESS.has(params.blankingType)) invalid(NAME, "startAddress", `must be 0 for blanking type ${params.blankingType}`);
  const w = new CdbWriter(BLANK_OPCODE, 12).flag(1, 4, immed).bits(1, 0, type).u32(2, startAddress);
  return makeRequest("blank", w.bytes, immed ? { timeoutClass: "media" } : {});
}

export function parseBlankCdb(cdb: Uint8Array): BlankCdb {
  const r = new CdbReader(cdb, NAME, 12);
  r.reserved(1, 0xe8);
  const t = r.bits(1, 2, 3);
  const blankingType = BLANKING_NAMES[t] ?? r.fail(1, 2, "BLANKING TYPE 111b is reserved");
  const startAddress = r.u32(2);
  if (startAddress !== 0 && !TAKES_ADDRESS.has(blankingType)) r.fail(2, 7, `START ADDRESS must be 0 for blanking type ${blankingType}`);
  r.reservedBytes(6, 10);
  return { immed: r.flag(1, 4), blankingType, startAddress };
}
