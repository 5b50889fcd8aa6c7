/**
 * Reads the UDF file system of an image or disc (OSTA UDF 1.02 to 2.60, ECMA-167 parts 2-4):
 * the volume recognition sequence, an anchor (256, last, last - 256), the main or else the
 * reserve volume descriptor sequence, partitions and partition maps (physical and the 2.50+
 * metadata partition, read through the Metadata File or else its mirror), the file set and the
 * directory tree. Hostile images are normal input: every tag's checksum and CRC are verified,
 * every extent is checked against the partition and the volume, allocations are bounded, and
 * cyclic ICBs, directories and allocation extent chains are errors, not hangs.
 */
import { InvalidArgumentError, MalformedDataError, throwIfAborted } from "@discforge/errors";
import { BLOCK_SIZE, FileBlockSource, type BlockSource } from "../reader/block-source.js";
import type { EntryType, IsoEntry } from "../reader/reader.js";
import { AnchorCodec, type AnchorVolumeDescriptorPointer } from "./anchor.js";
import { EXTENT_TYPES, ExtAdCodec, LongAdCodec, ShortAdCodec, type LongAd } from "./allocation-descriptors.js";
import { AllocationExtentDescriptorCodec } from "./allocation-extent-descriptor.js";
import { decodeCs0 } from "./charspec.js";
import { EXTENDED_FILE_ENTRY_HEADER, FILE_ENTRY_HEADER, FileEntryCodec, modeFromPermissions, type FileEntry } from "./file-entry.js";
import { FILE_CHARACTERISTICS, FileIdentifierDescriptorCodec } from "./file-identifier-descriptor.js";
import { FileSetDescriptorCodec, type FileSetDescriptor } from "./file-set-descriptor.js";
import { AD_TYPES, FILE_TYPES, ICB_FLAGS } from "./icb-tag.js";
import { LogicalVolumeDescriptorCodec, type LogicalVolumeDescriptor } from "./logical-volume-descriptor.js";
import { LogicalVolumeIntegrityDescriptorCodec, type LogicalVolumeIntegrityDescriptor } from "./logical-volume-integrity-descriptor.js";
import { PartitionDescriptorCodec, type PartitionDescriptor } from "./partition-descriptor.js";
import { PartitionMapCodec } from "./partition-map.js";
import { decodeSymlinkTarget } from "./path-component.js";
import { decodeDeviceAttributes } from "./extended-attributes.js";
import { PrimaryVolumeDescriptorCodec, type PrimaryVolumeDescriptor } from "./primary-volume-descriptor.js";
import { suffixRevision } from "./regid.js";
import { decodeTag, looksLikeTag, TAG_IDENTIFIERS, TAG_SIZE } from "./tag.js";
import { VolumeStructureDescriptorCodec, VRS_IDENTIFIERS } from "./volume-recognition.js";

export interface UdfReaderOptions {
  /** LBA of the session to read. Default 0. */
  readonly sessionStart?: number;
  /** Largest directory accepted, in bytes (default 64 MiB). */
  readonly maxDirectoryBytes?: number;
  /** Largest number of directories a walk visits (default 1,000,000). */
  readonly maxDirectories?: number;
}

/** A piece of a file: recorded at an absolute LBA, or a hole (not recorded: reads as zeros). */
export interface UdfPiece {
  readonly lba: number | undefined;
  readonly length: number;
}

interface Partition {
  readonly start: number;
  readonly length: number;
}
type PartitionRef = { kind: "physical"; partition: Partition } | { kind: "metadata"; partition: Partition; extents: { block: number; count: number }[]; blocks: number };

export interface UdfVolumeInfo {
  readonly nsr: "NSR02" | "NSR03";
  readonly anchorLba: number;
  readonly primary: PrimaryVolumeDescriptor;
  readonly logicalVolume: LogicalVolumeDescriptor;
  readonly partitions: readonly PartitionDescriptor[];
  readonly fileSet: FileSetDescriptor;
  readonly integrity: LogicalVolumeIntegrityDescriptor | undefined;
  /** The UDF revision in the domain identifier, e.g. 0x0250. */
  readonly revision: number;
  readonly metadataPartition: boolean;
}

const MAX_AD_HOPS = 1024;
const MAX_VDS_SECTORS = 256;
/**
 * Budget of one read operation, in units (an allocation descriptor decoded, a piece made): per
 * partition block, and per directory entry listed (room for an entry's own descriptors).
 */
const UNITS_PER_BLOCK = 8;
const UNITS_PER_ENTRY = 512;
/** Largest symbolic link data read (a target is at most a few KiB; PATH_MAX is 4096). */
const MAX_SYMLINK_BYTES = 64 << 10;

type ResolvedEntry = { fe: FileEntry; pieces: UdfPiece[]; embedded: Uint8Array | undefined; where: number };

/**
 * One operation's reading (a walk, a list, a stat), kept linear in the image size on hostile
 * input. A block belongs to one file, so real images stay well inside the budget; without it, many
 * entries sharing one long allocation extent chain, or one directory's data, multiply the work.
 */
interface Reading {
  /** Units still allowed; each directory entry listed adds UNITS_PER_ENTRY. */
  left: number;
  /** Entries that needed allocation extents, by LBA: hard links to them are resolved once. */
  readonly chained: Map<number, ResolvedEntry>;
  /** Blocks of directory data listed: a block listed for two directories is an error. */
  readonly directoryBlocks: Set<number>;
}

export class UdfReader {
  /** The namespace this reader shows (for callers that handle ISO and UDF readers alike). */
  readonly namespace = "udf" as const;
  private readonly pieces = new WeakMap<IsoEntry, { pieces: UdfPiece[]; embedded: Uint8Array | undefined; icb: string }>();
  private readonly volumeEnd: number;
  /** Blocks the partitions hold together: no file records more (it would reuse blocks). */
  private readonly partitionBlocks: number;

  private constructor(
    readonly source: BlockSource,
    readonly volume: UdfVolumeInfo,
    private readonly maps: readonly PartitionRef[],
    private readonly options: Required<UdfReaderOptions>,
    /** Absolute byte offset of the file set descriptor's root directory ICB, for errors. */
    private readonly rootWhere: number,
  ) {
    this.volumeEnd = source.sectorCount ?? Number.MAX_SAFE_INTEGER;
    this.partitionBlocks = maps.reduce((n, m) => n + (m.kind === "physical" ? m.partition.length : 0), 0);
  }

  /** True when the image has a UDF volume recognition sequence (NSR02 or NSR03) in the session. */
  static async detect(source: BlockSource, sessionStart = 0): Promise<"NSR02" | "NSR03" | undefined> {
    for (let i = 0; i < 64; i++) {
      const lba = sessionStart + 16 + i;
      if (source.sectorCount !== undefined && lba >= source.sectorCount) return undefined;
      const s = await source.readSectors(lba, 1);
      const d = VolumeStructureDescriptorCodec.decode(s, 0, lba * BLOCK_SIZE);
      if (d.standardIdentifier === VRS_IDENTIFIERS.nsr02 || d.standardIdentifier === VRS_IDENTIFIERS.nsr03) return d.standardIdentifier;
      if (d.standardIdentifier === VRS_IDENTIFIERS.tea) return undefined;
      if (![VRS_IDENTIFIERS.iso9660, VRS_IDENTIFIERS.bea, VRS_IDENTIFIERS.boot, VRS_IDENTIFIERS.cdw].includes(d.standardIdentifier as "CD001")) return undefined;
    }
    return undefined;
  }

  static async open(source: BlockSource | string, options: UdfReaderOptions = {}): Promise<UdfReader> {
    const src = typeof source === "string" ? FileBlockSource.open(source) : source;
    const opts = { sessionStart: options.sessionStart ?? 0, maxDirectoryBytes: options.maxDirectoryBytes ?? 64 << 20, maxDirectories: options.maxDirectories ?? 1_000_000 };
    const nsr = await UdfReader.detect(src, opts.sessionStart);
    if (!nsr) throw new MalformedDataError("ECMA-167 2/9.1 volume recognition sequence", (opts.sessionStart + 16) * BLOCK_SIZE, "no NSR02/NSR03 descriptor: not a UDF volume");
    // Anchor: 256 of the session, then the last sector, then last - 256.
    const candidates = [opts.sessionStart + 256];
    if (src.sectorCount !== undefined) candidates.push(src.sectorCount - 1, src.sectorCount - 257);
    let anchor: AnchorVolumeDescriptorPointer | undefined;
    let anchorLba = -1;
    let firstError: unknown;
    for (const lba of candidates) {
      if (lba < 0 || (src.sectorCount !== undefined && lba >= src.sectorCount)) continue;
      try {
        anchor = AnchorCodec.decode(await src.readSectors(lba, 1), 0, lba * BLOCK_SIZE, lba);
        anchorLba = lba;
        break;
      } catch (e) {
        firstError ??= e;
      }
    }
    if (!anchor) {
      if (firstError instanceof MalformedDataError) throw firstError;
      throw new MalformedDataError("ECMA-167 3/10.2 anchor volume descriptor pointer", (opts.sessionStart + 256) * BLOCK_SIZE, "no anchor at 256, N-1 or N-257");
    }
    let vds: Awaited<ReturnType<typeof readVds>>;
    try {
      vds = await readVds(src, anchor.mainVolumeDescriptorSequence.location, anchor.mainVolumeDescriptorSequence.length);
    } catch (e) {
      if (anchor.reserveVolumeDescriptorSequence.length === 0) throw e;
      vds = await readVds(src, anchor.reserveVolumeDescriptorSequence.location, anchor.reserveVolumeDescriptorSequence.length);
    }
    const lvd = vds.lvd;
    if (lvd.logicalBlockSize !== BLOCK_SIZE) throw new MalformedDataError("ECMA-167 3/10.6 logical volume descriptor", vds.lvdWhere + 212, `logical block size ${lvd.logicalBlockSize} is not 2048`);
    const end = src.sectorCount ?? Number.MAX_SAFE_INTEGER;
    // Absolute offset of each partition map, for errors about what it refers to.
    const mapWhere: number[] = [];
    for (let i = 0, at = vds.lvdWhere + 440; i < lvd.partitionMaps.length; at += PartitionMapCodec.sizeOf(lvd.partitionMaps[i]!), i++) mapWhere.push(at);
    const physical = (number: number, where: number): Partition => {
      const i = vds.partitions.findIndex((p) => p.partitionNumber === number);
      const pd = vds.partitions[i];
      if (!pd) throw new MalformedDataError("ECMA-167 3/10.7 partition map", where, `refers to partition ${number}, which has no partition descriptor`);
      // The descriptor's start and length fields, not the (possibly absent) partition, are at fault.
      if (pd.partitionStartingLocation + pd.partitionLength > end) throw new MalformedDataError("ECMA-167 3/10.5 partition descriptor", vds.partitionWhere[i]! + 188, `partition ${number} (${pd.partitionStartingLocation}+${pd.partitionLength}) runs past the volume end ${end}`);
      return { start: pd.partitionStartingLocation, length: pd.partitionLength };
    };
    const maps: PartitionRef[] = [];
    for (const [i, m] of lvd.partitionMaps.entries()) {
      if (m.type === 1) maps.push({ kind: "physical", partition: physical(m.partitionNumber, mapWhere[i]!) });
      else if (m.kind === "metadata") maps.push({ kind: "metadata", partition: physical(m.partitionNumber, mapWhere[i]!), extents: [], blocks: 0 });
      else maps.push({ kind: "physical", partition: { start: 0, length: 0 } });
    }
    const reader = new UdfReader(src, undefined as unknown as UdfVolumeInfo, maps, opts, 0);
    // Metadata partitions: their blocks are the Metadata File's (else the mirror's) contents.
    for (const [i, m] of lvd.partitionMaps.entries()) {
      if (m.type !== 2 || m.kind !== "metadata") continue;
      const ref = maps[i]!;
      if (ref.kind !== "metadata") continue;
      const physicalIndex = maps.findIndex((x, j) => j !== i && x.kind === "physical" && x.partition.start === ref.partition.start);
      let err: unknown;
      for (const [loc, field] of [
        [m.metadataFileLocation, 40],
        [m.metadataMirrorFileLocation, 44],
      ] as const) {
        try {
          const fe = await reader.readFileEntry({ logicalBlockNumber: loc, partitionReferenceNumber: physicalIndex < 0 ? 0 : physicalIndex }, "UDF 2.60 2.2.13 metadata file", mapWhere[i]! + field);
          if (fe.fe.icbTag.fileType !== FILE_TYPES.metadataFile && fe.fe.icbTag.fileType !== FILE_TYPES.metadataMirrorFile) throw new MalformedDataError("UDF 2.60 2.2.13 metadata file", fe.where + 27, `file type ${fe.fe.icbTag.fileType}`);
          ref.extents = [];
          let blocks = 0;
          for (const p of fe.pieces) {
            if (p.lba === undefined) throw new MalformedDataError("UDF 2.60 2.2.13 metadata file", fe.where, "has unrecorded extents");
            const count = Math.ceil(p.length / BLOCK_SIZE);
            ref.extents.push({ block: p.lba - ref.partition.start, count });
            blocks += count;
          }
          ref.blocks = blocks;
          err = undefined;
          break;
        } catch (e) {
          err ??= e;
        }
      }
      if (err) throw err;
    }
    const fsdAddr = lvd.fileSetDescriptor.location;
    const fsdLba = reader.resolve(fsdAddr.partitionReferenceNumber, fsdAddr.logicalBlockNumber, "ECMA-167 3/10.6 file set descriptor address", vds.lvdWhere + 248);
    const fileSet = FileSetDescriptorCodec.decode(await src.readSectors(fsdLba, 1), 0, fsdLba * BLOCK_SIZE, fsdAddr.logicalBlockNumber);
    let integrity: LogicalVolumeIntegrityDescriptor | undefined;
    const ise = lvd.integritySequenceExtent;
    if (ise.length > 0 && ise.location < end) {
      try {
        integrity = LogicalVolumeIntegrityDescriptorCodec.decode(await src.readSectors(ise.location, 1), 0, ise.location * BLOCK_SIZE);
      } catch {
        integrity = undefined;
      }
    }
    const volume: UdfVolumeInfo = {
      nsr,
      anchorLba,
      primary: vds.pvd,
      logicalVolume: lvd,
      partitions: vds.partitions,
      fileSet,
      integrity,
      revision: suffixRevision(lvd.domainIdentifier),
      metadataPartition: maps.some((m) => m.kind === "metadata"),
    };
    return new UdfReader(src, volume, maps, opts, fsdLba * BLOCK_SIZE + 400);
  }

  /** The volume's extent, as `importSession` expects of a reader (the next session may start after it). */
  get primary(): { readonly volumeSpaceSize: number } {
    const ends = this.volume.partitions.map((p) => p.partitionStartingLocation + p.partitionLength + 1);
    return { volumeSpaceSize: Math.max(this.volume.anchorLba + 1, ...ends) };
  }

  async close(): Promise<void> {
    await this.source.close?.();
  }

  /** Absolute LBA of block `lbn` of partition reference `ref`. */
  resolve(ref: number, lbn: number, structure: string, where: number): number {
    const m = this.maps[ref];
    if (!m) throw new MalformedDataError(structure, where, `partition reference ${ref} is not in the logical volume (${this.maps.length} maps)`);
    if (m.kind === "physical") {
      if (lbn >= m.partition.length) throw new MalformedDataError(structure, where, `block ${lbn} is outside partition ${ref} (${m.partition.length} blocks)`);
      return m.partition.start + lbn;
    }
    let left = lbn;
    for (const e of m.extents) {
      if (left < e.count) {
        if (e.block + left >= m.partition.length) throw new MalformedDataError(structure, where, `metadata block ${lbn} maps outside the physical partition`);
        return m.partition.start + e.block + left;
      }
      left -= e.count;
    }
    throw new MalformedDataError(structure, where, `block ${lbn} is outside the metadata partition (${m.blocks} blocks)`);
  }

  private newReading(): Reading {
    return { left: UNITS_PER_BLOCK * this.partitionBlocks + UNITS_PER_ENTRY, chained: new Map(), directoryBlocks: new Set() };
  }

  private checkRange(lba: number, sectors: number, structure: string, where: number): void {
    if (lba < 0 || lba + sectors > this.volumeEnd) throw new MalformedDataError(structure, where, `extent at LBA ${lba} of ${sectors} sectors runs past the volume end (${this.volumeEnd} sectors)`);
  }

  /**
   * Reads an ICB and resolves its allocation descriptors to absolute pieces. `refWhere` is the
   * absolute offset of the address that led here (a FID's ICB, the root ICB, a partition map).
   */
  private async readFileEntry(addr: { logicalBlockNumber: number; partitionReferenceNumber: number }, structure: string, refWhere: number, reading?: Reading): Promise<ResolvedEntry> {
    const ref = addr.partitionReferenceNumber;
    const lba = this.resolve(ref, addr.logicalBlockNumber, structure, refWhere);
    const known = reading?.chained.get(lba);
    if (known) return known;
    const where = lba * BLOCK_SIZE;
    const fe = FileEntryCodec.decode(await this.source.readSectors(lba, 1), 0, where, addr.logicalBlockNumber);
    const adType = fe.icbTag.flags & 7;
    if (adType === AD_TYPES.embedded) {
      if (fe.informationLength > fe.allocationDescriptors.length) throw new MalformedDataError(structure, where, `embedded data of ${fe.informationLength} bytes, ${fe.allocationDescriptors.length} recorded`);
      return { fe, pieces: [], embedded: fe.allocationDescriptors.subarray(0, fe.informationLength), where };
    }
    const pieces: UdfPiece[] = [];
    let ads = fe.allocationDescriptors;
    let adsWhere = where + (fe.extended ? EXTENDED_FILE_ENTRY_HEADER : FILE_ENTRY_HEADER) + fe.extendedAttributes.length;
    const seen = new Set<number>();
    let total = 0;
    let recordedBlocks = 0;
    const spend = (units: number, at: number): void => {
      if (!reading) return;
      reading.left -= units;
      if (reading.left < 0) throw new MalformedDataError("ECMA-167 4/14.14 allocation descriptor", at, `the entries read so far have more descriptors and extents than ${this.partitionBlocks} partition blocks can hold (a block belongs to one file)`);
    };
    for (let hop = 0; ; hop++) {
      const size = adType === AD_TYPES.short ? 8 : adType === AD_TYPES.long ? 16 : adType === AD_TYPES.extended ? 20 : 0;
      if (size === 0) throw new MalformedDataError(structure, where + 34, `allocation descriptor type ${adType} is not short, long, extended or embedded`);
      let next: { ref: number; lbn: number } | undefined;
      for (let off = 0; off + size <= ads.length; off += size) {
        spend(1, adsWhere + off);
        let type: number;
        let length: number;
        let lbn: number;
        let pref = ref;
        if (adType === AD_TYPES.short) {
          const a = ShortAdCodec.decode(ads, off);
          [type, length, lbn] = [a.type, a.length, a.position];
        } else if (adType === AD_TYPES.long) {
          const a = LongAdCodec.decode(ads, off);
          [type, length, lbn, pref] = [a.type, a.length, a.location.logicalBlockNumber, a.location.partitionReferenceNumber];
        } else {
          const a = ExtAdCodec.decode(ads, off);
          [type, length, lbn, pref] = [a.type, a.length, a.location.logicalBlockNumber, a.location.partitionReferenceNumber];
        }
        if (length === 0) break;
        if (type === EXTENT_TYPES.nextExtent) {
          next = { ref: pref, lbn };
          break;
        }
        if (type === EXTENT_TYPES.recorded) {
          const first = this.resolve(pref, lbn, "ECMA-167 4/14.14 allocation descriptor", adsWhere + off);
          const sectors = Math.ceil(length / BLOCK_SIZE);
          // Checked before the block-by-block expansion below: extents that all span a large
          // metadata partition would otherwise make pieces quadratic in the image size.
          recordedBlocks += sectors;
          if (recordedBlocks > this.partitionBlocks) throw new MalformedDataError("ECMA-167 4/14.14 allocation descriptor", adsWhere + off, `the extents record over ${this.partitionBlocks} blocks, more than the partitions hold`);
          if (sectors > 1) this.resolve(pref, lbn + sectors - 1, "ECMA-167 4/14.14 allocation descriptor", adsWhere + off);
          this.checkRange(first, sectors, "ECMA-167 4/14.14 allocation descriptor", adsWhere + off);
          spend(this.maps[pref]?.kind === "metadata" ? sectors : 1, adsWhere + off);
          // Metadata partitions need not be contiguous: resolve block by block runs.
          if (this.maps[pref]?.kind === "metadata") {
            for (let b = 0; b < sectors; b++) pieces.push({ lba: this.resolve(pref, lbn + b, "ECMA-167 4/14.14 allocation descriptor", adsWhere + off), length: Math.min(BLOCK_SIZE, length - b * BLOCK_SIZE) });
          } else pieces.push({ lba: first, length });
        } else {
          spend(1, adsWhere + off);
          pieces.push({ lba: undefined, length });
        }
        total += length;
      }
      if (!next) break;
      if (hop >= MAX_AD_HOPS) throw new MalformedDataError("ECMA-167 4/14.5 allocation extent descriptor", adsWhere, `more than ${MAX_AD_HOPS} allocation extents`);
      const aLba = this.resolve(next.ref, next.lbn, "ECMA-167 4/14.5 allocation extent descriptor", adsWhere);
      if (seen.has(aLba)) throw new MalformedDataError("ECMA-167 4/14.5 allocation extent descriptor", aLba * BLOCK_SIZE, "allocation extents form a loop");
      seen.add(aLba);
      const aed = AllocationExtentDescriptorCodec.decode(await this.source.readSectors(aLba, 1), 0, aLba * BLOCK_SIZE);
      ads = aed.allocationDescriptors;
      adsWhere = aLba * BLOCK_SIZE + 24;
    }
    if (total < fe.informationLength) throw new MalformedDataError(structure, where + 56, `information length ${fe.informationLength} exceeds the ${total} bytes allocated`);
    const resolved = { fe, pieces: trim(pieces, fe.informationLength), embedded: undefined, where };
    if (seen.size > 0) reading?.chained.set(lba, resolved);
    return resolved;
  }

  private async readAll(pieces: readonly UdfPiece[], embedded: Uint8Array | undefined, length: number, structure: string, where: number): Promise<Uint8Array> {
    if (length > this.options.maxDirectoryBytes) throw new MalformedDataError(structure, where, `${length} bytes exceed the ${this.options.maxDirectoryBytes}-byte limit`);
    if (embedded) return embedded;
    const out = new Uint8Array(length);
    let off = 0;
    for (const p of pieces) {
      if (p.lba !== undefined) {
        const b = await this.source.readSectors(p.lba, Math.ceil(p.length / BLOCK_SIZE));
        out.set(b.subarray(0, p.length), off);
      }
      off += p.length;
    }
    return out;
  }

  /** `fidWhere`: absolute offset of the FID naming the entry; undefined for the root (named by the file set). */
  private async toEntry(name: string, recordedName: string, characteristics: number, icb: LongAd, fidWhere: number | undefined, reading: Reading): Promise<{ entry: IsoEntry; key: string }> {
    const icbWhere = fidWhere === undefined ? this.rootWhere : fidWhere + 20;
    const r = await this.readFileEntry(icb.location, "ECMA-167 4/14.9 file entry", icbWhere, reading);
    const fe = r.fe;
    const t = fe.icbTag.fileType;
    const type: EntryType =
      t === FILE_TYPES.directory ? "directory" : t === FILE_TYPES.symlink ? "symlink" : t === FILE_TYPES.charDevice ? "char" : t === FILE_TYPES.blockDevice ? "block" : t === FILE_TYPES.fifo ? "fifo" : t === FILE_TYPES.socket ? "socket" : "file";
    if ((characteristics & FILE_CHARACTERISTICS.directory) !== 0 !== (type === "directory")) {
      if (fidWhere === undefined) throw new MalformedDataError("ECMA-167 4/14.1 file set descriptor", icbWhere, `the root ICB has file type ${t}, not a directory`);
      throw new MalformedDataError("ECMA-167 4/14.4 file identifier descriptor", fidWhere + 18, `${recordedName}: directory bit disagrees with the file type ${t}`);
    }
    let mode = modeFromPermissions(fe.permissions);
    if (fe.icbTag.flags & ICB_FLAGS.setuid) mode |= 0o4000;
    if (fe.icbTag.flags & ICB_FLAGS.setgid) mode |= 0o2000;
    if (fe.icbTag.flags & ICB_FLAGS.sticky) mode |= 0o1000;
    let linkTarget: string | undefined;
    if (type === "symlink") {
      // Refused, not cut short: readAll fills a buffer of exactly the length asked for.
      if (fe.informationLength > MAX_SYMLINK_BYTES) throw new MalformedDataError("ECMA-167 4/14.16 symbolic link", r.where + 56, `${fe.informationLength} bytes of path components exceed ${MAX_SYMLINK_BYTES}`);
      const data = await this.readAll(r.pieces, r.embedded, fe.informationLength, "ECMA-167 4/14.16 symbolic link", r.where);
      linkTarget = decodeSymlinkTarget(data, r.where);
    }
    let device: { major: number; minor: number } | undefined;
    if (type === "char" || type === "block") device = decodeDeviceAttributes(fe.extendedAttributes, r.where + (fe.extended ? 216 : 176));
    const entry: IsoEntry = {
      name,
      type,
      size: fe.informationLength,
      extents: r.pieces.filter((p) => p.lba !== undefined).map((p) => ({ lba: p.lba!, length: p.length })),
      mtime: fe.modificationTime,
      ...(fe.accessTime ? { atime: fe.accessTime } : {}),
      ...(fe.attributeTime ? { ctime: fe.attributeTime } : {}),
      mode,
      ...(fe.uid !== 0xffff_ffff ? { uid: fe.uid } : {}),
      ...(fe.gid !== 0xffff_ffff ? { gid: fe.gid } : {}),
      links: fe.fileLinkCount,
      serial: fe.uniqueId,
      ...(linkTarget !== undefined ? { linkTarget } : {}),
      ...(device ? { device } : {}),
      hidden: (characteristics & FILE_CHARACTERISTICS.hidden) !== 0,
      associated: false,
      recordedName,
    };
    const key = `${icb.location.partitionReferenceNumber}:${icb.location.logicalBlockNumber}`;
    this.pieces.set(entry, { pieces: r.pieces, embedded: r.embedded, icb: key });
    return { entry, key };
  }

  /** The entries of the directory at `icb`; `icbWhere` is the absolute offset of that address. */
  private async listIcb(icb: LongAd, icbWhere: number, reading: Reading): Promise<{ entry: IsoEntry; key: string; icb: LongAd; icbWhere: number }[]> {
    const r = await this.readFileEntry(icb.location, "ECMA-167 4/14.9 file entry of a directory", icbWhere, reading);
    if (r.fe.icbTag.fileType !== FILE_TYPES.directory) throw new MalformedDataError("ECMA-167 4/14.9 file entry", r.where, `file type ${r.fe.icbTag.fileType} where a directory was expected`);
    const data = await this.readAll(r.pieces, r.embedded, r.fe.informationLength, "ECMA-167 4/8.6 directory", r.where);
    // A directory's data is its own: blocks shared by directories would list their entries again and again.
    for (const p of r.pieces) {
      for (let b = 0; p.lba !== undefined && b < Math.ceil(p.length / BLOCK_SIZE); b++) {
        if (reading.directoryBlocks.has(p.lba + b)) throw new MalformedDataError("ECMA-167 4/8.6 directory", r.where, `data block ${p.lba + b} also belongs to another directory`);
        reading.directoryBlocks.add(p.lba + b);
      }
    }
    // Absolute offset of byte `o` of the directory: its pieces need not be contiguous (offsets only grow).
    const embeddedWhere = r.where + (r.fe.extended ? EXTENDED_FILE_ENTRY_HEADER : FILE_ENTRY_HEADER) + r.fe.extendedAttributes.length;
    let piece = 0;
    let pieceStart = 0;
    const at = (o: number): number => {
      if (r.embedded) return embeddedWhere + o;
      while (piece < r.pieces.length - 1 && o >= pieceStart + r.pieces[piece]!.length) pieceStart += r.pieces[piece++]!.length;
      const lba = r.pieces[piece]?.lba;
      return lba === undefined ? r.where : lba * BLOCK_SIZE + (o - pieceStart);
    };
    const out: { entry: IsoEntry; key: string; icb: LongAd; icbWhere: number }[] = [];
    const names = new Set<string>();
    let off = 0;
    while (off < data.length) {
      if (!looksLikeTag(data, off) && data.subarray(off).every((b) => b === 0)) break;
      const where = at(off);
      // Fewer than 16 bytes left: the FID decoder reports the short descriptor at its absolute offset.
      const id = off + TAG_SIZE <= data.length ? decodeTag(data, off).tagIdentifier : TAG_IDENTIFIERS.fileIdentifierDescriptor;
      if (id !== TAG_IDENTIFIERS.fileIdentifierDescriptor) throw new MalformedDataError("ECMA-167 4/14.4 file identifier descriptor", where, `tag identifier ${id} inside a directory`);
      const { fid, size } = FileIdentifierDescriptorCodec.decode(data, off, where);
      off += size;
      const c = fid.fileCharacteristics;
      if (c & (FILE_CHARACTERISTICS.parent | FILE_CHARACTERISTICS.deleted)) continue;
      if (fid.icb.length === 0) continue;
      // Errors about the name point at the name of this FID (not past it).
      const nameWhere = where + 38 + fid.implementationUse.length;
      const recorded = decodeCs0(fid.fileIdentifier, "ECMA-167 4/14.4 file identifier", nameWhere);
      if (recorded === "" || recorded === "." || recorded === ".." || recorded.includes("/") || recorded.includes("\0")) throw new MalformedDataError("ECMA-167 4/14.4 file identifier", nameWhere, `unsafe name ${JSON.stringify(recorded)}`);
      if (names.has(recorded)) throw new MalformedDataError("ECMA-167 4/14.4 file identifier", nameWhere, `${JSON.stringify(recorded)} appears twice in one directory`);
      names.add(recorded);
      reading.left += UNITS_PER_ENTRY;
      const { entry, key } = await this.toEntry(recorded, recorded, c, fid.icb, where, reading);
      out.push({ entry, key, icb: fid.icb, icbWhere: where + 20 });
    }
    return out;
  }

  private rootIcb(): LongAd {
    return this.volume.fileSet.rootDirectoryIcb;
  }

  private async lookupDir(path: string, reading: Reading): Promise<{ icb: LongAd; icbWhere: number }> {
    let cur = { icb: this.rootIcb(), icbWhere: this.rootWhere };
    const seen = new Set<string>();
    const parts = path.split("/").filter((p) => p !== "" && p !== ".");
    for (const [i, part] of parts.entries()) {
      const items = await this.listIcb(cur.icb, cur.icbWhere, reading);
      const hit = items.find((x) => x.entry.name === part);
      if (!hit) throw new InvalidArgumentError("path", `${path}: /${parts.slice(0, i + 1).join("/")} is not in the image`);
      if (hit.entry.type !== "directory") throw new InvalidArgumentError("path", `${path}: /${parts.slice(0, i + 1).join("/")} is not a directory`);
      if (seen.has(hit.key)) throw new MalformedDataError("ECMA-167 4/8.6 directory hierarchy", hit.icbWhere, "directory cycle");
      seen.add(hit.key);
      cur = hit;
    }
    return cur;
  }

  /** Lists a directory's entries (without the parent entry). */
  async list(path = "/", options: { signal?: AbortSignal } = {}): Promise<IsoEntry[]> {
    throwIfAborted(options.signal, "UDF list");
    const reading = this.newReading();
    const dir = await this.lookupDir(path, reading);
    return (await this.listIcb(dir.icb, dir.icbWhere, reading)).map((x) => x.entry);
  }

  async stat(path: string, options: { signal?: AbortSignal } = {}): Promise<IsoEntry> {
    throwIfAborted(options.signal, "UDF stat");
    const parts = path.split("/").filter((p) => p !== "" && p !== ".");
    const name = parts.pop();
    if (name === undefined) {
      const { entry } = await this.toEntry("", "", FILE_CHARACTERISTICS.directory, this.rootIcb(), undefined, this.newReading());
      return entry;
    }
    const hit = (await this.list("/" + parts.join("/"))).find((e) => e.name === name);
    if (!hit) throw new InvalidArgumentError("path", `${path} is not in the image`);
    return hit;
  }

  /** Every entry, depth first, parents before children. A directory ICB met twice is an error. */
  async *walk(options: { signal?: AbortSignal } = {}): AsyncGenerator<[string, IsoEntry]> {
    const root = this.rootIcb();
    const seen = new Set<string>([`${root.location.partitionReferenceNumber}:${root.location.logicalBlockNumber}`]);
    const stack: { path: string; icb: LongAd; icbWhere: number }[] = [{ path: "", icb: root, icbWhere: this.rootWhere }];
    const reading = this.newReading();
    while (stack.length > 0) {
      throwIfAborted(options.signal, "UDF walk");
      const d = stack.pop()!;
      const items = await this.listIcb(d.icb, d.icbWhere, reading);
      const subdirs: typeof stack = [];
      for (const { entry, key, icb, icbWhere } of items) {
        const p = `${d.path}/${entry.name}`;
        yield [p, entry];
        if (entry.type === "directory") {
          if (seen.has(key)) throw new MalformedDataError("ECMA-167 4/8.6 directory hierarchy", icbWhere, `${p} reuses a directory ICB (a cycle or a shared directory)`);
          seen.add(key);
          if (seen.size > this.options.maxDirectories) throw new MalformedDataError("ECMA-167 4/8.6 directory hierarchy", icbWhere, `more than ${this.options.maxDirectories} directories`);
          subdirs.push({ path: p, icb, icbWhere });
        }
      }
      stack.push(...subdirs.reverse());
    }
  }

  /** Streams a file's bytes (holes read as zeros). */
  async *read(entry: IsoEntry, options: { signal?: AbortSignal; chunkSize?: number } = {}): AsyncGenerator<Uint8Array> {
    if (entry.type !== "file") throw new InvalidArgumentError("read", `${entry.name} is not a regular file`);
    // An entry this reader listed keeps its holes and embedded data; any other is read by its extents.
    const info = this.pieces.get(entry);
    if (info?.embedded) {
      yield info.embedded;
      return;
    }
    const pieces: readonly UdfPiece[] = info?.pieces ?? entry.extents;
    const chunkSectors = Math.max(1, Math.floor((options.chunkSize ?? 1 << 20) / BLOCK_SIZE));
    for (const p of pieces) {
      if (p.lba !== undefined) this.checkRange(p.lba, Math.ceil(p.length / BLOCK_SIZE), "file extent", p.lba * BLOCK_SIZE);
      const sectors = Math.ceil(p.length / BLOCK_SIZE);
      for (let i = 0; i < sectors; i += chunkSectors) {
        throwIfAborted(options.signal, "UDF read");
        const n = Math.min(chunkSectors, sectors - i);
        const left = p.length - i * BLOCK_SIZE;
        const bytes = p.lba === undefined ? new Uint8Array(n * BLOCK_SIZE) : await this.source.readSectors(p.lba + i, n);
        yield left < bytes.length ? bytes.subarray(0, left) : bytes;
      }
    }
  }

  async readFile(path: string, options: { signal?: AbortSignal; maxBytes?: number } = {}): Promise<Uint8Array> {
    const entry = await this.stat(path);
    const max = options.maxBytes ?? 256 << 20;
    if (entry.size > max) throw new InvalidArgumentError("readFile", `${path} has ${entry.size} bytes, over the ${max}-byte limit; use read()`);
    const out = new Uint8Array(entry.size);
    let off = 0;
    for await (const chunk of this.read(entry, options)) {
      out.set(chunk, off);
      off += chunk.length;
    }
    return out;
  }
}

function trim(pieces: UdfPiece[], length: number): UdfPiece[] {
  const out: UdfPiece[] = [];
  let left = length;
  for (const p of pieces) {
    if (left <= 0) break;
    const n = Math.min(p.length, left);
    out.push({ lba: p.lba, length: n });
    left -= n;
  }
  return out;
}

async function readVds(src: BlockSource, location: number, length: number): Promise<{ pvd: PrimaryVolumeDescriptor; lvd: LogicalVolumeDescriptor; lvdWhere: number; partitions: PartitionDescriptor[]; partitionWhere: number[] }> {
  const structure = "ECMA-167 3/8.4 volume descriptor sequence";
  const sectors = Math.min(Math.ceil(length / BLOCK_SIZE), MAX_VDS_SECTORS);
  if (sectors === 0) throw new MalformedDataError(structure, location * BLOCK_SIZE, "empty extent");
  if (src.sectorCount !== undefined && location + sectors > src.sectorCount) throw new MalformedDataError(structure, location * BLOCK_SIZE, `extent of ${sectors} sectors runs past the volume end`);
  const bytes = await src.readSectors(location, sectors);
  let pvd: PrimaryVolumeDescriptor | undefined;
  let lvd: LogicalVolumeDescriptor | undefined;
  let lvdWhere = 0;
  const partitions: PartitionDescriptor[] = [];
  const partitionWhere: number[] = [];
  for (let i = 0; i < sectors; i++) {
    const off = i * BLOCK_SIZE;
    const where = (location + i) * BLOCK_SIZE;
    const sector = bytes.subarray(off, off + BLOCK_SIZE);
    if (!looksLikeTag(sector, 0)) break;
    const id = decodeTag(sector, 0).tagIdentifier;
    if (id === TAG_IDENTIFIERS.terminatingDescriptor) break;
    if (id === TAG_IDENTIFIERS.primaryVolumeDescriptor) pvd ??= PrimaryVolumeDescriptorCodec.decode(sector, 0, where);
    else if (id === TAG_IDENTIFIERS.logicalVolumeDescriptor && !lvd) {
      lvd = LogicalVolumeDescriptorCodec.decode(sector, 0, where);
      lvdWhere = where;
    } else if (id === TAG_IDENTIFIERS.partitionDescriptor) {
      const pd = PartitionDescriptorCodec.decode(sector, 0, where);
      if (partitions.length < 64 && !partitions.some((p) => p.partitionNumber === pd.partitionNumber)) {
        partitions.push(pd);
        partitionWhere.push(where);
      }
    }
  }
  if (!pvd) throw new MalformedDataError("ECMA-167 3/10.1 primary volume descriptor", location * BLOCK_SIZE, "missing from the volume descriptor sequence");
  if (!lvd) throw new MalformedDataError("ECMA-167 3/10.6 logical volume descriptor", location * BLOCK_SIZE, "missing from the volume descriptor sequence");
  if (partitions.length === 0) throw new MalformedDataError("ECMA-167 3/10.5 partition descriptor", location * BLOCK_SIZE, "missing from the volume descriptor sequence");
  return { pvd, lvd, lvdWhere, partitions, partitionWhere };
}
