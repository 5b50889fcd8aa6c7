/**
 * Sense data descriptor types (SPC-4 4.5.2.1, table "Sense data descriptor types"; SPC-5/SPC-6
 * add 0Eh and 0Fh) and sense data response codes (SPC-4 4.5.1).
 */

export const SENSE_RESPONSE_CODE = {
  fixedCurrent: 0x70,
  fixedDeferred: 0x71,
  descriptorCurrent: 0x72,
  descriptorDeferred: 0x73,
  /** Vendor specific format: not decodable without the vendor's documentation. */
  vendorSpecific: 0x7f,
} as const;

export const SENSE_DESCRIPTOR_TYPE = {
  information: 0x00,
  commandSpecificInformation: 0x01,
  senseKeySpecific: 0x02,
  fieldReplaceableUnit: 0x03,
  streamCommands: 0x04,
  blockCommands: 0x05,
  osdObjectIdentification: 0x06,
  osdResponseIntegrityCheck: 0x07,
  osdAttributeIdentification: 0x08,
  ataStatusReturn: 0x09,
  anotherProgressIndication: 0x0a,
  userDataSegmentReferral: 0x0b,
  forwardedSenseData: 0x0c,
  directAccessBlockDevice: 0x0d,
  deviceDesignation: 0x0e,
  microcodeActivation: 0x0f,
} as const;

/** T10 names of the descriptor types; 80h-FFh are vendor specific, the rest reserved. */
export const SENSE_DESCRIPTOR_NAMES: Readonly<Record<number, string>> = {
  0x00: "Information",
  0x01: "Command-specific information",
  0x02: "Sense key specific",
  0x03: "Field replaceable unit",
  0x04: "Stream commands",
  0x05: "Block commands",
  0x06: "OSD object identification",
  0x07: "OSD response integrity check value",
  0x08: "OSD attribute identification",
  0x09: "ATA status return",
  0x0a: "Another progress indication",
  0x0b: "User data segment referral",
  0x0c: "Forwarded sense data",
  0x0d: "Direct-access block device",
  0x0e: "Device designation",
  0x0f: "Microcode activation",
};

export function senseDescriptorName(type: number): string {
  const name = SENSE_DESCRIPTOR_NAMES[type];
  if (name !== undefined) return name;
  return type >= 0x80 ? "Vendor specific" : "Reserved";
}
