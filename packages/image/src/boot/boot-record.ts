/**
 * Boot Record Volume Descriptor for El Torito (El Torito 1.0 section 2.0; ECMA-119 8.2 is the
 * generic Boot Record). Conventionally at sector 17, right after the Primary Volume Descriptor.
 *
 *   0     Boot Record Indicator, 0
 *   1-5   Standard Identifier "CD001"
 *   6     Version 1
 *   7-38  Boot System Identifier "EL TORITO SPECIFICATION", zero-padded
 *   39-70 Boot Identifier, zero
 *   71-74 LBA of the boot catalog, little-endian
 *   75-   zero
 */
import { readU32LE, writeU32LE } from "@discforge/bytes";
import { MalformedDataError } from "@discforge/errors";

export const SECTOR_SIZE = 2048;
export const EL_TORITO_SYSTEM_ID = "EL TORITO SPECIFICATION";

export interface BootRecordVolumeDescriptor {
  /** Sector (2048-byte LBA) of the first sector of the boot catalog. */
  readonly bootCatalogLba: number;
}

const STRUCTURE = "El Torito Boot Record Volume Descriptor";

export const BootRecordVolumeDescriptorCodec = {
  size: SECTOR_SIZE,
  encode(value: BootRecordVolumeDescriptor): Uint8Array {
    const out = new Uint8Array(SECTOR_SIZE);
    out[0] = 0;
    out.set([0x43, 0x44, 0x30, 0x30, 0x31], 1);
    out[6] = 1;
    for (let i = 0; i < EL_TORITO_SYSTEM_ID.length; i++) out[7 + i] = EL_TORITO_SYSTEM_ID.charCodeAt(i);
    writeU32LE(out, 71, value.bootCatalogLba);
    return out;
  },
  decode(bytes: Uint8Array, baseOffset = 0): BootRecordVolumeDescriptor {
    if (bytes.length < SECTOR_SIZE) throw new MalformedDataError(STRUCTURE, baseOffset, `needs ${SECTOR_SIZE} bytes, has ${bytes.length}`);
    if (bytes[0] !== 0) throw new MalformedDataError(STRUCTURE, baseOffset, `type ${bytes[0]} is not 0 (boot record)`);
    if (String.fromCharCode(...bytes.subarray(1, 6)) !== "CD001") throw new MalformedDataError(STRUCTURE, baseOffset + 1, "standard identifier is not CD001");
    if (bytes[6] !== 1) throw new MalformedDataError(STRUCTURE, baseOffset + 6, `version ${bytes[6]} is not 1`);
    if (!isElToritoBootRecord(bytes)) {
      throw new MalformedDataError(STRUCTURE, baseOffset + 7, "boot system identifier is not EL TORITO SPECIFICATION");
    }
    return { bootCatalogLba: readU32LE(bytes, 71) };
  },
} as const;

/** True when `sector` is a boot record whose boot system identifier names El Torito. */
export function isElToritoBootRecord(sector: Uint8Array): boolean {
  if (sector.length < 75 || sector[0] !== 0) return false;
  if (String.fromCharCode(...sector.subarray(1, 6)) !== "CD001") return false;
  for (let i = 0; i < 32; i++) {
    const want = i < EL_TORITO_SYSTEM_ID.length ? EL_TORITO_SYSTEM_ID.charCodeAt(i) : 0;
    if (sector[7 + i] !== want) return false;
  }
  return true;
}
