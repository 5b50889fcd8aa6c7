/**
 * Reads the boot side of an image: the El Torito boot record and catalog (found by walking the
 * ISO 9660 volume descriptor set from sector 16, ECMA-119 8.1), the MBR, and the GPT (primary,
 * and the backup at the primary's AlternateLBA). Hostile images are normal input: every walk is
 * bounded and every size is checked before anything is read.
 */
import { MalformedDataError } from "@discforge/errors";
import { BootCatalogCodec, type BootCatalog, type BootEntry } from "./boot-catalog.js";
import { BootRecordVolumeDescriptorCodec, SECTOR_SIZE, isElToritoBootRecord } from "./boot-record.js";
import { FLOPPY_SIZES } from "./eltorito.js";
import { GPT_BLOCK_SIZE, GptHeaderCodec, decodeGptEntryArray, type GptHeader, type GptPartitionEntry } from "./gpt.js";
import { MbrCodec, type Mbr } from "./mbr.js";

/** Reads `length` bytes at byte `offset`; may return fewer at the end of the image. */
export type ReadAt = (offset: number, length: number) => Uint8Array;

export interface BootInspection {
  readonly elTorito?: { readonly bootRecordLba: number; readonly catalogLba: number; readonly catalog: BootCatalog };
  /** Present when sector 0 ends in 55 AA and its partition entries are well-formed. */
  readonly mbr?: Mbr;
  readonly gpt?: { readonly primary: GptHeader; readonly backup?: GptHeader; readonly entries: readonly GptPartitionEntry[] };
}

const MAX_DESCRIPTORS = 64;
const MAX_CATALOG_SECTORS = 16;
const MAX_GPT_ARRAY = 1 << 20;

function readExact(read: ReadAt, offset: number, length: number, structure: string): Uint8Array {
  const bytes = read(offset, length);
  if (bytes.length < length) throw new MalformedDataError(structure, offset, `image ends after ${bytes.length} of ${length} bytes`);
  return bytes;
}

/** Finds El Torito, MBR and GPT structures; absent ones are left out, broken ones throw MalformedDataError. */
export function inspectBoot(read: ReadAt, imageSize: number): BootInspection {
  const result: { -readonly [K in keyof BootInspection]: BootInspection[K] } = {};
  // Volume descriptor set: 16 onward until the terminator (type 255).
  for (let i = 0; i < MAX_DESCRIPTORS; i++) {
    const lba = 16 + i;
    if ((lba + 1) * SECTOR_SIZE > imageSize) break;
    const sector = readExact(read, lba * SECTOR_SIZE, SECTOR_SIZE, "volume descriptor");
    if (String.fromCharCode(...sector.subarray(1, 6)) !== "CD001") break;
    if (sector[0] === 255) break;
    if (!isElToritoBootRecord(sector)) continue;
    const { bootCatalogLba } = BootRecordVolumeDescriptorCodec.decode(sector, lba * SECTOR_SIZE);
    const available = Math.floor(imageSize / SECTOR_SIZE) - bootCatalogLba;
    if (available < 1) throw new MalformedDataError("El Torito boot record", lba * SECTOR_SIZE + 71, `catalog LBA ${bootCatalogLba} is beyond the image`);
    const catalogBytes = readExact(read, bootCatalogLba * SECTOR_SIZE, Math.min(available, MAX_CATALOG_SECTORS) * SECTOR_SIZE, "El Torito boot catalog");
    result.elTorito = { bootRecordLba: lba, catalogLba: bootCatalogLba, catalog: BootCatalogCodec.decode(catalogBytes, bootCatalogLba * SECTOR_SIZE) };
    break;
  }
  if (imageSize >= 2 * GPT_BLOCK_SIZE) {
    const sector0 = readExact(read, 0, GPT_BLOCK_SIZE, "MBR");
    if (sector0[510] === 0x55 && sector0[511] === 0xaa) {
      try {
        result.mbr = MbrCodec.decode(sector0);
      } catch {
        // Boot code ending in 55 AA without a partition table (e.g. a floppy boot sector): no MBR.
      }
    }
    const lba1 = readExact(read, GPT_BLOCK_SIZE, GPT_BLOCK_SIZE, "GPT header");
    if (String.fromCharCode(...lba1.subarray(0, 8)) === "EFI PART") {
      const primary = GptHeaderCodec.decode(lba1, GPT_BLOCK_SIZE);
      const entries = readEntries(read, primary, imageSize);
      let backup: GptHeader | undefined;
      if ((primary.alternateLba + 1) * GPT_BLOCK_SIZE <= imageSize) {
        backup = GptHeaderCodec.decode(readExact(read, primary.alternateLba * GPT_BLOCK_SIZE, GPT_BLOCK_SIZE, "backup GPT header"), primary.alternateLba * GPT_BLOCK_SIZE);
        readEntries(read, backup, imageSize);
      }
      result.gpt = backup === undefined ? { primary, entries } : { primary, backup, entries };
    }
  }
  return result;
}

function readEntries(read: ReadAt, header: GptHeader, imageSize: number): GptPartitionEntry[] {
  const length = header.numberOfPartitionEntries * header.sizeOfPartitionEntry;
  const offset = header.partitionEntryLba * GPT_BLOCK_SIZE;
  if (length > MAX_GPT_ARRAY || offset + length > imageSize) {
    throw new MalformedDataError("GPT partition entry array", offset, `${length} bytes at LBA ${header.partitionEntryLba} do not fit the image or the ${MAX_GPT_ARRAY}-byte limit`);
  }
  return decodeGptEntryArray(readExact(read, offset, length, "GPT partition entry array"), header, offset);
}

/**
 * Byte extent of a catalog entry's image as far as the catalog tells: the diskette size for
 * floppy emulation, the MBR's last partition end for hard-disk emulation, otherwise the load
 * size (which for no-emulation images is often only the first 2 KiB, e.g. isolinux).
 */
export function bootEntryExtent(entry: BootEntry, read: ReadAt): { readonly offset: number; readonly length: number } {
  const offset = entry.loadRba * SECTOR_SIZE;
  switch (entry.emulation) {
    case "floppy-1.2":
    case "floppy-1.44":
    case "floppy-2.88":
      return { offset, length: FLOPPY_SIZES[entry.emulation] };
    case "hard-disk": {
      const mbr = MbrCodec.decode(readExact(read, offset, GPT_BLOCK_SIZE, "hard-disk emulation image"), offset);
      const end = Math.max(...mbr.partitions.map((p) => (p === null ? 1 : p.startLba + p.sectorCount)));
      return { offset, length: end * GPT_BLOCK_SIZE };
    }
    default:
      return { offset, length: Math.max(1, entry.sectorCount) * 512 };
  }
}


