/**
 * Master Boot Record (the IBM PC partition table; UEFI 2.10 5.2.1 "Legacy Master Boot Record",
 * 5.2.3 "Protective MBR").
 *
 *   0-439    boot code (isohybrid: 0-431 code, 432-435 boot image LBA x 4 (LE), 436-439 zero)
 *   440-443  disk signature (LE)
 *   444-445  zero
 *   446-509  four 16-byte partition entries:
 *              0 status (80h active), 1-3 CHS of first sector, 4 type, 5-7 CHS of last sector,
 *              8-11 first LBA (LE), 12-15 number of sectors (LE)
 *   510-511  55 AA
 */
import { readU32LE, writeU32LE } from "@discforge/bytes";
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";

export const MBR_SIZE = 512;
export const MBR_BOOT_CODE_SIZE = 440;
/** Bytes of an isohybrid MBR template that are boot code; 432-439 carry the boot image address. */
export const ISOHYBRID_CODE_SIZE = 432;

/** MBR partition types used by hybrid images. */
export const MBR_PARTITION_TYPES = {
  empty: 0x00,
  fat12: 0x01,
  fat16: 0x06,
  hiddenNtfs: 0x17,
  linux: 0x83,
  gptProtective: 0xee,
  efiSystem: 0xef,
} as const;

/** Cylinder/head/sector geometry for CHS fields; isohybrid and xorriso use 64 heads, 32 sectors. */
export interface ChsGeometry {
  readonly heads: number;
  readonly sectorsPerTrack: number;
}
export const ISOHYBRID_GEOMETRY: ChsGeometry = { heads: 64, sectorsPerTrack: 32 };

export interface MbrPartition {
  readonly bootable: boolean;
  readonly type: number;
  readonly startLba: number;
  readonly sectorCount: number;
  /** Raw CHS fields (3 bytes each); the encoder computes them from the geometry when absent. */
  readonly chsFirst?: Uint8Array;
  readonly chsLast?: Uint8Array;
}

export interface Mbr {
  /** Bytes 0-439. Shorter code is zero-padded. */
  readonly bootCode: Uint8Array;
  readonly diskSignature: number;
  /** Up to four entries; unused slots are all-zero entries. */
  readonly partitions: readonly (MbrPartition | null)[];
}

/** The 3-byte CHS field for `lba`: head, sector | cylinder bits 8-9 << 6, cylinder bits 0-7. */
export function chsField(lba: number, geometry: ChsGeometry = ISOHYBRID_GEOMETRY): Uint8Array {
  const perCylinder = geometry.heads * geometry.sectorsPerTrack;
  let cylinder = Math.floor(lba / perCylinder);
  let head = Math.floor(lba / geometry.sectorsPerTrack) % geometry.heads;
  let sector = (lba % geometry.sectorsPerTrack) + 1;
  if (cylinder > 1023) {
    // Beyond CHS reach: the conventional "maximum" address.
    cylinder = 1023;
    head = geometry.heads - 1;
    sector = geometry.sectorsPerTrack;
  }
  return Uint8Array.of(head, sector | ((cylinder >> 8) << 6), cylinder & 0xff);
}

const STRUCTURE = "Master Boot Record";

export const MbrCodec = {
  size: MBR_SIZE,
  encode(mbr: Mbr, geometry: ChsGeometry = ISOHYBRID_GEOMETRY): Uint8Array {
    if (mbr.bootCode.length > MBR_BOOT_CODE_SIZE) {
      throw new InvalidArgumentError("bootCode", `${mbr.bootCode.length} bytes exceed the ${MBR_BOOT_CODE_SIZE}-byte boot code area`);
    }
    if (mbr.partitions.length > 4) throw new InvalidArgumentError("partitions", `${mbr.partitions.length} entries; an MBR holds 4`);
    const out = new Uint8Array(MBR_SIZE);
    out.set(mbr.bootCode, 0);
    writeU32LE(out, 440, mbr.diskSignature);
    mbr.partitions.forEach((p, i) => {
      if (p === null) return;
      const at = 446 + 16 * i;
      if (!Number.isInteger(p.type) || p.type < 0 || p.type > 0xff) throw new InvalidArgumentError("type", `partition ${i + 1} type ${p.type} is not a byte`);
      if (p.sectorCount < 1) throw new InvalidArgumentError("sectorCount", `partition ${i + 1} is empty`);
      out[at] = p.bootable ? 0x80 : 0;
      out.set(p.chsFirst ?? chsField(p.startLba, geometry), at + 1);
      out[at + 4] = p.type;
      out.set(p.chsLast ?? chsField(p.startLba + p.sectorCount - 1, geometry), at + 5);
      writeU32LE(out, at + 8, p.startLba);
      writeU32LE(out, at + 12, p.sectorCount);
    });
    out[510] = 0x55;
    out[511] = 0xaa;
    return out;
  },
  decode(bytes: Uint8Array, baseOffset = 0): Mbr {
    if (bytes.length < MBR_SIZE) throw new MalformedDataError(STRUCTURE, baseOffset, `needs ${MBR_SIZE} bytes, has ${bytes.length}`);
    if (bytes[510] !== 0x55 || bytes[511] !== 0xaa) throw new MalformedDataError(STRUCTURE, baseOffset + 510, "boot signature is not 55 AA");
    const partitions: (MbrPartition | null)[] = [];
    for (let i = 0; i < 4; i++) {
      const at = 446 + 16 * i;
      const status = bytes[at]!;
      if (status !== 0 && status !== 0x80) throw new MalformedDataError(STRUCTURE, baseOffset + at, `partition ${i + 1} status ${status.toString(16)}h is neither 00h nor 80h`);
      const type = bytes[at + 4]!;
      const sectorCount = readU32LE(bytes, at + 12);
      const startLba = readU32LE(bytes, at + 8);
      if (sectorCount === 0 && type === 0 && startLba === 0) {
        partitions.push(null);
        continue;
      }
      partitions.push({
        bootable: status === 0x80,
        type,
        startLba,
        sectorCount,
        chsFirst: bytes.slice(at + 1, at + 4),
        chsLast: bytes.slice(at + 5, at + 8),
      });
    }
    return { bootCode: bytes.slice(0, MBR_BOOT_CODE_SIZE), diskSignature: readU32LE(bytes, 440), partitions };
  },
} as const;
