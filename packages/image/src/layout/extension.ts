/**
 * Hooks through which other parts of the image (El Torito boot records and catalogs, an MBR/GPT
 * system area, appended partitions, a second file system such as UDF) join the plan.
 *
 * An extension is called once while the image is planned, after the directory trees and their
 * names are fixed and before any LBA is assigned. Through the context it reserves volume
 * descriptors, extents and the system area; every reservation has a size now and gets its LBA
 * when planning ends. At write time, each reservation's `write` is called with the final
 * `ImageLayout`, so it can refer to any LBA (its own, the boot image's, the PVD's, the total).
 */
import type { ContentSource } from "../content.js";
import type { FileNode, FileSystemImage } from "../tree.js";

/** Where a reserved extent goes in the LBA order of the image. */
export const EXTENT_PLACEMENT = {
  /** Right after the volume descriptor set terminator (e.g. the El Torito boot catalog). */
  afterDescriptors: "afterDescriptors",
  /** After the directories and continuation areas, before the first file data. */
  beforeFiles: "beforeFiles",
  /** After all file data (e.g. an appended EFI system partition, a backup GPT, padding). */
  afterFiles: "afterFiles",
} as const;
export type ExtentPlacement = (typeof EXTENT_PLACEMENT)[keyof typeof EXTENT_PLACEMENT];

/** A reserved range of sectors; `lba` is valid once planning has finished. */
export interface PlannedExtent {
  readonly name: string;
  readonly sectors: number;
  /** Absolute LBA (including the multisession start), assigned by the planner. */
  readonly lba: number;
}

/** The location of a file's data as planned (one section per multi-extent part). */
export interface FileExtent {
  readonly lba: number;
  readonly size: number;
  readonly sections: readonly { readonly lba: number; readonly length: number }[];
}

/** The final layout, given to every writer callback. All LBAs are absolute. */
export interface ImageLayout {
  /** First LBA of this session (0 unless building a multisession image). */
  readonly startLba: number;
  /** Sectors this session writes (what the stream produces). */
  readonly sectorCount: number;
  /** startLba + sectorCount: the volume space size recorded in the descriptors. */
  readonly volumeSpaceSize: number;
  readonly primaryDescriptorLba: number;
  /** Where a file's data lies; undefined for a node that is not a planned file. */
  extentOf(file: FileNode): FileExtent | undefined;
}

export interface ExtentSpec {
  readonly name: string;
  readonly placement: ExtentPlacement;
  /** Size in bytes; the extent occupies ceil(size / 2048) sectors. */
  readonly size: number;
  /**
   * Final size in bytes once the extent's LBA is known (replaces `size`), for an extent that must
   * end at a fixed address, e.g. UDF's anchor at sector 256 of the session.
   */
  readonly resize?: (lba: number, startLba: number) => number;
  /**
   * The bytes of the extent (at most `size`; the rest of the last sector is zero), or a content
   * source streamed like file data (for large appended images).
   */
  readonly write: ((layout: ImageLayout) => Uint8Array) | ContentSource;
}

export interface ExtensionContext {
  readonly image: FileSystemImage;
  /**
   * Reserves one volume descriptor sector after the primary one. Descriptors come in the order
   * reserved, before Joliet's and the terminator: the first lands at LBA 17 (El Torito's boot
   * record volume descriptor must be there).
   */
  addVolumeDescriptor(name: string, write: (layout: ImageLayout) => Uint8Array): PlannedExtent;
  /** Reserves an extent at the given placement. */
  addExtent(spec: ExtentSpec): PlannedExtent;
  /** Supplies sectors 0-15 (32768 bytes) at write time, e.g. an MBR and a primary GPT. */
  setSystemArea(write: (layout: ImageLayout) => Uint8Array): void;
  /**
   * Replaces a file's content at write time, keeping its planned size (e.g. a boot image whose
   * boot info table is patched with final LBAs). The wrapper must yield exactly `original.size` bytes.
   */
  transformContent(file: FileNode, wrap: (original: ContentSource, layout: ImageLayout, extent: FileExtent) => ContentSource): void;
  /** Asks for file data to be placed first, in the order requested (e.g. boot images). */
  placeFirst(file: FileNode): void;
}

export interface LayoutExtension {
  readonly name: string;
  plan(ctx: ExtensionContext): void;
}
