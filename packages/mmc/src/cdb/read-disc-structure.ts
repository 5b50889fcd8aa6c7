/**
 * READ DISC STRUCTURE (ADh), MMC-5 6.23 / MMC-6.
 * Byte 1 bits 3-0 MEDIA TYPE (0000b DVD/HD DVD, 0001b BD; others reserved). Bytes 2-5 ADDRESS.
 * Byte 6 LAYER NUMBER. Byte 7 FORMAT CODE. Bytes 8-9 ALLOCATION LENGTH. Byte 10 bits 7-6 AGID.
 */
import { checkName, checkUint, CdbReader, CdbWriter, makeRequest, type Optional } from "./fields.js";
import type { ScsiRequest } from "./request.js";

const NAME = "READ DISC STRUCTURE";
export const READ_DISC_STRUCTURE_OPCODE = 0xad;

export const DISC_STRUCTURE_MEDIA_TYPE = { dvd: 0, bd: 1 } as const;
export type DiscStructureMediaType = keyof typeof DISC_STRUCTURE_MEDIA_TYPE;
const MEDIA_TYPE_NAMES = ["dvd", "bd"] as const;

/** DVD/HD DVD format codes (media type 0000b), MMC-6 READ DISC STRUCTURE. */
export const DVD_STRUCTURE_FORMAT = {
  physicalFormat: 0x00,
  copyright: 0x01,
  discKey: 0x02,
  burstCuttingArea: 0x03,
  discManufacturingInfo: 0x04,
  copyrightManagement: 0x05,
  mediaIdentifier: 0x06,
  mediaKeyBlock: 0x07,
  dvdRamDds: 0x08,
  dvdRamMediumStatus: 0x09,
  dvdRamSpareArea: 0x0a,
  dvdRamRecordingType: 0x0b,
  rmdLastBorderOut: 0x0c,
  rmd: 0x0d,
  preRecordedLeadIn: 0x0e,
  uniqueDiscIdentifier: 0x0f,
  physicalFormatOfLeadIn: 0x10,
  adip: 0x11,
  layerBoundary: 0x20,
  shiftedMiddleAreaStart: 0x21,
  jumpIntervalSize: 0x22,
  manualLayerJumpAddress: 0x23,
  remappingAddress: 0x24,
  discControlBlocks: 0x30,
  mtaEccBlock: 0x31,
  writeProtectionStatus: 0xc0,
  recognizedFormatLayers: 0x90,
  structureList: 0xff,
} as const;

/** BD format codes (media type 0001b), MMC-6 READ DISC STRUCTURE. */
export const BD_STRUCTURE_FORMAT = {
  discInformation: 0x00,
  burstCuttingArea: 0x03,
  discDefinitionStructure: 0x08,
  cartridgeStatus: 0x09,
  spareAreaInformation: 0x0a,
  rawDefectList: 0x12,
  physicalAccessControl: 0x30,
  writeProtectionStatus: 0xc0,
  structureList: 0xff,
} as const;

export interface ReadDiscStructureCdb {
  readonly mediaType: DiscStructureMediaType;
  readonly address: number;
  readonly layerNumber: number;
  readonly formatCode: number;
  readonly allocationLength: number;
  /** Authentication grant ID, for the copy-protection formats. */
  readonly agid: number;
}
/** Defaults: DVD, address 0, layer 0, AGID 0, 2052 bytes (header + one 2048-byte structure). */
export type ReadDiscStructureParams = Optional<ReadDiscStructureCdb, "mediaType" | "address" | "layerNumber" | "allocationLength" | "agid">;

export function buildReadDiscStructure(params: ReadDiscStructureParams): ScsiRequest {
  const mediaType = checkName(NAME, "mediaType", DISC_STRUCTURE_MEDIA_TYPE, params.mediaType ?? "dvd");
  const allocationLength = checkUint(NAME, "allocationLength", params.allocationLength ?? 2052, 16);
  const w = new CdbWriter(READ_DISC_STRUCTURE_OPCODE, 12)
    .bits(1, 0, mediaType)
    .u32(2, checkUint(NAME, "address", params.address ?? 0, 32))
    .u8(6, checkUint(NAME, "layerNumber", params.layerNumber ?? 0, 8))
    .u8(7, checkUint(NAME, "formatCode", params.formatCode, 8))
    .u16(8, allocationLength)
    .bits(10, 6, checkUint(NAME, "agid", params.agid ?? 0, 2));
  return makeRequest("readDiscStructure", w.bytes, { dataInLength: allocationLength });
}

export function parseReadDiscStructureCdb(cdb: Uint8Array): ReadDiscStructureCdb {
  const r = new CdbReader(cdb, NAME, 12);
  r.reserved(1, 0xf0);
  const m = r.bits(1, 3, 4);
  if (m > 1) r.fail(1, 3, "reserved MEDIA TYPE");
  r.reserved(10, 0x3f);
  return {
    mediaType: MEDIA_TYPE_NAMES[m]!,
    address: r.u32(2),
    layerNumber: r.u8(6),
    formatCode: r.u8(7),
    allocationLength: r.u16(8),
    agid: r.bits(10, 7, 2),
  };
}
