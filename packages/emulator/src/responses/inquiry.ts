/**
 * INQUIRY data the emulated drive returns: standard data (SPC-4 6.6.2) and the VPD pages 00h
 * (supported pages, 7.8.14), 80h (unit serial number, 7.8.15), 83h (device identification, 7.8.6).
 */
import { writePadded, writeU16BE } from "@discforge/bytes";
import type { DriveIdentity } from "../personality.js";

export const INQUIRY_LENGTH = 96;

export function encodeStandardInquiry(id: DriveIdentity): Uint8Array {
  const b = new Uint8Array(INQUIRY_LENGTH);
  b[0] = 0x05; // peripheral qualifier 0, device type 05h (MMC)
  b[1] = 0x80; // RMB: removable medium
  b[2] = 0x05; // VERSION: SPC-3
  b[3] = 0x02; // response data format 2
  b[4] = INQUIRY_LENGTH - 5; // additional length
  writePadded(b, 8, 8, id.vendor);
  writePadded(b, 16, 16, id.product);
  writePadded(b, 32, 4, id.revision);
  return b;
}

export const SUPPORTED_VPD_PAGES = [0x00, 0x80, 0x83] as const;

/** VPD page, or undefined for a page the drive does not have (24/00 on byte 2). */
export function encodeVpdPage(page: number, id: DriveIdentity): Uint8Array | undefined {
  if (page === 0x00) {
    const b = new Uint8Array(4 + SUPPORTED_VPD_PAGES.length);
    b[0] = 0x05;
    writeU16BE(b, 2, SUPPORTED_VPD_PAGES.length);
    b.set(SUPPORTED_VPD_PAGES, 4);
    return b;
  }
  if (page === 0x80) {
    const b = new Uint8Array(4 + id.serial.length);
    b[0] = 0x05;
    b[1] = 0x80;
    writeU16BE(b, 2, id.serial.length);
    writePadded(b, 4, id.serial.length, id.serial);
    return b;
  }
  if (page === 0x83) {
    // One designator: T10 vendor ID based (type 1), ASCII, vendor + product + serial.
    const text = id.vendor.padEnd(8, " ") + id.product.trim() + " " + id.serial;
    const b = new Uint8Array(8 + text.length);
    b[0] = 0x05;
    b[1] = 0x83;
    writeU16BE(b, 2, 4 + text.length);
    b[4] = 0x02; // code set: ASCII
    b[5] = 0x01; // association: logical unit; designator type: T10 vendor ID
    b[7] = text.length;
    writePadded(b, 8, text.length, text);
    return b;
  }
  return undefined;
}
