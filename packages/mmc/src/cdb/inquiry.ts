/**
 * INQUIRY (12h), SPC-4 6.4.
 * Byte 1 bit 0 EVPD (bit 1, the former CMDDT, is obsolete and rejected), byte 2 PAGE CODE (must be
 * zero unless EVPD is set), bytes 3-4 ALLOCATION LENGTH.
 */
import { checkBool, checkUint, CdbReader, CdbWriter, invalid, makeRequest, type Optional } from "./fields.js";
import { VPD_PAGE } from "../tables/inquiry.js";
import type { ScsiRequest } from "./request.js";

const NAME = "INQUIRY";
export const INQUIRY_OPCODE = 0x12;

/** VPD page codes (SPC-4 7.8); the same object as VPD_PAGE (tables/inquiry.ts). */
export const VPD_PAGES = VPD_PAGE;

export interface InquiryCdb {
  /** Ask for a vital product data page instead of the standard data. */
  readonly evpd: boolean;
  /** VPD page code; 0 for standard INQUIRY data. */
  readonly pageCode: number;
  readonly allocationLength: number;
}
/** allocationLength defaults to 96 for standard data (enough for version descriptors, safe for
 * devices that mishandle more than 255) and 255 for VPD pages. */
export type InquiryParams = Optional<InquiryCdb, "evpd" | "pageCode" | "allocationLength">;

export function buildInquiry(params: InquiryParams = {}): ScsiRequest {
  const evpd = checkBool(NAME, "evpd", params.evpd);
  const pageCode = checkUint(NAME, "pageCode", params.pageCode ?? 0, 8);
  if (!evpd && pageCode !== 0) invalid(NAME, "pageCode", "a page code needs evpd: true");
  const allocationLength = checkUint(NAME, "allocationLength", params.allocationLength ?? (evpd ? 255 : 96), 16);
  const w = new CdbWriter(INQUIRY_OPCODE, 6).flag(1, 0, evpd).u8(2, pageCode).u16(3, allocationLength);
  return makeRequest("inquiry", w.bytes, { dataInLength: allocationLength });
}

export function parseInquiryCdb(cdb: Uint8Array): InquiryCdb {
  const r = new CdbReader(cdb, NAME, 6);
  r.reserved(1, 0xfe, "CMDDT is obsolete; other bits reserved");
  const evpd = r.flag(1, 0);
  const pageCode = r.u8(2);
  if (!evpd && pageCode !== 0) r.fail(2, 7, "PAGE CODE set without EVPD");
  return { evpd, pageCode, allocationLength: r.u16(3) };
}
