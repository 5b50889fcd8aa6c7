/**
 * MODE SELECT(6) (15h) and MODE SELECT(10) (55h), SPC-4 6.9 and 6.10.
 * Byte 1: bit 4 PF (page format), bit 0 SP (save pages). Parameter list length: byte 4 (6) or
 * bytes 7-8 (10). The parameter list itself (header, block descriptors, pages) is a structure of
 * its own; here it is only carried.
 */
import { checkBool, checkUint, CdbReader, CdbWriter, invalid, makeRequest } from "./fields.js";
import type { ScsiRequest } from "./request.js";

export const MODE_SELECT6_OPCODE = 0x15;
export const MODE_SELECT10_OPCODE = 0x55;

export interface ModeSelectCdb {
  /** Pages follow the SPC page format (always true for MMC drives). */
  readonly pf: boolean;
  /** Save the pages in non-volatile memory. */
  readonly sp: boolean;
  readonly parameterListLength: number;
}
/** pf defaults to true; parameterListLength defaults to the length of `data` when given. */
export interface ModeSelectParams {
  readonly pf?: boolean;
  readonly sp?: boolean;
  readonly parameterListLength?: number;
}

function build(key: string, name: string, opcode: number, length: number, lengthBits: number, params: ModeSelectParams, data: Uint8Array | undefined): ScsiRequest {
  const pf = params.pf === undefined ? true : checkBool(name, "pf", params.pf);
  const sp = checkBool(name, "sp", params.sp);
  const listLength = params.parameterListLength ?? data?.length;
  if (listLength === undefined) invalid(name, "parameterListLength", "give parameterListLength or the parameter list");
  checkUint(name, "parameterListLength", listLength, lengthBits);
  if (data !== undefined && data.length !== listLength) invalid(name, "data", `CDB announces ${listLength} bytes, got ${data.length}`);
  const w = new CdbWriter(opcode, length).flag(1, 4, pf).flag(1, 0, sp);
  if (lengthBits === 8) w.u8(4, listLength);
  else w.u16(7, listLength);
  return makeRequest(key, w.bytes, listLength === 0 ? { direction: "none" } : { dataOut: data, dataOutLength: listLength });
}

export function buildModeSelect6(params: ModeSelectParams, data?: Uint8Array): ScsiRequest {
  return build("modeSelect6", "MODE SELECT(6)", MODE_SELECT6_OPCODE, 6, 8, params, data);
}

export function buildModeSelect10(params: ModeSelectParams, data?: Uint8Array): ScsiRequest {
  return build("modeSelect10", "MODE SELECT(10)", MODE_SELECT10_OPCODE, 10, 16, params, data);
}

export function parseModeSelect6Cdb(cdb: Uint8Array): ModeSelectCdb {
  const r = new CdbReader(cdb, "MODE SELECT(6)", 6);
  r.reserved(1, 0xee);
  r.reservedBytes(2, 3);
  return { pf: r.flag(1, 4), sp: r.flag(1, 0), parameterListLength: r.u8(4) };
}

export function parseModeSelect10Cdb(cdb: Uint8Array): ModeSelectCdb {
  const r = new CdbReader(cdb, "MODE SELECT(10)", 10);
  r.reserved(1, 0xee);
  r.reservedBytes(2, 6);
  return { pf: r.flag(1, 4), sp: r.flag(1, 0), parameterListLength: r.u16(7) };
}
