/**
 * Hybrid (isohybrid) disk layout: an MBR and a GPT in the ISO 9660 system area (sectors 0-15),
 * partitions appended after the ISO data, and the backup GPT at the very end, so the same image
 * boots as a CD (El Torito) and as a USB disk (BIOS via the MBR boot code, UEFI via the EFI
 * system partition).
 *
 * Two MBR styles:
 *  - "isohybrid": what `xorriso -as mkisofs -isohybrid-mbr T -isohybrid-gpt-basdat
 *    -append_partition 2 0xef ESP` writes: MBR partition 1 active, type 00h, covering the ISO
 *    from block 0; appended partitions as further MBR partitions; a GPT that mirrors them (ISO
 *    entry "ISOHybrid" of type basic data from block 0). No 0xEE entry, so firmware and
 *    partitioners use the MBR and the GPT stays latent.
 *  - "protective": a UEFI 2.10 5.2.3 protective MBR (one 0xEE partition from block 1 to the end,
 *    optionally marked active for BIOSes that want an active partition) and a valid GPT whose
 *    ISO entry starts at block 64 (the first block after the system area) and whose appended
 *    entries carry their real GPT types (EFI system partition, ...). `sgdisk -v` finds no problems.
 *
 * Blocks here are 512 bytes (GPT and MBR LBAs); ISO sectors are 2048 bytes = 4 blocks.
 */
import { writeU32LE } from "@discforge/bytes";
import { InvalidArgumentError } from "@discforge/errors";
import { crc32 } from "./crc32.js";
import { GPT_ATTRIBUTES, GPT_BLOCK_SIZE, GPT_ENTRY_SIZE, GptHeaderCodec, encodeGptEntryArray, type GptPartitionEntry } from "./gpt.js";
import { GPT_PARTITION_TYPES } from "./guid.js";
import { ISOHYBRID_CODE_SIZE, ISOHYBRID_GEOMETRY, MBR_PARTITION_TYPES, MbrCodec, type MbrPartition } from "./mbr.js";

export const BLOCKS_PER_SECTOR = 4;
export const SYSTEM_AREA_SECTORS = 16;
export const SYSTEM_AREA_SIZE = SYSTEM_AREA_SECTORS * 2048;
const SYSTEM_AREA_BLOCKS = SYSTEM_AREA_SIZE / GPT_BLOCK_SIZE;

export type HybridStyle = "isohybrid" | "protective";

/** A partition placed after the ISO data (xorriso -append_partition). */
export interface AppendedPartitionPlacement {
  /** First 2048-byte sector. */
  readonly startSector: number;
  readonly sectors: number;
  readonly mbrType: number;
  readonly gptType: string;
  /** GPT partition name ("protective" style; "isohybrid" uses xorriso's "ISOHybridN"). */
  readonly name?: string;
}

export interface HybridLayoutInput {
  readonly style: HybridStyle;
  /** ISO 9660 volume space size in 2048-byte sectors (PVD field), the start of anything appended. */
  readonly isoSectors: number;
  readonly appended: readonly AppendedPartitionPlacement[];
  /**
   * "isohybrid" style only: partitions inside the ISO data (an EFI image that is also a file of
   * the ISO, as `xorriso -e efi.img -isohybrid-gpt-basdat` marks it). They overlap the ISO entry.
   */
  readonly embedded?: readonly AppendedPartitionPlacement[];
  /** Sector of the BIOS no-emulation boot image; isohybrid MBR code reads it from bytes 432-435. */
  readonly biosBootImageSector?: number;
  /** MBR boot code: bytes 0-431 of an isohybrid template (e.g. syslinux isohdpfx.bin). Zero when absent. */
  readonly mbrTemplate?: Uint8Array;
  readonly diskSignature: number;
  readonly diskGuid: string;
  /** One unique GUID per GPT entry: ISO data first, then the appended partitions. */
  readonly partitionGuids: readonly string[];
  /** Mark the protective MBR entry active (xorriso --mbr-force-bootable). */
  readonly protectiveBootable?: boolean;
  /** GPT entry slots; 128 (16 KiB) is the UEFI minimum. */
  readonly gptEntryCount?: number;
}

export interface HybridLayout {
  /** Bytes 0-32767 of the image. */
  readonly systemArea: Uint8Array;
  /** Sectors to write after the last appended partition (zero padding + backup GPT). */
  readonly tail: Uint8Array;
  /** Total image size in 2048-byte sectors, tail included. */
  readonly totalSectors: number;
  readonly mbrPartitions: readonly MbrPartition[];
  readonly gptEntries: readonly GptPartitionEntry[];
}

const LBA_ONLY_CHS = Uint8Array.of(0xfe, 0xff, 0xff);
const ISO_ENTRY_ATTRIBUTES = GPT_ATTRIBUTES.readOnly | GPT_ATTRIBUTES.requiredPartition;

/** Number of 2048-byte sectors the backup GPT (entry array + header) takes at the end. */
export function backupGptSectors(entryCount = 128): number {
  const blocks = (entryCount * GPT_ENTRY_SIZE) / GPT_BLOCK_SIZE + 1;
  return Math.ceil(blocks / BLOCKS_PER_SECTOR);
}

/** Computes the system area and the tail of a hybrid image. */
export function layoutHybrid(input: HybridLayoutInput): HybridLayout {
  const entryCount = input.gptEntryCount ?? 128;
  if (!Number.isInteger(entryCount) || entryCount < 128 || (entryCount * GPT_ENTRY_SIZE) % GPT_BLOCK_SIZE !== 0) {
    throw new InvalidArgumentError("gptEntryCount", `${entryCount} must be a multiple of 4 and at least 128`);
  }
  const entryBlocks = (entryCount * GPT_ENTRY_SIZE) / GPT_BLOCK_SIZE;
  if (2 + entryBlocks > SYSTEM_AREA_BLOCKS) throw new InvalidArgumentError("gptEntryCount", `${entryCount} entries do not fit the system area`);
  const embedded = input.embedded ?? [];
  if (embedded.length > 0 && input.style !== "isohybrid") {
    throw new InvalidArgumentError("embedded", "partitions inside the ISO data overlap the ISO partition; the protective style needs them appended");
  }
  for (const p of embedded) {
    if (p.sectors < 1 || p.startSector < SYSTEM_AREA_SECTORS || p.startSector + p.sectors > input.isoSectors) {
      throw new InvalidArgumentError("embedded", `partition at sector ${p.startSector} (+${p.sectors}) is not inside the ISO data`);
    }
  }
  const extra = embedded.length + input.appended.length;
  if (extra > 3) throw new InvalidArgumentError("appended", "at most 3 partitions fit the MBR next to the ISO partition");
  if (input.partitionGuids.length !== 1 + extra) {
    throw new InvalidArgumentError("partitionGuids", `need ${1 + extra} GUIDs, got ${input.partitionGuids.length}`);
  }
  let end = input.isoSectors;
  for (const p of input.appended) {
    if (p.startSector < end) throw new InvalidArgumentError("appended", `partition at sector ${p.startSector} overlaps data before sector ${end}`);
    if (p.sectors < 1) throw new InvalidArgumentError("appended", "an appended partition is empty");
    end = p.startSector + p.sectors;
  }
  const tailSectors = backupGptSectors(entryCount);
  const totalSectors = end + tailSectors;
  const totalBlocks = totalSectors * BLOCKS_PER_SECTOR;
  const backupHeaderLba = totalBlocks - 1;
  const backupEntriesLba = backupHeaderLba - entryBlocks;
  const isoBlocks = input.isoSectors * BLOCKS_PER_SECTOR;

  const mbrPartitions: MbrPartition[] = [];
  const others = [...embedded, ...input.appended];
  if (input.style === "isohybrid") {
    // Without appended partitions the backup GPT counts as ISO data, as in xorriso's images.
    mbrPartitions.push({ bootable: true, type: MBR_PARTITION_TYPES.empty, startLba: 0, sectorCount: input.appended.length === 0 ? totalBlocks : isoBlocks });
    for (const p of others) {
      const startLba = p.startSector * BLOCKS_PER_SECTOR;
      const sectorCount = p.sectors * BLOCKS_PER_SECTOR;
      // Like xorriso: a partition off the cylinder grid gets the "use LBA" CHS marker FE FF FF.
      const cylinder = ISOHYBRID_GEOMETRY.heads * ISOHYBRID_GEOMETRY.sectorsPerTrack;
      const offGrid = startLba % cylinder !== 0 || sectorCount % cylinder !== 0;
      mbrPartitions.push({ bootable: false, type: p.mbrType, startLba, sectorCount, ...(offGrid ? { chsFirst: LBA_ONLY_CHS, chsLast: LBA_ONLY_CHS } : {}) });
    }
  } else {
    mbrPartitions.push({
      bootable: input.protectiveBootable ?? false,
      type: MBR_PARTITION_TYPES.gptProtective,
      startLba: 1,
      sectorCount: Math.min(totalBlocks - 1, 0xffffffff),
    });
  }

  const gptEntries: GptPartitionEntry[] = [
    {
      typeGuid: GPT_PARTITION_TYPES.basicData,
      uniqueGuid: input.partitionGuids[0]!,
      startingLba: input.style === "isohybrid" ? 0 : SYSTEM_AREA_BLOCKS,
      endingLba: isoBlocks - 1,
      attributes: ISO_ENTRY_ATTRIBUTES,
      name: input.style === "isohybrid" ? "ISOHybrid" : "ISO9660",
    },
  ];
  others.forEach((p, i) => {
    gptEntries.push({
      typeGuid: input.style === "isohybrid" ? GPT_PARTITION_TYPES.basicData : p.gptType,
      uniqueGuid: input.partitionGuids[i + 1]!,
      startingLba: p.startSector * BLOCKS_PER_SECTOR,
      endingLba: (p.startSector + p.sectors) * BLOCKS_PER_SECTOR - 1,
      attributes: input.style === "isohybrid" ? ISO_ENTRY_ATTRIBUTES : 0n,
      name: input.style === "isohybrid" ? `ISOHybrid${i + 1}` : (p.name ?? `Appended${i + 1}`),
    });
  });

  const entryArray = encodeGptEntryArray(gptEntries, entryCount);
  const entryCrc = crc32(entryArray);
  const common = {
    firstUsableLba: SYSTEM_AREA_BLOCKS,
    lastUsableLba: backupEntriesLba - 1,
    diskGuid: input.diskGuid,
    numberOfPartitionEntries: entryCount,
    sizeOfPartitionEntry: GPT_ENTRY_SIZE,
    partitionEntryArrayCrc32: entryCrc,
  };
  const primary = GptHeaderCodec.encode({ ...common, myLba: 1, alternateLba: backupHeaderLba, partitionEntryLba: 2 });
  const backup = GptHeaderCodec.encode({ ...common, myLba: backupHeaderLba, alternateLba: 1, partitionEntryLba: backupEntriesLba });

  const bootCode = new Uint8Array(440);
  if (input.mbrTemplate !== undefined) {
    if (input.mbrTemplate.length < ISOHYBRID_CODE_SIZE) {
      throw new InvalidArgumentError("mbrTemplate", `${input.mbrTemplate.length} bytes; an isohybrid MBR template has at least ${ISOHYBRID_CODE_SIZE}`);
    }
    bootCode.set(input.mbrTemplate.subarray(0, ISOHYBRID_CODE_SIZE));
  }
  if (input.biosBootImageSector !== undefined) writeU32LE(bootCode, 432, input.biosBootImageSector * BLOCKS_PER_SECTOR);
  const mbr = MbrCodec.encode({ bootCode, diskSignature: input.diskSignature, partitions: mbrPartitions }, ISOHYBRID_GEOMETRY);

  const systemArea = new Uint8Array(SYSTEM_AREA_SIZE);
  systemArea.set(mbr, 0);
  systemArea.set(primary, GPT_BLOCK_SIZE);
  systemArea.set(entryArray, 2 * GPT_BLOCK_SIZE);

  const tail = new Uint8Array(tailSectors * 2048);
  const tailBase = end * BLOCKS_PER_SECTOR;
  tail.set(entryArray, (backupEntriesLba - tailBase) * GPT_BLOCK_SIZE);
  tail.set(backup, (backupHeaderLba - tailBase) * GPT_BLOCK_SIZE);
  return { systemArea, tail, totalSectors, mbrPartitions, gptEntries };
}
