/**
 * MODE SENSE(6) (1Ah) and MODE SENSE(10) (5Ah), SPC-4 6.11 and 6.12 (MMC-6 uses the 10-byte form).
 * Byte 1: bit 4 LLBAA (10-byte form only), bit 3 DBD. Byte 2: bits 7-6 PC, bits 5-0 PAGE CODE.
 * Byte 3 SUBPAGE CODE. Allocation length: byte 4 (6) or bytes 7-8 (10).
 */
import { checkBool, checkName, checkUint, CdbReader, CdbWriter, makeRequest, type Optional } from "./fields.js";
import type { ScsiRequest } from "./request.js";

export const MODE_SENSE6_OPCODE = 0x1a;
export const MODE_SENSE10_OPCODE = 0x5a;

/** PAGE CONTROL field values (SPC-4 6.11.2). */
export const PAGE_CONTROL = { current: 0, changeable: 1, default: 2, saved: 3 } as const;
export type PageControl = keyof typeof PAGE_CONTROL;
const PAGE_CONTROL_NAMES = ["current", "changeable", "default", "saved"] as const;

/** PAGE CODE 3Fh with SUBPAGE 00h/FFh asks for all pages. */
export const ALL_MODE_PAGES = 0x3f;

export interface ModeSense6Cdb {
  readonly pageControl: PageControl;
  readonly pageCode: number;
  readonly subpageCode: number;
  /** Disable block descriptors. */
  readonly dbd: boolean;
  readonly allocationLength: number;
}
export interface ModeSense10Cdb extends ModeSense6Cdb {
  /** Long LBA block descriptors accepted. */
  readonly llbaa: boolean;
}
export type ModeSense6Params = Optional<ModeSense6Cdb, "pageControl" | "subpageCode" | "dbd" | "allocationLength">;
export type ModeSense10Params = Optional<ModeSense10Cdb, "pageControl" | "subpageCode" | "dbd" | "llbaa" | "allocationLength">;

function common(name: string, w: CdbWriter, p: ModeSense6Params): void {
  const pc = checkName(name, "pageControl", PAGE_CONTROL, p.pageControl ?? "current");
  const pageCode = checkUint(name, "pageCode", p.pageCode, 6);
  const subpageCode = checkUint(name, "subpageCode", p.subpageCode ?? 0, 8);
  w.flag(1, 3, checkBool(name, "dbd", p.dbd)).bits(2, 6, pc).bits(2, 0, pageCode).u8(3, subpageCode);
}

export function buildModeSense6(params: ModeSense6Params): ScsiRequest {
  const name = "MODE SENSE(6)";
  const w = new CdbWriter(MODE_SENSE6_OPCODE, 6);
  common(name, w, params);
  const allocationLength = checkUint(name, "allocationLength", params.allocationLength ?? 252, 8);
  w.u8(4, allocationLength);
  return makeRequest("modeSense6", w.bytes, { dataInLength: allocationLength });
}

export function buildModeSense10(params: ModeSense10Params): ScsiRequest {
  const name = "MODE SENSE(10)";
  const w = new CdbWriter(MODE_SENSE10_OPCODE, 10);
  common(name, w, params);
  w.flag(1, 4, checkBool(name, "llbaa", params.llbaa));
  const allocationLength = checkUint(name, "allocationLength", params.allocationLength ?? 0xfffc, 16);
  w.u16(7, allocationLength);
  return makeRequest("modeSense10", w.bytes, { dataInLength: allocationLength });
}

function parseCommon(r: CdbReader): Omit<ModeSense6Cdb, "allocationLength"> {
  return {
    pageControl: PAGE_CONTROL_NAMES[r.bits(2, 7, 2)]!,
    pageCode: r.bits(2, 5, 6),
    subpageCode: r.u8(3),
    dbd: r.flag(1, 3),
  };
}

export function parseModeSense6Cdb(cdb: Uint8Array): ModeSense6Cdb {
  const r = new CdbReader(cdb, "MODE SENSE(6)", 6);
  r.reserved(1, 0xf7);
  return { ...parseCommon(r), allocationLength: r.u8(4) };
}

export function parseModeSense10Cdb(cdb: Uint8Array): ModeSense10Cdb {
  const r = new CdbReader(cdb, "MODE SENSE(10)", 10);
  r.reserved(1, 0xe7);
  r.reservedBytes(4, 6);
  return { ...parseCommon(r), llbaa: r.flag(1, 4), allocationLength: r.u16(7) };
}
