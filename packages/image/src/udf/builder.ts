/**
 * The UDF side of an image as a planner extension (OSTA UDF 2.60 2 and 3; ECMA-167 parts 2-4),
 * bridged with ISO 9660 / Joliet / Rock Ridge: the UDF tree is built from the same FileSystemImage
 * and its file entries point at the very extents the ISO planner gave the file data, so the data
 * is recorded once.
 *
 * Layout (LBAs relative to the session start):
 *   after the ISO descriptor set terminator: BEA01, NSR02/NSR03, TEA01; the main and reserve
 *   volume descriptor sequences (16 sectors each); the integrity sequence; padding; the anchor at
 *   256. The partition starts at 257 and covers the ISO path tables and directories, the UDF
 *   metadata (file set descriptor, file entries, directories - inside the Metadata File and its
 *   mirror for 2.50 and 2.60) and all file data, and ends before the closing anchor, which is the
 *   last sector of the UDF area (the last sector of the image unless boot partitions follow).
 */
import { InternalError, InvalidArgumentError } from "@discforge/errors";
import { RecordedContent, type ContentReader, type ContentSource } from "../content.js";
import type { ExtensionContext, ImageLayout, LayoutExtension, PlannedExtent } from "../layout/extension.js";
import type { DirectoryNode, FileData, FileSystemImage, NodeMetadata, TreeNode } from "../tree.js";
import { AnchorCodec } from "./anchor.js";
import { EXTENT_TYPES, LongAdCodec, ShortAdCodec, splitExtents, uniqueIdImplementationUse, type LongAd } from "./allocation-descriptors.js";
import { ALLOCATION_EXTENT_HEADER, AllocationExtentDescriptorCodec } from "./allocation-extent-descriptor.js";
import { FileEntryCodec, FILE_ENTRY_HEADER, EXTENDED_FILE_ENTRY_HEADER, permissionsFromMode, type FileEntry } from "./file-entry.js";
import { FileIdentifierDescriptorCodec, FILE_CHARACTERISTICS, fidSize } from "./file-identifier-descriptor.js";
import { FileSetDescriptorCodec } from "./file-set-descriptor.js";
import { AD_TYPES, FILE_TYPES, ICB_FLAGS, type IcbTag } from "./icb-tag.js";
import { ImplementationUseVolumeDescriptorCodec } from "./implementation-use-volume-descriptor.js";
import { LogicalVolumeDescriptorCodec } from "./logical-volume-descriptor.js";
import { INTEGRITY_TYPES, LogicalVolumeIntegrityDescriptorCodec } from "./logical-volume-integrity-descriptor.js";
import { mapUdfNames, type UdfNamePolicy } from "./names.js";
import { ACCESS_TYPES, PartitionDescriptorCodec } from "./partition-descriptor.js";
import { metadataMap, NO_BITMAP_FILE, type PartitionMap } from "./partition-map.js";
import { encodeSymlinkTarget } from "./path-component.js";
import { encodeDeviceAttributes } from "./extended-attributes.js";
import { PrimaryVolumeDescriptorCodec } from "./primary-volume-descriptor.js";
import { domainSuffix, implementationSuffix, udfSuffix, UDF_IDENTIFIERS, type EntityId } from "./regid.js";
import { defaultUdfRevision, nsrFor, revisionNumber, type UdfMedia, type UdfRevision } from "./revision.js";
import { TerminatingDescriptorCodec } from "./terminating-descriptor.js";
import { UnallocatedSpaceDescriptorCodec } from "./unallocated-space-descriptor.js";
import { encodeVolumeRecognitionSequence } from "./volume-recognition.js";
import { crc16Ccitt, encodeUtf8 } from "@discforge/bytes";

const BLOCK = 2048;
/** Sectors of each volume descriptor sequence (OSTA UDF 2.60 2.2.3: at least 16). */
const VDS_SECTORS = 16;
const ANCHOR_LBA = 256;
/** Metadata File allocation unit in blocks (OSTA UDF 2.60 2.2.10). */
const METADATA_ALLOCATION_UNIT = 32;
/** UDF 2.60 3.2.1.1: unique IDs 1-15 are reserved; the root has 0. */
const FIRST_UNIQUE_ID = 16;

export interface UdfOptions {
  /** UDF revision; default `defaultUdfRevision(media)`. */
  readonly revision?: UdfRevision;
  /** The medium the image is for, which picks the default revision. Default "dvd". */
  readonly media?: UdfMedia;
  /** Metadata partition (file entries and directories in the Metadata File and its mirror). Default: revision 2.50 or later. Needs 2.50+. */
  readonly metadataPartition?: boolean;
  /** Extended File Entries instead of File Entries. Default: revision 2.50 or later. Needs 2.00+. */
  readonly extendedFileEntries?: boolean;
  /** Names over 255 bytes of CS0: "shorten" (default, deterministic) or "error". */
  readonly names?: UdfNamePolicy;
  /** Time zone of recorded timestamps in minutes east of UTC. Default 0. */
  readonly timeZoneMinutes?: number;
}

export interface ResolvedUdfOptions {
  readonly revision: UdfRevision;
  readonly metadataPartition: boolean;
  readonly extendedFileEntries: boolean;
  readonly names: UdfNamePolicy;
  readonly timeZoneMinutes: number;
}

export function resolveUdfOptions(o: UdfOptions = {}): ResolvedUdfOptions {
  const revision = o.revision ?? defaultUdfRevision(o.media ?? "dvd");
  const rev = revisionNumber(revision);
  if (rev === undefined) throw new InvalidArgumentError("UDF revision", String(revision));
  const metadataPartition = o.metadataPartition ?? rev >= 0x0250;
  if (metadataPartition && rev < 0x0250) throw new InvalidArgumentError("metadataPartition", `needs UDF 2.50 or later, not ${revision}`);
  const extendedFileEntries = o.extendedFileEntries ?? rev >= 0x0250;
  if (extendedFileEntries && rev < 0x0200) throw new InvalidArgumentError("extendedFileEntries", `needs UDF 2.00 or later, not ${revision}`);
  return { revision, metadataPartition, extendedFileEntries, names: o.names ?? "shorten", timeZoneMinutes: o.timeZoneMinutes ?? 0 };
}

/** One ICB (file entry) of the UDF tree: shared by all names of a hard-linked file. */
export interface UdfIcbPlan {
  readonly node: TreeNode;
  readonly path: string;
  /** Block of the file entry within the metadata area (0 = file set descriptor). */
  block: number;
  readonly uniqueId: number;
  links: number;
  /** Directories: their FIDs; the FID stream follows the entry. */
  readonly children: { identifier: Uint8Array; icb: UdfIcbPlan; hidden: boolean }[];
  parent: UdfIcbPlan | undefined;
  dirSize: number;
  dirBlocks: number;
  /** Allocation Extent Descriptor blocks after the entry (files with more extents than an entry holds). */
  aedBlocks: number;
  /** Files: the content. */
  readonly data: FileData | undefined;
}

export interface UdfPlan {
  readonly options: ResolvedUdfOptions;
  readonly icbs: readonly UdfIcbPlan[];
  readonly root: UdfIcbPlan;
  /** Blocks of the metadata area (FSD, terminator, entries, directories). */
  readonly metadataBlocks: number;
  readonly files: number;
  readonly directories: number;
  readonly nextUniqueId: number;
}

/** AED blocks needed for `n` descriptors when an entry holds `inEntry` and an AED `inAed` (one of each kept for the chain). */
export function aedBlocksFor(n: number, inEntry: number, inAed: number): number {
  if (n <= inEntry) return 0;
  let left = n - (inEntry - 1);
  let blocks = 1;
  while (left > inAed) {
    left -= inAed - 1;
    blocks++;
  }
  return blocks;
}

/** Allocation descriptors one file entry holds (short_ad 8 bytes, long_ad 16) after its fixed part. */
const entryAdCapacity = (isLong: boolean, extended: boolean): number => Math.floor((BLOCK - (extended ? EXTENDED_FILE_ENTRY_HEADER : FILE_ENTRY_HEADER)) / (isLong ? 16 : 8));

/** Builds the UDF tree (blocks within the metadata area) from the image tree. */
export function planUdfTree(image: FileSystemImage, options: ResolvedUdfOptions): UdfPlan {
  const icbs: UdfIcbPlan[] = [];
  const byData = new Map<FileData, UdfIcbPlan>();
  let uniqueId = FIRST_UNIQUE_ID;
  let files = 0;
  let directories = 0;
  const make = (node: TreeNode, path: string, parent: UdfIcbPlan | undefined): UdfIcbPlan => {
    const p: UdfIcbPlan = { node, path, block: 0, uniqueId: parent === undefined ? 0 : uniqueId++, links: 1, children: [], parent, dirSize: 0, dirBlocks: 0, aedBlocks: 0, data: node.kind === "file" ? node.data : undefined };
    icbs.push(p);
    return p;
  };
  const maxAds = entryAdCapacity(options.metadataPartition, options.extendedFileEntries);
  const maxAedAds = Math.floor((BLOCK - ALLOCATION_EXTENT_HEADER) / (options.metadataPartition ? 16 : 8));
  const visit = (dir: DirectoryNode, plan: UdfIcbPlan, path: string): void => {
    directories++;
    const names = [...dir.children.keys()].sort();
    const ids = mapUdfNames(names, path, options.names);
    let size = fidSize(0);
    names.forEach((name, i) => {
      const child = dir.children.get(name)!;
      const childPath = `${path}/${name}`;
      let icb: UdfIcbPlan;
      if (child.kind === "file") {
        files++;
        const shared = byData.get(child.data);
        if (shared) {
          shared.links++;
          icb = shared;
        } else {
          const size = child.data.source.size;
          const ads = child.data.source instanceof RecordedContent ? child.data.source.extents.reduce((n, e) => n + splitExtents(e.length, 0).length, 0) : splitExtents(size, 0).length;
          icb = make(child, childPath, plan);
          icb.aedBlocks = aedBlocksFor(ads, maxAds, maxAedAds);
          byData.set(child.data, icb);
        }
      } else {
        if (child.kind !== "directory") files++;
        icb = make(child, childPath, plan);
        if (child.kind === "symlink" && encodeSymlinkTarget(child.target).length > BLOCK - EXTENDED_FILE_ENTRY_HEADER) {
          throw new InvalidArgumentError("symlink target", `${childPath}: the target is too long for a UDF symbolic link entry`);
        }
      }
      plan.children.push({ identifier: ids[i]!, icb, hidden: child.meta.hidden });
      size += fidSize(ids[i]!.length);
    });
    plan.dirSize = size;
    plan.dirBlocks = Math.ceil(size / BLOCK);
    for (const c of plan.children) if (c.icb.node.kind === "directory" && c.icb.parent === plan) visit(c.icb.node, c.icb, c.icb.path);
    // Link count: the parent's FID plus each subdirectory's parent FID (ECMA-167 4/14.9.6).
    plan.links = 1 + plan.children.filter((c) => c.icb.node.kind === "directory").length;
  };
  const root = make(image.root, "", undefined);
  visit(image.root, root, "");
  // Block order: FSD (0), terminator (1), then each entry followed by its directory data.
  let block = 2;
  for (const p of icbs) {
    p.block = block;
    block += 1 + p.aedBlocks + p.dirBlocks;
  }
  return { options, icbs, root, metadataBlocks: block, files, directories, nextUniqueId: uniqueId };
}

interface WriteContext {
  readonly layout: ImageLayout;
  /** Absolute LBA of the partition start. */
  readonly partitionStart: number;
  readonly partitionLength: number;
  /** Absolute LBA of metadata-area block 0. */
  readonly metadataLba: number;
  /** Partition reference number of the metadata area (1 with a metadata partition). */
  readonly metaRef: number;
  /** Metadata area block -> partition-relative block number within partition `metaRef`. */
  readonly metaBlock: (b: number) => number;
  readonly extents: Map<FileData, readonly { lba: number; length: number }[]>;
}

function implementationId(): EntityId {
  return IMPLEMENTATION_ID;
}
const IMPLEMENTATION_ID: EntityId = { flags: 0, identifier: "*discforge", suffix: implementationSuffix() };
/** Blocks of metadata produced at a time while streaming. */
const CHUNK_BLOCKS = 256;

/** Content produced block by block from a generator (for the metadata area). */
function generatedContent(size: number, description: string, blocks: () => Generator<Uint8Array>): ContentSource {
  return {
    size,
    description,
    open(): ContentReader {
      const it = blocks();
      let pending: Uint8Array = new Uint8Array(0);
      let produced = 0;
      return {
        read(target, offset, length) {
          while (pending.length === 0) {
            const r = it.next();
            if (r.done) return 0;
            pending = r.value;
          }
          const n = Math.min(length, pending.length, size - produced);
          target.set(pending.subarray(0, n), offset);
          pending = pending.subarray(n);
          produced += n;
          return n;
        },
        close() {},
      };
    },
  };
}

function typeOf(node: TreeNode): number {
  switch (node.kind) {
    case "directory":
      return FILE_TYPES.directory;
    case "file":
      return FILE_TYPES.file;
    case "symlink":
      return FILE_TYPES.symlink;
    default:
      return node.type === "char" ? FILE_TYPES.charDevice : node.type === "block" ? FILE_TYPES.blockDevice : node.type === "fifo" ? FILE_TYPES.fifo : FILE_TYPES.socket;
  }
}

function icbTag(fileType: number, adType: number, meta: NodeMetadata | undefined): IcbTag {
  let flags = adType;
  if (meta) {
    if (meta.mode & 0o4000) flags |= ICB_FLAGS.setuid;
    if (meta.mode & 0o2000) flags |= ICB_FLAGS.setgid;
    if (meta.mode & 0o1000) flags |= ICB_FLAGS.sticky;
  }
  return { priorRecordedNumberOfDirectEntries: 0, strategyType: 4, maximumNumberOfEntries: 1, fileType, parentIcbLocation: { logicalBlockNumber: 0, partitionReferenceNumber: 0 }, flags };
}

/** The planner extension that records the UDF file system alongside ISO 9660. */
export function udfExtension(image: FileSystemImage, options: UdfOptions = {}): LayoutExtension {
  const o = resolveUdfOptions(options);
  const rev = revisionNumber(o.revision);
  const { nsr, descriptorVersion } = nsrFor(o.revision);
  const version = descriptorVersion;
  const tree = planUdfTree(image, o);
  const metaBlocks = o.metadataPartition ? Math.ceil(tree.metadataBlocks / METADATA_ALLOCATION_UNIT) * METADATA_ALLOCATION_UNIT : tree.metadataBlocks;
  let head: PlannedExtent | undefined;
  let meta: PlannedExtent | undefined;
  let tail: PlannedExtent | undefined;
  let ctxCache: WriteContext | undefined;
  let writeLayout: ImageLayout | undefined;
  const volumeDate = image.volume.created ?? image.root.meta.mtime;

  const context = (layout: ImageLayout): WriteContext => {
    if (ctxCache && ctxCache.layout === layout) return ctxCache;
    if (!head || !meta || !tail) throw new InternalError("UDF extents were not planned");
    const extents = new Map<FileData, readonly { lba: number; length: number }[]>();
    const internals = (layout as unknown as { internals?: { files?: readonly { data: FileData; lba: number; size: number }[] } }).internals;
    for (const d of internals?.files ?? []) extents.set(d.data, [{ lba: d.lba, length: d.size }]);
    // The partition opens with the metadata area (the file set descriptor at block 0, where
    // readers such as pycdlib look first), unless recorded data of an earlier session lies lower.
    let lowest = meta.lba;
    for (const p of tree.icbs) {
      if (p.data?.source instanceof RecordedContent) {
        const e = p.data.source.extents.filter((x) => x.length > 0);
        extents.set(p.data, e);
        for (const x of e) lowest = Math.min(lowest, x.lba);
      } else if (p.data && p.data.source.size > 0 && !extents.has(p.data) && p.node.kind === "file") {
        const e = layout.extentOf(p.node);
        if (!e) throw new InternalError(`${p.path}: no planned extent`);
        extents.set(p.data, [{ lba: e.lba, length: e.size }]);
      }
    }
    const partitionStart = lowest;
    const metadataLba = o.metadataPartition ? meta.lba + 2 : meta.lba;
    const metaRef = o.metadataPartition ? 1 : 0;
    const base = metadataLba - partitionStart;
    ctxCache = { layout, partitionStart, partitionLength: tail.lba - partitionStart, metadataLba, metaRef, metaBlock: o.metadataPartition ? (b) => b : (b) => base + b, extents };
    return ctxCache;
  };

  const entityUdf = (identifier: string): EntityId => ({ flags: 0, identifier, suffix: udfSuffix(rev) });
  const domain: EntityId = { flags: 0, identifier: UDF_IDENTIFIERS.domain, suffix: domainSuffix(rev) };

  /** Encodes the entry of `p` into `out` at `off` (one zeroed block). */
  const fileEntry = (c: WriteContext, p: UdfIcbPlan, out: Uint8Array, off: number): void => {
    const node = p.node;
    const m = node.meta;
    let ads: Uint8Array;
    let adType: number = AD_TYPES.short;
    let informationLength = 0;
    let blocks = 0;
    if (node.kind === "directory") {
      informationLength = p.dirSize;
      blocks = p.dirBlocks;
      ads = new Uint8Array(8);
      ShortAdCodec.encodeInto({ type: 0, length: p.dirSize, position: c.metaBlock(p.block + 1) }, ads, 0);
    } else if (node.kind === "symlink") {
      ads = encodeSymlinkTarget(node.target);
      adType = AD_TYPES.embedded;
      informationLength = ads.length;
    } else if (node.kind === "file") {
      informationLength = node.data.source.size;
      const pieces: { length: number; block: number }[] = [];
      for (const e of c.extents.get(node.data) ?? []) pieces.push(...splitExtents(e.length, e.lba - c.partitionStart));
      for (const x of pieces) if (x.block < 0) throw new InternalError(`${p.path}: data at LBA before the UDF partition`);
      blocks = pieces.reduce((n, x) => n + Math.ceil(x.length / BLOCK), 0);
      const long = o.metadataPartition;
      adType = long ? AD_TYPES.long : AD_TYPES.short;
      const size = long ? 16 : 8;
      const encodeAds = (list: { type: number; length: number; block: number; ref: number }[]): Uint8Array => {
        const b = new Uint8Array(size * list.length);
        list.forEach((x, i) => {
          if (long) LongAdCodec.encodeInto({ type: x.type as 0, length: x.length, location: { logicalBlockNumber: x.block, partitionReferenceNumber: x.ref } }, b, size * i);
          else ShortAdCodec.encodeInto({ type: x.type as 0, length: x.length, position: x.block }, b, size * i);
        });
        return b;
      };
      const data = pieces.map((x) => ({ type: EXTENT_TYPES.recorded as number, length: x.length, block: x.block, ref: 0 }));
      if (p.aedBlocks === 0) ads = encodeAds(data);
      else {
        // The entry and each AED but the last end with a pointer to the next AED (ECMA-167 4/12.1, type 3).
        const inEntry = entryAdCapacity(long, o.extendedFileEntries) - 1;
        const inAed = Math.floor((BLOCK - ALLOCATION_EXTENT_HEADER) / size);
        const next = (k: number): { type: number; length: number; block: number; ref: number } => ({ type: EXTENT_TYPES.nextExtent, length: BLOCK, block: c.metaBlock(p.block + 1 + k), ref: c.metaRef });
        ads = encodeAds([...data.slice(0, inEntry), next(0)]);
        let at = inEntry;
        for (let k = 0; k < p.aedBlocks; k++) {
          const last = k === p.aedBlocks - 1;
          const take = last ? data.length - at : inAed - 1;
          const list = data.slice(at, at + take);
          at += take;
          const aed = AllocationExtentDescriptorCodec.encode(0, encodeAds(last ? list : [...list, next(k + 1)]), { descriptorVersion: version, tagLocation: c.metaBlock(p.block + 1 + k) }, rev >= 0x0201);
          out.set(aed, off + (1 + k) * BLOCK);
        }
        if (at !== data.length) throw new InternalError(`${p.path}: ${data.length} extents, ${at} recorded in allocation extents`);
      }
    } else {
      ads = new Uint8Array(0);
    }
    const ea = node.kind === "device" && (node.type === "char" || node.type === "block") ? encodeDeviceAttributes(node.major, node.minor, { descriptorVersion: version, tagLocation: c.metaBlock(p.block) }) : new Uint8Array(0);
    const fe: FileEntry = {
      extended: o.extendedFileEntries,
      icbTag: icbTag(typeOf(node), adType, m),
      uid: m.uid,
      gid: m.gid,
      permissions: permissionsFromMode(m.mode),
      fileLinkCount: p.links,
      informationLength,
      logicalBlocksRecorded: blocks,
      accessTime: m.atime,
      modificationTime: m.mtime,
      creationTime: m.mtime,
      attributeTime: m.ctime,
      implementationIdentifier: IMPLEMENTATION_ID,
      uniqueId: p.uniqueId,
      extendedAttributes: ea,
      allocationDescriptors: ads,
      timeZoneMinutes: o.timeZoneMinutes,
    };
    FileEntryCodec.encodeInto(fe, out, off, { descriptorVersion: version, tagLocation: c.metaBlock(p.block) });
  };

  /** Encodes the FIDs of directory `p` into `out` at `base` (its zeroed blocks). */
  const directoryData = (c: WriteContext, p: UdfIcbPlan, out: Uint8Array, base: number): void => {
    const first = p.block + 1;
    let off = 0;
    const put = (characteristics: number, target: UdfIcbPlan, identifier: Uint8Array): void => {
      off += FileIdentifierDescriptorCodec.encodeInto(
        {
          fileVersionNumber: 1,
          fileCharacteristics: characteristics,
          icb: { type: 0, length: BLOCK, location: { logicalBlockNumber: c.metaBlock(target.block), partitionReferenceNumber: c.metaRef }, implementationUse: uniqueIdImplementationUse(target.uniqueId) },
          implementationUse: new Uint8Array(0),
          fileIdentifier: identifier,
        },
        out,
        base + off,
        { descriptorVersion: version, tagLocation: c.metaBlock(first + Math.floor(off / BLOCK)) },
      );
    };
    put(FILE_CHARACTERISTICS.directory | FILE_CHARACTERISTICS.parent, p.parent ?? p, new Uint8Array(0));
    for (const ch of p.children) put((ch.icb.node.kind === "directory" ? FILE_CHARACTERISTICS.directory : 0) | (ch.hidden ? FILE_CHARACTERISTICS.hidden : 0), ch.icb, ch.identifier);
    if (off !== p.dirSize) throw new InternalError(`UDF directory ${p.path || "/"} is ${off} bytes, planned ${p.dirSize}`);
  };

  const fsdBlock = (c: WriteContext): Uint8Array => {
    const v = image.volume;
    const out = new Uint8Array(2 * BLOCK);
    out.set(
      FileSetDescriptorCodec.encode(
        {
          recordingDateAndTime: volumeDate,
          interchangeLevel: 3,
          maximumInterchangeLevel: 3,
          fileSetNumber: 0,
          fileSetDescriptorNumber: 0,
          logicalVolumeIdentifier: v.volumeId,
          fileSetIdentifier: v.volumeId,
          copyrightFileIdentifier: v.copyrightFileId,
          abstractFileIdentifier: v.abstractFileId,
          rootDirectoryIcb: { type: 0, length: BLOCK, location: { logicalBlockNumber: c.metaBlock(tree.root.block), partitionReferenceNumber: c.metaRef }, implementationUse: new Uint8Array(6) },
          domainIdentifier: domain,
        },
        { descriptorVersion: version, tagLocation: c.metaBlock(0) },
      ),
    );
    out.set(TerminatingDescriptorCodec.encode({ descriptorVersion: version, tagLocation: c.metaBlock(1) }), BLOCK);
    return out;
  };

  /** The metadata area in chunks of up to CHUNK_BLOCKS blocks (few allocations for many entries). */
  function* metadataArea(c: WriteContext): Generator<Uint8Array> {
    yield fsdBlock(c);
    let chunk = new Uint8Array(CHUNK_BLOCKS * BLOCK);
    let used = 0;
    for (const p of tree.icbs) {
      const need = 1 + p.aedBlocks + p.dirBlocks;
      if (used + need > CHUNK_BLOCKS && used > 0) {
        yield chunk.subarray(0, used * BLOCK);
        chunk = new Uint8Array(Math.max(CHUNK_BLOCKS, need) * BLOCK);
        used = 0;
      } else if (need > CHUNK_BLOCKS) chunk = new Uint8Array(need * BLOCK);
      fileEntry(c, p, chunk, used * BLOCK);
      if (p.node.kind === "directory") directoryData(c, p, chunk, (used + 1) * BLOCK);
      used += need;
    }
    if (used > 0) yield chunk.subarray(0, used * BLOCK);
    const pad = metaBlocks - tree.metadataBlocks;
    if (pad > 0) yield new Uint8Array(pad * BLOCK);
  }

  /** The Metadata File and Metadata Mirror File entries (in the physical partition). */
  const metadataFileEntry = (c: WriteContext, fileType: number, contentLba: number, tagLba: number): Uint8Array => {
    const ads = new Uint8Array(8);
    ShortAdCodec.encodeInto({ type: 0, length: metaBlocks * BLOCK, position: contentLba - c.partitionStart }, ads, 0);
    const fe: FileEntry = {
      extended: o.extendedFileEntries,
      icbTag: icbTag(fileType, AD_TYPES.short, undefined),
      uid: 0xffff_ffff,
      gid: 0xffff_ffff,
      permissions: 0,
      fileLinkCount: 1,
      informationLength: metaBlocks * BLOCK,
      logicalBlocksRecorded: metaBlocks,
      accessTime: volumeDate,
      modificationTime: volumeDate,
      creationTime: volumeDate,
      attributeTime: volumeDate,
      implementationIdentifier: implementationId(),
      uniqueId: 0,
      extendedAttributes: new Uint8Array(0),
      allocationDescriptors: ads,
      timeZoneMinutes: o.timeZoneMinutes,
    };
    const out = new Uint8Array(BLOCK);
    out.set(FileEntryCodec.encode(fe, { descriptorVersion: version, tagLocation: tagLba - c.partitionStart }));
    return out;
  };

  const volumeSetId = (): string => {
    const seed = crc16Ccitt(encodeUtf8(`${image.volume.volumeSetId}|${image.volume.volumeId}`));
    const t = Math.floor(volumeDate.getTime() / 1000) >>> 0;
    const unique = t.toString(16).toUpperCase().padStart(8, "0") + seed.toString(16).toUpperCase().padStart(4, "0") + "0000";
    return unique + (image.volume.volumeSetId || image.volume.volumeId);
  };

  const volumeDescriptorSequence = (c: WriteContext, lba: number): Uint8Array => {
    const out = new Uint8Array(VDS_SECTORS * BLOCK);
    const v = image.volume;
    const tag = (i: number): { descriptorVersion: number; tagLocation: number } => ({ descriptorVersion: version, tagLocation: lba + i });
    out.set(
      PrimaryVolumeDescriptorCodec.encode(
        {
          volumeDescriptorSequenceNumber: 1,
          primaryVolumeDescriptorNumber: 0,
          volumeIdentifier: v.volumeId,
          volumeSequenceNumber: 1,
          maximumVolumeSequenceNumber: 1,
          interchangeLevel: 2,
          maximumInterchangeLevel: 2,
          volumeSetIdentifier: volumeSetId(),
          applicationIdentifier: { flags: 0, identifier: v.applicationId.slice(0, 23).replace(/[^\x20-\x7e]/g, "_"), suffix: new Uint8Array(8) },
          recordingDateAndTime: volumeDate,
          implementationIdentifier: implementationId(),
        },
        tag(0),
      ),
      0,
    );
    out.set(
      ImplementationUseVolumeDescriptorCodec.encode(
        { volumeDescriptorSequenceNumber: 2, implementationIdentifier: entityUdf(UDF_IDENTIFIERS.lvInfo), logicalVolumeIdentifier: v.volumeId, lvInfo1: v.publisherId, lvInfo2: v.dataPreparerId, lvInfo3: "", implementationId: implementationId() },
        tag(1),
      ),
      BLOCK,
    );
    out.set(
      PartitionDescriptorCodec.encode(
        {
          volumeDescriptorSequenceNumber: 3,
          partitionFlags: 1,
          partitionNumber: 0,
          partitionContents: { flags: 2, identifier: nsr === "NSR02" ? UDF_IDENTIFIERS.nsr02 : UDF_IDENTIFIERS.nsr03, suffix: new Uint8Array(8) },
          accessType: ACCESS_TYPES.readOnly,
          partitionStartingLocation: c.partitionStart,
          partitionLength: c.partitionLength,
          implementationIdentifier: implementationId(),
        },
        tag(2),
      ),
      2 * BLOCK,
    );
    const maps: PartitionMap[] = [{ type: 1, volumeSequenceNumber: 1, partitionNumber: 0 }];
    if (o.metadataPartition) {
      maps.push(
        metadataMap(
          {
            volumeSequenceNumber: 1,
            partitionNumber: 0,
            metadataFileLocation: meta!.lba - c.partitionStart,
            metadataMirrorFileLocation: meta!.lba + 1 - c.partitionStart,
            metadataBitmapFileLocation: NO_BITMAP_FILE,
            allocationUnitSize: METADATA_ALLOCATION_UNIT,
            alignmentUnitSize: 1,
            flags: 1,
          },
          rev,
        ),
      );
    }
    const fsd: LongAd = { type: 0, length: BLOCK, location: { logicalBlockNumber: c.metaBlock(0), partitionReferenceNumber: c.metaRef }, implementationUse: new Uint8Array(6) };
    out.set(
      LogicalVolumeDescriptorCodec.encode(
        {
          volumeDescriptorSequenceNumber: 4,
          logicalVolumeIdentifier: v.volumeId,
          logicalBlockSize: BLOCK,
          domainIdentifier: domain,
          fileSetDescriptor: fsd,
          implementationIdentifier: implementationId(),
          integritySequenceExtent: { length: 2 * BLOCK, location: head!.lba + 3 + 2 * VDS_SECTORS },
          partitionMaps: maps,
        },
        tag(3),
      ),
      3 * BLOCK,
    );
    out.set(UnallocatedSpaceDescriptorCodec.encode({ volumeDescriptorSequenceNumber: 5, allocationDescriptors: [] }, tag(4)), 4 * BLOCK);
    out.set(TerminatingDescriptorCodec.encode(tag(5)), 5 * BLOCK);
    return out;
  };

  const integritySequence = (c: WriteContext, lba: number): Uint8Array => {
    const out = new Uint8Array(2 * BLOCK);
    // UDF 2.60 2.2.6.4: 2.60 media stay readable by 2.50 readers (Linux reads up to 2.50), as mkudffs records.
    const minRead = o.metadataPartition || rev >= 0x0250 ? 0x0250 : rev;
    out.set(
      LogicalVolumeIntegrityDescriptorCodec.encode(
        {
          recordingDateAndTime: volumeDate,
          integrityType: INTEGRITY_TYPES.close,
          nextIntegrityExtent: { length: 0, location: 0 },
          uniqueId: tree.nextUniqueId,
          freeSpaceTable: o.metadataPartition ? [0, 0] : [0],
          sizeTable: o.metadataPartition ? [c.partitionLength, metaBlocks] : [c.partitionLength],
          implementationId: implementationId(),
          numberOfFiles: tree.files,
          numberOfDirectories: tree.directories,
          minimumUdfReadRevision: minRead,
          minimumUdfWriteRevision: rev,
          maximumUdfWriteRevision: rev,
        },
        { descriptorVersion: version, tagLocation: lba },
      ),
    );
    out.set(TerminatingDescriptorCodec.encode({ descriptorVersion: version, tagLocation: lba + 1 }), BLOCK);
    return out;
  };

  const anchor = (lba: number): Uint8Array => {
    const mainLba = head!.lba + 3;
    return AnchorCodec.encode(
      { mainVolumeDescriptorSequence: { length: VDS_SECTORS * BLOCK, location: mainLba }, reserveVolumeDescriptorSequence: { length: VDS_SECTORS * BLOCK, location: mainLba + VDS_SECTORS } },
      { descriptorVersion: version, tagLocation: lba },
    );
  };

  return {
    name: `UDF ${o.revision}`,
    plan(ctx: ExtensionContext) {
      head = ctx.addExtent({
        name: "UDF volume recognition, descriptor sequences and anchor",
        placement: "afterDescriptors",
        size: (3 + 2 * VDS_SECTORS + 2) * BLOCK,
        // Grows to end exactly at the anchor sector 256 of the session.
        resize: (lba: number, startLba: number) => {
          if (lba > startLba + ANCHOR_LBA - (3 + 2 * VDS_SECTORS + 2)) throw new InternalError(`UDF descriptors at LBA ${lba} leave no room before the anchor at ${startLba + ANCHOR_LBA}`);
          return (startLba + ANCHOR_LBA + 1 - lba) * BLOCK;
        },
        write: (layout: ImageLayout) => {
          writeLayout = layout;
          const c = context(layout);
          const anchorLba = layout.startLba + ANCHOR_LBA;
          const out = new Uint8Array((anchorLba + 1 - head!.lba) * BLOCK);
          out.set(encodeVolumeRecognitionSequence(nsr), 0);
          out.set(volumeDescriptorSequence(c, head!.lba + 3), 3 * BLOCK);
          out.set(volumeDescriptorSequence(c, head!.lba + 3 + VDS_SECTORS), (3 + VDS_SECTORS) * BLOCK);
          out.set(integritySequence(c, head!.lba + 3 + 2 * VDS_SECTORS), (3 + 2 * VDS_SECTORS) * BLOCK);
          out.set(anchor(anchorLba), (anchorLba - head!.lba) * BLOCK);
          return out;
        },
      });
      const metaSectors = o.metadataPartition ? 2 + 2 * metaBlocks : metaBlocks;
      meta = ctx.addExtent({
        name: o.metadataPartition ? "UDF metadata file, mirror and their entries" : "UDF file set, file entries and directories",
        placement: "beforeFiles",
        size: metaSectors * BLOCK,
        write: generatedContent(metaSectors * BLOCK, "UDF metadata", function* () {
          if (!writeLayout) throw new InternalError("UDF metadata written before the volume descriptors");
          const c = context(writeLayout);
          if (o.metadataPartition) {
            yield metadataFileEntry(c, FILE_TYPES.metadataFile, meta!.lba + 2, meta!.lba);
            yield metadataFileEntry(c, FILE_TYPES.metadataMirrorFile, meta!.lba + 2 + metaBlocks, meta!.lba + 1);
            yield* metadataArea(c);
          }
          yield* metadataArea(c);
        }),
      });
      tail = ctx.addExtent({ name: "UDF closing anchor", placement: "afterFiles", size: BLOCK, write: () => anchor(tail!.lba) });
    },
  };
}
