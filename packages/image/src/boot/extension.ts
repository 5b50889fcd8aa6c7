/**
 * The boot side of an image as a planner extension: El Torito (boot record volume descriptor,
 * catalog, boot images with boot info tables) and, optionally, the hybrid MBR/GPT system area
 * with appended partitions and the backup GPT at the end.
 *
 *   const image = new FileSystemImage(...); image.addTree(...);
 *   const plan = planImage(image, { extensions: [bootExtension(image, { images: [...], hybrid: {} })] });
 *
 * `bootExtension` is called before planning: it adds visible boot images and the visible catalog
 * to the tree then, because the tree is fixed once planning starts.
 */
import { createHash, randomBytes } from "node:crypto";
import { InternalError, InvalidArgumentError } from "@discforge/errors";
import { BytesContent, type ContentSource } from "../content.js";
import type { ExtensionContext, ImageLayout, LayoutExtension, PlannedExtent } from "../layout/extension.js";
import type { FileNode, FileSystemImage } from "../tree.js";
import { PLATFORM_IDS } from "./boot-catalog.js";
import { patchBootInfoTable } from "./boot-info-table.js";
import { SECTOR_SIZE } from "./boot-record.js";
import { planElTorito, type BootImageSize, type ElToritoOptions, type PlannedBootImage } from "./eltorito.js";
import { GPT_PARTITION_TYPES, guidFromSeed } from "./guid.js";
import { backupGptSectors, layoutHybrid, type AppendedPartitionPlacement, type HybridStyle } from "./hybrid.js";
import { ISOHYBRID_CODE_SIZE, MBR_PARTITION_TYPES } from "./mbr.js";

export interface HybridOptions {
  /** "isohybrid" (default; xorriso -isohybrid-mbr T -isohybrid-gpt-basdat) or "protective" (0xEE MBR, valid GPT). */
  readonly style?: HybridStyle;
  /** MBR boot code template: bytes 0-431 are copied (e.g. syslinux isohdpfx.bin). */
  readonly mbrTemplate?: Uint8Array;
  /** Default: derived from the volume (reproducible images) or random. */
  readonly diskSignature?: number;
  readonly diskGuid?: string;
  /** "protective" style: mark the 0xEE entry active (xorriso --mbr-force-bootable). */
  readonly protectiveBootable?: boolean;
  /** GPT entry slots, default 128. */
  readonly gptEntryCount?: number;
  /**
   * Pad so appended partitions start on a 1 MiB cylinder boundary (64 heads x 32 sectors), or,
   * without appended partitions, so the image ends on one: every MBR entry then has real CHS
   * values, as in xorriso's default isohybrid images. Default false.
   */
  readonly cylinderAlign?: boolean;
}

const CYLINDER_SECTORS = 512;

/** A zero extent that grows to reach the next cylinder boundary (plus `after` sectors). */
function alignmentPadding(ctx: ExtensionContext, name: string, after: number): void {
  ctx.addExtent({
    name,
    placement: "afterFiles",
    size: 0,
    resize: (lba) => ((CYLINDER_SECTORS - ((lba + after) % CYLINDER_SECTORS)) % CYLINDER_SECTORS) * SECTOR_SIZE,
    write: () => new Uint8Array(0),
  });
}

export interface BootOptions extends ElToritoOptions {
  /** Adds an MBR and a GPT so the image also boots from a USB disk. */
  readonly hybrid?: HybridOptions;
}

/** Wraps a content source so its first bytes get a boot info table once LBAs are known. */
function withBootInfoTable(original: ContentSource, pvdLba: number, bootFileLba: number): ContentSource {
  return {
    size: original.size,
    description: original.description,
    async open(ctx) {
      const reader = await original.open(ctx);
      const bytes = new Uint8Array(original.size);
      try {
        let at = 0;
        while (at < bytes.length) {
          const n = await reader.read(bytes, at, bytes.length - at);
          if (n === 0) break;
          at += n;
        }
        if (at !== bytes.length) throw new InternalError(`${original.description}: delivered ${at} of ${bytes.length} bytes`);
      } finally {
        await reader.close();
      }
      return new BytesContent(patchBootInfoTable(bytes, { pvdLba, bootFileLba })).open();
    },
  };
}

function fileAt(image: FileSystemImage, path: string, what: string): FileNode {
  const node = image.get(path);
  if (node?.kind !== "file") throw new InvalidArgumentError(what, `"${path}" is not a file in the image tree`);
  return node;
}

/** Builds the extension; adds visible boot images and the catalog file to `image` now. */
export function bootExtension(image: FileSystemImage, options: BootOptions): LayoutExtension {
  // Validate everything before touching the tree, so a rejected call leaves it as it was.
  const existing = options.images.map((o, i) => {
    if (o.path === undefined) return undefined;
    if ((o.placement ?? "iso") === "appended") throw new InvalidArgumentError(`images[${i}].path`, "an appended partition is not a file in the tree");
    return o.image === undefined ? fileAt(image, o.path, `images[${i}].path`) : undefined;
  });
  const treeSizes: (BootImageSize | undefined)[] = existing.map((node) => (node === undefined ? undefined : { size: node.data.source.size }));
  const plan = planElTorito(options, treeSizes);
  const hybrid = options.hybrid;
  const style = hybrid?.style ?? "isohybrid";
  const appended = plan.images.filter((img) => img.placement === "appended");
  // isohybrid style: an EFI image inside the ISO data also gets a partition entry, so UEFI finds it on a USB disk.
  const embedded = hybrid !== undefined && style === "isohybrid" ? plan.images.filter((img) => img.placement === "iso" && img.platformId === PLATFORM_IDS.efi) : [];
  if (hybrid !== undefined && style === "protective" && plan.images.some((img) => img.placement === "iso" && img.platformId === PLATFORM_IDS.efi)) {
    throw new InvalidArgumentError("images", 'the protective hybrid style finds the EFI system partition only when it is appended (placement: "appended")');
  }
  if (hybrid !== undefined && style !== "isohybrid" && style !== "protective") throw new InvalidArgumentError("hybrid.style", `"${String(style)}" is neither isohybrid nor protective`);
  if (hybrid?.mbrTemplate !== undefined && hybrid.mbrTemplate.length < ISOHYBRID_CODE_SIZE) {
    throw new InvalidArgumentError("hybrid.mbrTemplate", `${hybrid.mbrTemplate.length} bytes; an isohybrid MBR template has at least ${ISOHYBRID_CODE_SIZE}`);
  }
  if (hybrid !== undefined && appended.length + embedded.length > 3) throw new InvalidArgumentError("images", "at most 3 partitions fit the MBR next to the ISO partition");

  const treeFiles: (FileNode | undefined)[] = options.images.map((o, i) => existing[i] ?? (o.path !== undefined && o.image !== undefined ? image.addFile(o.path, o.image) : undefined));
  const catalogFile =
    options.catalogPath === undefined ? undefined : image.addFile(options.catalogPath, new Uint8Array(plan.catalogSectors * SECTOR_SIZE));
  return {
    name: "El Torito boot",
    plan(ctx: ExtensionContext) {
      if (ctx.image !== image) throw new InvalidArgumentError("bootExtension", "was built for another image");
      let catalogExtent: PlannedExtent | undefined;
      const imageExtents: (PlannedExtent | undefined)[] = [];
      let finished: ReturnType<typeof plan.finish> | undefined;
      const imageLba = (layout: ImageLayout, i: number): number => {
        const file = treeFiles[i];
        if (file !== undefined) {
          const extent = layout.extentOf(file);
          if (extent === undefined) throw new InternalError(`boot image ${i} has no planned extent`);
          return extent.lba;
        }
        return imageExtents[i]!.lba;
      };
      const catalogLba = (layout: ImageLayout): number => {
        if (catalogFile !== undefined) {
          const extent = layout.extentOf(catalogFile);
          if (extent === undefined) throw new InternalError("the boot catalog has no planned extent");
          return extent.lba;
        }
        return catalogExtent!.lba;
      };
      const finish = (layout: ImageLayout): ReturnType<typeof plan.finish> => {
        finished ??= plan.finish({
          pvdLba: layout.primaryDescriptorLba,
          catalogLba: catalogLba(layout),
          imageLbas: plan.images.map((_, i) => imageLba(layout, i)),
        });
        return finished;
      };

      ctx.addVolumeDescriptor("El Torito boot record", (layout) => finish(layout).bootRecord);
      if (hybrid?.cylinderAlign === true && appended.length > 0) alignmentPadding(ctx, "cylinder alignment before appended partitions", 0);
      if (catalogFile === undefined) {
        catalogExtent = ctx.addExtent({ name: "El Torito boot catalog", placement: "afterDescriptors", size: plan.catalogSectors * SECTOR_SIZE, write: (layout) => finish(layout).catalog });
      } else {
        ctx.transformContent(catalogFile, (_original, layout) => new BytesContent(finish(layout).catalog, options.catalogPath));
      }
      for (const img of plan.images) {
        const file = treeFiles[img.index];
        if (file !== undefined) {
          ctx.placeFirst(file);
          if (img.bootInfoTable) ctx.transformContent(file, (original, layout, extent) => withBootInfoTable(original, layout.primaryDescriptorLba, extent.lba));
          imageExtents.push(undefined);
          continue;
        }
        imageExtents.push(
          ctx.addExtent({
            name: `El Torito boot image ${img.index}`,
            placement: img.placement === "appended" ? "afterFiles" : "beforeFiles",
            size: img.size,
            write: (layout) => finish(layout).images[img.index]!,
          }),
        );
      }
      if (hybrid === undefined) return;

      const entryCount = hybrid.gptEntryCount ?? 128;
      if (hybrid.cylinderAlign === true && appended.length === 0) alignmentPadding(ctx, "cylinder alignment before the backup GPT", backupGptSectors(entryCount));
      const tailExtent = ctx.addExtent({
        name: "backup GPT",
        placement: "afterFiles",
        size: backupGptSectors(entryCount) * SECTOR_SIZE,
        write: (layout) => hybridLayout(layout).tail,
      });
      const ids = identities(image, hybrid, 1 + embedded.length + appended.length);
      let cached: ReturnType<typeof layoutHybrid> | undefined;
      const hybridLayout = (layout: ImageLayout): ReturnType<typeof layoutHybrid> => {
        if (cached !== undefined) return cached;
        if (layout.startLba !== 0) throw new InvalidArgumentError("hybrid", "a hybrid image must start at LBA 0 (not a multisession continuation)");
        if (tailExtent.lba + tailExtent.sectors !== layout.startLba + layout.sectorCount) {
          throw new InternalError(`backup GPT at ${tailExtent.lba}+${tailExtent.sectors} is not at the end of the ${layout.sectorCount}-sector image`);
        }
        const placement = (img: PlannedBootImage): AppendedPartitionPlacement => {
          const efi = img.platformId === PLATFORM_IDS.efi;
          return {
            startSector: imageLba(layout, img.index),
            sectors: img.sectors,
            mbrType: efi ? MBR_PARTITION_TYPES.efiSystem : MBR_PARTITION_TYPES.fat16,
            gptType: efi ? GPT_PARTITION_TYPES.efiSystem : GPT_PARTITION_TYPES.basicData,
            ...(efi ? { name: "EFI system partition" } : {}),
          };
        };
        const placements = appended.map(placement);
        const bios = plan.images.find((img) => img.platformId === PLATFORM_IDS.x86 && img.placement === "iso");
        cached = layoutHybrid({
          style,
          isoSectors: placements[0]?.startSector ?? tailExtent.lba,
          appended: placements,
          embedded: embedded.map(placement),
          ...(bios === undefined ? {} : { biosBootImageSector: imageLba(layout, bios.index) }),
          ...(hybrid.mbrTemplate === undefined ? {} : { mbrTemplate: hybrid.mbrTemplate }),
          diskSignature: ids.diskSignature,
          diskGuid: ids.diskGuid,
          partitionGuids: ids.partitionGuids,
          ...(hybrid.protectiveBootable === undefined ? {} : { protectiveBootable: hybrid.protectiveBootable }),
          gptEntryCount: entryCount,
        });
        if (cached.totalSectors !== layout.sectorCount) throw new InternalError(`hybrid layout ends at ${cached.totalSectors}, the image at ${layout.sectorCount}`);
        return cached;
      };
      ctx.setSystemArea((layout) => hybridLayout(layout).systemArea);
    },
  };
}

/** Disk signature and GUIDs: given, derived from the volume when reproducible, else random. */
function identities(image: FileSystemImage, hybrid: HybridOptions, partitions: number): { diskSignature: number; diskGuid: string; partitionGuids: string[] } {
  const seed = (label: string): Uint8Array => {
    if (!image.reproducible) return randomBytes(16);
    const h = createHash("sha256");
    h.update(`discforge hybrid ${label} ${image.volume.volumeId} ${image.volume.created?.toISOString() ?? ""}`);
    return h.digest();
  };
  const sig = seed("disk signature");
  return {
    diskSignature: hybrid.diskSignature ?? (sig[0]! | (sig[1]! << 8) | (sig[2]! << 16) | (sig[3]! << 24)) >>> 0,
    diskGuid: hybrid.diskGuid ?? guidFromSeed(seed("disk guid")),
    partitionGuids: Array.from({ length: partitions }, (_, i) => guidFromSeed(seed(`partition ${i}`))),
  };
}
