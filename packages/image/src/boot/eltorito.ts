/**
 * El Torito planning: turns boot image options into a boot catalog, a Boot Record Volume
 * Descriptor and patched boot images once the ISO planner has assigned their sectors.
 *
 * The first image is the initial/default entry (its platform is the validation entry's); the
 * others go into sections, one section per run of images of the same platform, as mkisofs
 * `-eltorito-alt-boot` and xorriso do.
 */
import { InvalidArgumentError } from "@discforge/errors";
import { BootCatalogCodec, MEDIA_TYPES, PLATFORM_IDS, type BootCatalog, type BootEntry, type Emulation } from "./boot-catalog.js";
import { patchBootInfoTable } from "./boot-info-table.js";
import { BootRecordVolumeDescriptorCodec, SECTOR_SIZE } from "./boot-record.js";
import { MbrCodec } from "./mbr.js";

export type BootPlatform = "bios" | "efi" | number;

/** Exact sizes of the emulated diskettes (El Torito 1.0 section 2.2, media types 1-3). */
export const FLOPPY_SIZES = { "floppy-1.2": 1_228_800, "floppy-1.44": 1_474_560, "floppy-2.88": 2_949_120 } as const;

/** Largest load size the 16-bit sector count holds; bigger images record this (as xorriso does). */
export const MAX_LOAD_SECTORS = 0xffff;

export interface BootImageOptions {
  /**
   * The image bytes. With `path` as well, the image also shows in the tree at that path;
   * without `image`, `path` names a file already in the tree (mkisofs -b).
   */
  readonly image?: Uint8Array;
  /** "bios" (platform 0, 80x86), "efi" (platform EFh) or a raw platform ID. Default "bios". */
  readonly platform?: BootPlatform;
  /** Default "none". EFI images must be "none". */
  readonly emulation?: Emulation;
  /** Real-mode load segment; 0 (default) means 07C0h. */
  readonly loadSegment?: number;
  /**
   * 512-byte sectors the firmware loads (no emulation). Default: the whole image, capped at
   * 65535. isolinux and GRUB's eltorito.img want 4. Emulated media always record 1.
   */
  readonly loadSectors?: number;
  /** Patch a boot info table at offset 8 (mkisofs -boot-info-table). */
  readonly bootInfoTable?: boolean;
  /** Default true. */
  readonly bootable?: boolean;
  /** ID string of the section this image opens (ignored for the default entry). */
  readonly sectionId?: string;
  readonly selectionCriteriaType?: number;
  readonly selectionCriteria?: Uint8Array;
  readonly atapiDriver?: boolean;
  readonly scsiDrivers?: boolean;
  /**
   * "iso" (default): an extent inside the ISO data. "appended": a partition after the ISO data
   * (hybrid images with the EFI system partition on USB; xorriso -append_partition with
   * -e --interval:appended_partition_N:all::).
   */
  readonly placement?: "iso" | "appended";
  /** Path of the image in the tree (e.g. "boot/bios.img"); the image is hidden when absent. */
  readonly path?: string;
  /** Hard-disk emulation of a tree file (no `image` bytes): the partition type to record. */
  readonly systemType?: number;
}

/** What planning needs of an image given by tree path only: its size. */
export interface BootImageSize {
  readonly size: number;
}

export interface ElToritoOptions {
  readonly images: readonly BootImageOptions[];
  /** Validation entry ID string (24 bytes at most). */
  readonly idString?: string;
  /** Path of the catalog in the tree (e.g. "boot.catalog"); hidden when absent (xorriso -hide). */
  readonly catalogPath?: string;
}

export interface PlannedBootImage {
  readonly index: number;
  readonly platformId: number;
  readonly emulation: Emulation;
  /** The bytes when given in the options; undefined for a tree file. */
  readonly bytes: Uint8Array | undefined;
  readonly size: number;
  /** 2048-byte sectors the image occupies (the last one zero-padded). */
  readonly sectors: number;
  readonly placement: "iso" | "appended";
  readonly path: string | undefined;
  readonly bootInfoTable: boolean;
}

/** Where the ISO planner put things, in 2048-byte sectors. */
export interface ElToritoAddresses {
  readonly pvdLba: number;
  readonly catalogLba: number;
  /** One per image, in option order. */
  readonly imageLbas: readonly number[];
}

export interface ElToritoOutput {
  readonly bootRecord: Uint8Array;
  readonly catalog: Uint8Array;
  readonly catalogModel: BootCatalog;
  /** Image bytes as they go on disc (boot info tables patched), not padded; undefined for tree files. */
  readonly images: readonly (Uint8Array | undefined)[];
}

export interface ElToritoPlan {
  readonly catalogSectors: number;
  readonly catalogPath: string | undefined;
  readonly images: readonly PlannedBootImage[];
  finish(addresses: ElToritoAddresses): ElToritoOutput;
}

function platformId(p: BootPlatform | undefined): number {
  if (p === undefined || p === "bios") return PLATFORM_IDS.x86;
  if (p === "efi") return PLATFORM_IDS.efi;
  if (!Number.isInteger(p) || p < 0 || p > 0xff) throw new InvalidArgumentError("platform", `${p} is not a platform ID byte`);
  return p;
}

/** System type of a hard-disk emulation image: the type of the one partition in its MBR. */
export function hardDiskSystemType(image: Uint8Array): number {
  let mbr;
  try {
    mbr = MbrCodec.decode(image);
  } catch (e) {
    throw new InvalidArgumentError("image", "a hard-disk emulation image must start with an MBR", { cause: e });
  }
  const used = mbr.partitions.filter((p) => p !== null);
  if (used.length !== 1) throw new InvalidArgumentError("image", `a hard-disk emulation image needs exactly one partition, found ${used.length}`);
  return used[0]!.type;
}

/**
 * Validates the options and sizes the catalog. `treeSizes[i]` gives the size of image i when it
 * is a tree file (no `image` bytes).
 */
export function planElTorito(options: ElToritoOptions, treeSizes: readonly (BootImageSize | undefined)[] = []): ElToritoPlan {
  if (options.images.length === 0) throw new InvalidArgumentError("images", "El Torito needs at least one boot image");
  const images: PlannedBootImage[] = [];
  const entries: ((lba: number) => BootEntry)[] = [];
  options.images.forEach((o, index) => {
    const where = `images[${index}]`;
    const bytes = o.image;
    const size = bytes?.length ?? treeSizes[index]?.size;
    if (size === undefined) throw new InvalidArgumentError(`${where}.image`, "give the image bytes or the path of a file in the tree");
    const pid = platformId(o.platform);
    const emulation = o.emulation ?? "none";
    if (MEDIA_TYPES[emulation] === undefined) throw new InvalidArgumentError(`${where}.emulation`, `unknown emulation "${String(emulation)}"`);
    if (size === 0) throw new InvalidArgumentError(`${where}.image`, "boot image is empty");
    if (pid === PLATFORM_IDS.efi && emulation !== "none") throw new InvalidArgumentError(`${where}.emulation`, "EFI boot images use no emulation");
    if (emulation in FLOPPY_SIZES && size !== FLOPPY_SIZES[emulation as keyof typeof FLOPPY_SIZES]) {
      throw new InvalidArgumentError(`${where}.image`, `${emulation} emulation needs exactly ${FLOPPY_SIZES[emulation as keyof typeof FLOPPY_SIZES]} bytes, image has ${size}`);
    }
    let systemType = 0;
    if (emulation === "hard-disk") {
      if (bytes !== undefined) systemType = hardDiskSystemType(bytes);
      else if (o.systemType !== undefined && Number.isInteger(o.systemType) && o.systemType >= 0 && o.systemType <= 0xff) systemType = o.systemType;
      else throw new InvalidArgumentError(`${where}.systemType`, "a hard-disk emulation image from the tree needs its partition type");
    } else if (o.systemType !== undefined) {
      throw new InvalidArgumentError(`${where}.systemType`, "only hard-disk emulation records a system type");
    }
    const bootInfoTable = o.bootInfoTable ?? false;
    if (bootInfoTable && emulation !== "none") throw new InvalidArgumentError(`${where}.bootInfoTable`, "a boot info table belongs in no-emulation images");
    if (bootInfoTable && size < 64) throw new InvalidArgumentError(`${where}.bootInfoTable`, "image is shorter than 64 bytes");
    const placement = o.placement ?? "iso";
    if (placement === "appended" && bootInfoTable) throw new InvalidArgumentError(`${where}.placement`, "an appended partition image cannot carry a boot info table");
    let sectorCount: number;
    if (emulation !== "none") {
      if (o.loadSectors !== undefined && o.loadSectors !== 1) throw new InvalidArgumentError(`${where}.loadSectors`, "emulated media record a load size of 1");
      sectorCount = 1;
    } else if (o.loadSectors !== undefined) {
      if (!Number.isInteger(o.loadSectors) || o.loadSectors < 1 || o.loadSectors > MAX_LOAD_SECTORS) {
        throw new InvalidArgumentError(`${where}.loadSectors`, `${o.loadSectors} is not 1-${MAX_LOAD_SECTORS}`);
      }
      sectorCount = o.loadSectors;
    } else {
      sectorCount = Math.min(Math.ceil(size / 512), MAX_LOAD_SECTORS);
    }
    const loadSegment = o.loadSegment ?? 0;
    if (!Number.isInteger(loadSegment) || loadSegment < 0 || loadSegment > 0xffff) throw new InvalidArgumentError(`${where}.loadSegment`, `${loadSegment} is not a segment`);
    images.push({
      index,
      platformId: pid,
      emulation,
      bytes,
      size,
      sectors: Math.ceil(size / SECTOR_SIZE),
      placement,
      path: o.path,
      bootInfoTable,
    });
    const section = index > 0;
    entries.push((loadRba) => ({
      bootable: o.bootable ?? true,
      emulation,
      loadSegment,
      systemType,
      sectorCount,
      loadRba,
      ...(section
        ? {
            atapiDriver: o.atapiDriver ?? false,
            scsiDrivers: o.scsiDrivers ?? false,
            selectionCriteriaType: o.selectionCriteriaType ?? 0,
            ...(o.selectionCriteria === undefined ? {} : { selectionCriteria: o.selectionCriteria }),
          }
        : {}),
    }));
    if (!section && (o.selectionCriteria !== undefined || o.atapiDriver !== undefined || o.scsiDrivers !== undefined)) {
      throw new InvalidArgumentError(`${where}`, "the default entry has no selection criteria or driver flags");
    }
  });

  const model = (lbas: readonly number[]): BootCatalog => {
    const sections: { platformId: number; idString: string; entries: BootEntry[] }[] = [];
    for (let i = 1; i < images.length; i++) {
      const last = sections[sections.length - 1];
      const entry = entries[i]!(lbas[i]!);
      const o = options.images[i]!;
      if (last !== undefined && last.platformId === images[i]!.platformId && o.sectionId === undefined) last.entries.push(entry);
      else sections.push({ platformId: images[i]!.platformId, idString: o.sectionId ?? "", entries: [entry] });
    }
    return { platformId: images[0]!.platformId, idString: options.idString ?? "", defaultEntry: entries[0]!(lbas[0]!), sections };
  };
  const catalogSectors = BootCatalogCodec.encode(model(images.map(() => 0))).length / SECTOR_SIZE;

  return {
    catalogSectors,
    catalogPath: options.catalogPath,
    images,
    finish(addresses) {
      if (addresses.imageLbas.length !== images.length) {
        throw new InvalidArgumentError("imageLbas", `${addresses.imageLbas.length} addresses for ${images.length} boot images`);
      }
      const catalogModel = model(addresses.imageLbas);
      const catalog = BootCatalogCodec.encode(catalogModel);
      const out = images.map((img, i) =>
        img.bytes !== undefined && img.bootInfoTable ? patchBootInfoTable(img.bytes, { pvdLba: addresses.pvdLba, bootFileLba: addresses.imageLbas[i]! }) : img.bytes,
      );
      return { bootRecord: BootRecordVolumeDescriptorCodec.encode({ bootCatalogLba: addresses.catalogLba }), catalog, catalogModel, images: out };
    },
  };
}
