/**
 * Boot info table (mkisofs -boot-info-table, as isolinux and GRUB's eltorito.img expect it): 56
 * bytes at offset 8 of a no-emulation boot image, filled in at mastering time so the loaded
 * sector knows where it came from.
 *
 *   8-11   LBA of the Primary Volume Descriptor (LE)
 *   12-15  LBA of the boot file (LE)
 *   16-19  length of the boot file in bytes (LE)
 *   20-23  checksum: sum, modulo 2^32, of the LE 32-bit words from byte 64 to the end of the
 *          file (a short last word is zero-padded)
 *   24-63  reserved, zero
 */
import { readU32LE, writeU32LE } from "@discforge/bytes";
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";

export const BOOT_INFO_TABLE_OFFSET = 8;
export const BOOT_INFO_TABLE_SIZE = 56;
const CHECKSUM_FROM = 64;

export interface BootInfoTable {
  readonly pvdLba: number;
  readonly bootFileLba: number;
  readonly bootFileLength: number;
  readonly checksum: number;
}

/** Sum of the LE 32-bit words of `image` from byte 64 on, modulo 2^32. */
export function bootInfoChecksum(image: Uint8Array): number {
  let sum = 0;
  for (let i = CHECKSUM_FROM; i < image.length; i += 4) {
    const word = (image[i] ?? 0) | ((image[i + 1] ?? 0) << 8) | ((image[i + 2] ?? 0) << 16) | ((image[i + 3] ?? 0) << 24);
    sum = (sum + (word >>> 0)) >>> 0;
  }
  return sum;
}

export const BootInfoTableCodec = {
  offset: BOOT_INFO_TABLE_OFFSET,
  size: BOOT_INFO_TABLE_SIZE,
  /** The 56 table bytes. */
  encode(table: BootInfoTable): Uint8Array {
    const out = new Uint8Array(BOOT_INFO_TABLE_SIZE);
    writeU32LE(out, 0, table.pvdLba);
    writeU32LE(out, 4, table.bootFileLba);
    writeU32LE(out, 8, table.bootFileLength);
    writeU32LE(out, 12, table.checksum);
    return out;
  },
  /** Reads the table from a boot image (not from the 56 bytes alone). */
  decode(image: Uint8Array, baseOffset = 0): BootInfoTable {
    if (image.length < CHECKSUM_FROM) throw new MalformedDataError("boot info table", baseOffset, `boot image of ${image.length} bytes is shorter than 64`);
    return {
      pvdLba: readU32LE(image, 8),
      bootFileLba: readU32LE(image, 12),
      bootFileLength: readU32LE(image, 16),
      checksum: readU32LE(image, 20),
    };
  },
} as const;

/**
 * Returns a copy of `image` with the boot info table filled in. The checksum covers bytes 64 on,
 * which patching does not touch, so it is the same before and after.
 */
export function patchBootInfoTable(image: Uint8Array, where: { readonly pvdLba: number; readonly bootFileLba: number }): Uint8Array {
  if (image.length < CHECKSUM_FROM) {
    throw new InvalidArgumentError("bootInfoTable", `boot image of ${image.length} bytes is too short for a boot info table (needs 64)`);
  }
  const out = image.slice();
  out.fill(0, BOOT_INFO_TABLE_OFFSET, BOOT_INFO_TABLE_OFFSET + BOOT_INFO_TABLE_SIZE);
  out.set(
    BootInfoTableCodec.encode({ pvdLba: where.pvdLba, bootFileLba: where.bootFileLba, bootFileLength: image.length, checksum: bootInfoChecksum(image) }),
    BOOT_INFO_TABLE_OFFSET,
  );
  return out;
}

/** True when the table in a patched image matches the image's own length and checksum. */
export function verifyBootInfoTable(image: Uint8Array): boolean {
  const t = BootInfoTableCodec.decode(image);
  return t.bootFileLength === image.length && t.checksum === bootInfoChecksum(image);
}
