/**
 * INQUIRY data the emulated drive returns, encoded by the mmc package's codecs: standard data
 * (SPC-4 6.6.2, claiming SPC-3 and MMC-6) and the VPD pages 00h (supported pages, 7.8.14),
 * 80h (unit serial number, 7.8.15) and 83h (device identification, 7.8.6).
 */
import { deviceIdentificationCodec, standardInquiryCodec, supportedVpdPagesCodec, unitSerialNumberCodec } from "@discforge/mmc";
import { encodeUtf8 } from "@discforge/bytes";
import type { DriveIdentity } from "../personality.js";

/** Version descriptors (SPC-4 Table 38): SPC-3, MMC-6. */
const VERSION_DESCRIPTORS = [0x0300, 0x04e0];
const MMC_DEVICE = { peripheralQualifier: 0, peripheralDeviceType: 0x05 } as const;

export function encodeStandardInquiry(id: DriveIdentity): Uint8Array {
  return standardInquiryCodec.encode({
    ...MMC_DEVICE,
    removable: true,
    luCong: false,
    version: 5, // SPC-3
    normAca: false,
    hiSup: false,
    responseDataFormat: 2,
    sccs: false,
    acc: false,
    tpgs: 0,
    thirdPartyCopy: false,
    protect: false,
    encServ: false,
    multiP: false,
    mChngr: false,
    addr16: false,
    wBus16: false,
    sync: false,
    cmdQue: false,
    vendorSpecificBit6: false,
    vendorSpecificBit7: false,
    vendor: id.vendor,
    product: id.product,
    revision: id.revision,
    vendorSpecific: new Uint8Array(0),
    clocking: 0,
    qas: false,
    ius: false,
    versionDescriptors: VERSION_DESCRIPTORS,
    vendorSpecificTrailer: new Uint8Array(0),
  });
}

export const SUPPORTED_VPD_PAGES = [0x00, 0x80, 0x83] as const;

/** VPD page, or undefined for a page the drive does not have (24/00 on byte 2). */
export function encodeVpdPage(page: number, id: DriveIdentity): Uint8Array | undefined {
  if (page === 0x00) return supportedVpdPagesCodec.encode({ ...MMC_DEVICE, pages: SUPPORTED_VPD_PAGES });
  if (page === 0x80) return unitSerialNumberCodec.encode({ ...MMC_DEVICE, serialNumber: id.serial });
  if (page === 0x83) {
    // One designator: T10 vendor ID based (type 1), ASCII: vendor (8 bytes) + product + serial.
    const designator = encodeUtf8(id.vendor.padEnd(8, " ") + id.product.trim() + " " + id.serial);
    return deviceIdentificationCodec.encode({
      ...MMC_DEVICE,
      descriptors: [{ protocolIdentifier: 0, codeSet: 2, piv: false, association: 0, designatorType: 1, designator }],
    });
  }
  return undefined;
}
