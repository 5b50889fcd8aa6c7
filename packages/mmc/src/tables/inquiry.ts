/**
 * INQUIRY tables: peripheral device types, version descriptor families, VPD page names and the
 * Device Identification VPD enumerations.
 *
 * Source: T10 SPC-4 (INCITS 513-2015) 6.6.2 (standard INQUIRY data), 7.8 (VPD pages) and the
 * T10 version descriptor assignments, in which every standard owns a block of 32 codes starting
 * at a multiple of 20h; the block's first code means "no version claimed".
 */

export const PERIPHERAL_DEVICE_TYPE = {
  directAccess: 0x00,
  sequentialAccess: 0x01,
  printer: 0x02,
  processor: 0x03,
  writeOnce: 0x04,
  /** CD/DVD/BD device: the only type MMC commands (and writes) may be sent to. */
  mmc: 0x05,
  scanner: 0x06,
  opticalMemory: 0x07,
  mediumChanger: 0x08,
  communications: 0x09,
  storageArrayController: 0x0c,
  enclosureServices: 0x0d,
  simplifiedDirectAccess: 0x0e,
  opticalCardReader: 0x0f,
  objectBasedStorage: 0x11,
  automationDriveInterface: 0x12,
  hostManagedZonedBlock: 0x14,
  wellKnownLogicalUnit: 0x1e,
  unknown: 0x1f,
} as const;

export const PERIPHERAL_DEVICE_TYPE_NAMES: Readonly<Record<number, string>> = {
  0x00: "direct access block device",
  0x01: "sequential access device",
  0x02: "printer",
  0x03: "processor",
  0x04: "write-once device",
  0x05: "CD/DVD/BD device (MMC)",
  0x06: "scanner (obsolete)",
  0x07: "optical memory device",
  0x08: "medium changer",
  0x09: "communications device (obsolete)",
  0x0c: "storage array controller",
  0x0d: "enclosure services device",
  0x0e: "simplified direct access device",
  0x0f: "optical card reader/writer",
  0x11: "object-based storage device",
  0x12: "automation/drive interface",
  0x14: "host managed zoned block device",
  0x1e: "well known logical unit",
  0x1f: "unknown or no device type",
};

/** Peripheral qualifier (byte 0 bits 7-5). */
export const PERIPHERAL_QUALIFIER = {
  connected: 0,
  notConnected: 1,
  notSupported: 3,
} as const;

/** Version descriptor families: first code of each standard's block of 32. */
export const VERSION_DESCRIPTOR_FAMILIES: Readonly<Record<number, string>> = {
  0x0020: "SAM",
  0x0040: "SAM-2",
  0x0060: "SAM-3",
  0x0080: "SAM-4",
  0x00a0: "SAM-5",
  0x0120: "SPC",
  0x0140: "MMC",
  0x0160: "SCC",
  0x0180: "SBC",
  0x01a0: "SMC",
  0x01c0: "SES",
  0x0200: "SSC",
  0x0220: "RBC",
  0x0240: "MMC-2",
  0x0260: "SPC-2",
  0x02a0: "MMC-3",
  0x0300: "SPC-3",
  0x0320: "SBC-2",
  0x03a0: "MMC-4",
  0x0420: "MMC-5",
  0x0460: "SPC-4",
  0x04c0: "SBC-3",
  0x04e0: "MMC-6",
  0x05c0: "SPC-5",
  0x0600: "SBC-4",
  0x15e0: "ATA/ATAPI-6",
  0x1600: "ATA/ATAPI-7",
  0x1620: "ATA/ATAPI-8 (ATA8-AAM)",
};

/** Named version descriptor values most often seen on optical drives. */
export const VERSION_DESCRIPTOR = {
  none: 0x0000,
  sam: 0x0020,
  sam2: 0x0040,
  sam3: 0x0060,
  sam4: 0x0080,
  spc: 0x0120,
  mmc: 0x0140,
  mmc2: 0x0240,
  spc2: 0x0260,
  mmc3: 0x02a0,
  spc3: 0x0300,
  mmc4: 0x03a0,
  mmc5: 0x0420,
  spc4: 0x0460,
  mmc6: 0x04e0,
  spc5: 0x05c0,
  ataAtapi6: 0x15e0,
  ataAtapi7: 0x1600,
  ataAtapi8: 0x1620,
} as const;

/** "MMC-5 (no version claimed)", "SPC-4 (version 0461h)", or "unknown standard (version 1234h)". */
export function versionDescriptorName(code: number): string {
  const hex = `${code.toString(16).toUpperCase().padStart(4, "0")}h`;
  if (code === 0) return "none";
  const family = VERSION_DESCRIPTOR_FAMILIES[code & ~0x1f];
  if (family === undefined) return `unknown standard (version ${hex})`;
  return (code & 0x1f) === 0 ? `${family} (no version claimed)` : `${family} (version ${hex})`;
}

export const VPD_PAGE = {
  supportedPages: 0x00,
  unitSerialNumber: 0x80,
  deviceIdentification: 0x83,
  softwareInterfaceIdentification: 0x84,
  managementNetworkAddresses: 0x85,
  extendedInquiryData: 0x86,
  modePagePolicy: 0x87,
  scsiPorts: 0x88,
  ataInformation: 0x89,
  powerCondition: 0x8a,
} as const;

export const VPD_PAGE_NAMES: Readonly<Record<number, string>> = {
  0x00: "Supported VPD Pages",
  0x80: "Unit Serial Number",
  0x83: "Device Identification",
  0x84: "Software Interface Identification",
  0x85: "Management Network Addresses",
  0x86: "Extended INQUIRY Data",
  0x87: "Mode Page Policy",
  0x88: "SCSI Ports",
  0x89: "ATA Information",
  0x8a: "Power Condition",
};

/** Designation descriptor code set (SPC-4 7.8.6.1). */
export const CODE_SET = { binary: 1, ascii: 2, utf8: 3 } as const;

/** Designation descriptor association. */
export const DESIGNATOR_ASSOCIATION = { logicalUnit: 0, targetPort: 1, targetDevice: 2 } as const;

/** Designation descriptor designator type. */
export const DESIGNATOR_TYPE = {
  vendorSpecific: 0x0,
  t10VendorId: 0x1,
  eui64: 0x2,
  naa: 0x3,
  relativeTargetPort: 0x4,
  targetPortGroup: 0x5,
  logicalUnitGroup: 0x6,
  md5LogicalUnitId: 0x7,
  scsiNameString: 0x8,
  protocolSpecificPort: 0x9,
  uuid: 0xa,
} as const;

export const DESIGNATOR_TYPE_NAMES: Readonly<Record<number, string>> = {
  0x0: "vendor specific",
  0x1: "T10 vendor ID",
  0x2: "EUI-64",
  0x3: "NAA",
  0x4: "relative target port",
  0x5: "target port group",
  0x6: "logical unit group",
  0x7: "MD5 logical unit identifier",
  0x8: "SCSI name string",
  0x9: "protocol specific port identifier",
  0xa: "UUID",
};
