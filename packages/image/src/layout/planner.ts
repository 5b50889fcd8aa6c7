/**
 * Plan, then write: every extent of the image gets its LBA here, before a single byte is produced
 * (the way libisofs computes data blocks before writing). The result, an `ImagePlan`, knows its
 * `sectorCount`, can say whether it fits a medium, and streams the image (writer.ts).
 *
 * LBA order (relative to `startLba`): system area 0-15, PVD 16, extension descriptors, Joliet SVD,
 * ISO 9660:1999 EVD, terminator, extents placed after the descriptors, path tables (ISO L, ISO M,
 * Joliet L, Joliet M), ISO directories, Joliet directories, Rock Ridge continuation areas,
 * extents placed before files, file data, extents placed after files.
 */
import { InternalError, InvalidArgumentError } from "@discforge/errors";
import { encodeUtf8 } from "@discforge/bytes";
import { RecordedContent, type ContentSource } from "../content.js";
import { NameNotRepresentableError, ImageTooLargeError } from "../errors.js";
import type { DirectoryNode, FileData, FileNode, FileSystemImage, NodeMetadata, TreeNode } from "../tree.js";
import { directoryRecordSize, FILE_FLAGS, systemUseOffset } from "../iso9660/directory-record.js";
import { compareIsoIdentifiers, compareJoliet, mapIsoIdentifiers, mapJolietIdentifiers, type InterchangeLevel, type NonBmpPolicy } from "../iso9660/names.js";
import { pathTableRecordSize } from "../iso9660/path-table.js";
import { CE_ENTRY_SIZE, encodeER, encodeSP } from "../iso9660/susp.js";
import { encodeNM, encodeNMInto, encodePN, encodePX, encodePXInto, encodeRE, encodeRR, encodeSL, encodeTF, RR_FLAGS, RRIP_IDENTIFIERS, S_IF } from "../iso9660/rrip.js";
import { SECTOR_SIZE } from "../iso9660/volume-descriptor.js";
import type { ExtensionContext, ExtentPlacement, ExtentSpec, FileExtent, ImageLayout, LayoutExtension, PlannedExtent } from "./extension.js";
import { udfExtension, type UdfOptions } from "../udf/builder.js";

export interface IsoPlanOptions {
  /** ECMA-119 interchange level, or "1999" for ISO 9660:1999 (adds an enhanced volume descriptor). Default 3. */
  readonly level?: InterchangeLevel;
  /** ";1" after ISO 9660 file identifiers (ignored at level 1999). Default true. */
  readonly versionSuffix?: boolean;
  /** Joliet tree: false, true (64 characters) or options. Default true. */
  readonly joliet?: boolean | { readonly maxLength?: 64 | 103; readonly nonBmp?: NonBmpPolicy; readonly versionSuffix?: boolean };
  /** Rock Ridge: false, "1.12" (PX with serial numbers, ER IEEE_P1282) or "1.10" (ER RRIP_1991A, RR entries). Default "1.12". */
  readonly rockRidge?: false | "1.12" | "1.10";
  /**
   * Directories deeper than 8 levels: "relocate" (Rock Ridge RE/CL/PL into a root ".rr_moved";
   * needs Rock Ridge), "allow" (record them in place, as ISO 9660:1999 permits), or "error".
   * Default "relocate" with Rock Ridge, "allow" at level 1999, else "error".
   */
  readonly deepDirectories?: "relocate" | "allow" | "error";
  /** First LBA of this session (multisession: the next writable address). Default 0. */
  readonly startLba?: number;
  readonly extensions?: readonly LayoutExtension[];
  /** Also record a UDF file system sharing the file data (true: the default revision). Default false. */
  readonly udf?: boolean | UdfOptions;
}

export interface ResolvedOptions {
  readonly level: InterchangeLevel;
  readonly versionSuffix: boolean;
  readonly joliet: false | { readonly maxLength: 64 | 103; readonly nonBmp: NonBmpPolicy; readonly versionSuffix: boolean };
  readonly rockRidge: false | "1.12" | "1.10";
  readonly deepDirectories: "relocate" | "allow" | "error";
  readonly startLba: number;
}

/** A System Use entry whose value is only known at write time (a directory LBA). */
export interface LinkEntry {
  readonly signature: "CL" | "PL";
  readonly dir: IsoDirPlan;
}
export type SuaEntry = Uint8Array | LinkEntry;

export interface SuaPlan {
  /** Entries recorded in the directory record itself. */
  readonly inline: SuaEntry[];
  /** Entries moved to a continuation area (a CE entry is appended inline). */
  readonly continued: readonly SuaEntry[];
  continuation: { block: number; offset: number; length: number } | undefined;
  readonly inlineSize: number;
}

/** A file's content in the plan: one extent (or several sections) shared by all its names. */
export interface DataPlan {
  readonly data: FileData;
  /** The first name planned for this content: its image path (`nodePath`) names it in progress and errors. */
  readonly node: FileNode;
  source: ContentSource;
  readonly size: number;
  lba: number;
  sections: { lba: number; length: number }[];
  readonly serial: number;
  /** Names (hard links) in the ISO 9660 tree: the Rock Ridge PX link count. */
  links: number;
  /** Recorded in an earlier session: not written, LBA fixed. */
  readonly recorded: boolean;
  wrap: ((original: ContentSource, layout: ImageLayout, extent: FileExtent) => ContentSource) | undefined;
}

export function nodePath(node: TreeNode): string {
  let path = "";
  for (let n: TreeNode | undefined = node; n && n.parent; n = n.parent) path = `/${n.name}${path}`;
  return path;
}

export interface IsoEntryPlan {
  /** The record's identifier, one byte per character (d- or d1-characters). */
  readonly identifier: string;
  readonly node: TreeNode | undefined;
  readonly flags: number;
  readonly dir: IsoDirPlan | undefined;
  readonly data: DataPlan | undefined;
  /**
   * The record's System Use entries. Undefined when it holds the usual Rock Ridge set (PX, TF,
   * NM), which the writer encodes in place (`encodeUsualRr`), or nothing when `suaSize` is 0.
   */
  readonly sua: SuaPlan | undefined;
  /** Bytes of System Use in the record itself. */
  readonly suaSize: number;
  /** Size of all this entry's records (one per multi-extent section). */
  readonly recordSize: number;
  /** Where the name and extension parts of `identifier` lie, for record order (names.ts `compareIsoIdentifiers`). */
  readonly sortKey: number;
}

export interface IsoDirPlan {
  readonly node: DirectoryNode;
  parent: IsoDirPlan | undefined;
  /** The parent before relocation (for PL); equals parent otherwise. */
  readonly realParent: IsoDirPlan | undefined;
  identifier: Uint8Array;
  entries: IsoEntryPlan[];
  depth: number;
  relocated: boolean;
  number: number;
  lba: number;
  size: number;
  selfSua: SuaPlan;
  parentSua: SuaPlan;
  readonly serial: number;
  readonly subdirs: number;
  /** Sectors of Rock Ridge continuation areas right after the directory extent. */
  continuationSectors: number;
}

export interface JolietEntryPlan {
  /** The record's identifier as UTF-16 code units (recorded big-endian, two bytes each); also the sort key. */
  readonly identifier: string;
  readonly node: TreeNode;
  readonly flags: number;
  readonly dir: JolietDirPlan | undefined;
  readonly data: DataPlan | undefined;
  readonly recordSize: number;
}

/**
 * Every entry plan, ISO 9660 and Joliet, is made by these two with the same fields in the same
 * order: one object shape, so the code that reads entries (extent sizes, record order, the
 * writer's encoders) meets a single shape and V8 does not compile it again for each new one.
 */
function isoEntry(identifier: string, node: TreeNode | undefined, flags: number, dir: IsoDirPlan | undefined, data: DataPlan | undefined, sua: SuaPlan | undefined, suaSize: number, recordSize: number, sortKey: number): IsoEntryPlan {
  return { identifier, node, flags, dir, data, sua, suaSize, recordSize, sortKey };
}

function jolietEntry(identifier: string, node: TreeNode, flags: number, dir: JolietDirPlan | undefined, data: DataPlan | undefined, recordSize: number): JolietEntryPlan {
  const e = { identifier, node, flags, dir, data, sua: undefined, suaSize: 0, recordSize, sortKey: 0 };
  return e;
}

export interface JolietDirPlan {
  readonly node: DirectoryNode;
  readonly parent: JolietDirPlan | undefined;
  readonly identifier: Uint8Array;
  entries: JolietEntryPlan[];
  number: number;
  lba: number;
  size: number;
}

export interface ReservedExtent extends PlannedExtent {
  lba: number;
  size: number;
  sectors: number;
  readonly resize?: ExtentSpec["resize"];
  readonly placement: ExtentPlacement | "descriptor";
  readonly write: ExtentSpec["write"];
}

export interface PathTablePlan {
  readonly size: number;
  lLba: number;
  mLba: number;
  readonly sectors: number;
}

export interface PlanInternals {
  readonly image: FileSystemImage;
  readonly options: ResolvedOptions;
  readonly isoDirs: IsoDirPlan[];
  readonly jolietDirs: JolietDirPlan[];
  readonly isoPathTable: PathTablePlan;
  readonly jolietPathTable: PathTablePlan | undefined;
  readonly files: DataPlan[];
  readonly reserved: ReservedExtent[];
  readonly systemArea: ((layout: ImageLayout) => Uint8Array) | undefined;
  readonly pvdLba: number;
  readonly jolietSvdLba: number | undefined;
  readonly evdLba: number | undefined;
  readonly terminatorLba: number;
  readonly sectorCount: number;
  readonly rrDate: Date;
  readonly volumeMeta: NodeMetadata;
}

/** Largest section of a multi-extent file: the largest multiple of 2048 below 2^32. */
export const MAX_SECTION = 0xffff_f800;
const MAX_RECORD = 254;

/** Directory records a file needs: one per section; data recorded earlier keeps its own sections. */
function sectionCount(d: DataPlan): number {
  return Math.max(1, d.recorded ? d.sections.length : Math.ceil(d.size / MAX_SECTION));
}

/**
 * Bytes of a directory extent: "." and ".." (`selfAndParent` bytes), then each entry's records
 * (one per section), none crossing a sector boundary (ECMA-119 6.8.1.1).
 */
function directoryExtentSize(selfAndParent: number, entries: readonly { readonly data: DataPlan | undefined; readonly recordSize: number }[]): number {
  let used = selfAndParent;
  let sectors = 1;
  for (const e of entries) {
    const recs = e.data ? sectionCount(e.data) : 1;
    const one = e.recordSize / recs;
    for (let r = 0; r < recs; r++) {
      if (used + one > SECTOR_SIZE * sectors) {
        used = SECTOR_SIZE * sectors;
        sectors++;
      }
      used += one;
    }
  }
  return sectors * SECTOR_SIZE;
}

function resolveOptions(o: IsoPlanOptions): ResolvedOptions {
  const level = o.level ?? 3;
  if (![1, 2, 3, "1999"].includes(level)) throw new InvalidArgumentError("level", `${String(level)} is not 1, 2, 3 or "1999"`);
  const rockRidge = o.rockRidge === undefined ? "1.12" : o.rockRidge;
  const j = o.joliet === undefined ? true : o.joliet;
  const joliet = j === false ? false : { maxLength: (j === true ? undefined : j.maxLength) ?? 64, nonBmp: (j === true ? undefined : j.nonBmp) ?? "replace", versionSuffix: (j === true ? undefined : j.versionSuffix) ?? true };
  const deep = o.deepDirectories ?? (rockRidge ? "relocate" : level === "1999" ? "allow" : "error");
  if (deep === "relocate" && !rockRidge) throw new InvalidArgumentError("deepDirectories", '"relocate" needs Rock Ridge');
  const startLba = o.startLba ?? 0;
  if (!Number.isInteger(startLba) || startLba < 0) throw new InvalidArgumentError("startLba", `${startLba} is not a sector address`);
  return { level, versionSuffix: o.versionSuffix ?? true, joliet, rockRidge, deepDirectories: deep, startLba };
}

function sectorsFor(bytes: number): number {
  return Math.ceil(bytes / SECTOR_SIZE);
}

// Identifiers and joined System Use areas are small and numerous: Buffer.allocUnsafe takes them
// from Node's shared pool instead of giving each its own ArrayBuffer. Every byte is written.
const ascii = (s: string): Uint8Array => {
  const out = Buffer.allocUnsafe(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
};
const ucs2 = (s: string): Uint8Array => {
  const out = Buffer.allocUnsafe(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[2 * i] = c >>> 8;
    out[2 * i + 1] = c & 0xff;
  }
  return out;
};

/** Shared empty lists: one object for every record that has none, instead of one per record. */
const NO_ENTRIES: readonly SuaEntry[] = Object.freeze([]);
const NO_SECTIONS: readonly { lba: number; length: number }[] = Object.freeze([]);

/** UTF-8 length of a name: ASCII counted here, anything else natively (a lone surrogate counts as U+FFFD, as encodeUtf8 writes it). */
function utf8Length(s: string): number {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return Buffer.byteLength(s, "utf8");
  return s.length;
}

function entrySize(e: SuaEntry): number {
  return e instanceof Uint8Array ? e.length : 12;
}

/** Splits entries between the record and a continuation area so the record stays within 254 bytes. */
function planSua(entries: SuaEntry[], identifierLength: number): SuaPlan {
  const avail = MAX_RECORD - systemUseOffset(identifierLength);
  const total = entries.reduce((n, e) => n + entrySize(e), 0);
  if (total <= avail) {
    // One array per record instead of one per entry: far fewer objects for large trees.
    if (entries.length > 1 && entries.every((e) => e instanceof Uint8Array)) {
      const joined = Buffer.allocUnsafe(total);
      let off = 0;
      for (const e of entries as Uint8Array[]) {
        joined.set(e, off);
        off += e.length;
      }
      return { inline: [joined], continued: NO_ENTRIES, continuation: undefined, inlineSize: total };
    }
    return { inline: entries, continued: NO_ENTRIES, continuation: undefined, inlineSize: total };
  }
  const inline: SuaEntry[] = [];
  let used = 0;
  let i = 0;
  for (; i < entries.length; i++) {
    const n = entrySize(entries[i]!);
    if (used + n > avail - CE_ENTRY_SIZE) break;
    inline.push(entries[i]!);
    used += n;
  }
  const continued = entries.slice(i);
  const contLen = continued.reduce((n, e) => n + entrySize(e), 0);
  if (contLen > SECTOR_SIZE) throw new NameNotRepresentableError("(system use)", `Rock Ridge entries of ${contLen} bytes exceed one continuation block`);
  return { inline, continued, continuation: { block: 0, offset: 0, length: contLen }, inlineSize: used + CE_ENTRY_SIZE };
}

/** Fixed bytes of the usual Rock Ridge set: RR (1.10 only), PX, TF with three dates, NM's header. */
const USUAL_SIZES = { "1.12": { fixed: 44 + 26 + 5 }, "1.10": { fixed: 5 + 36 + 26 + 5 } } as const;

/**
 * Bytes of the usual Rock Ridge set of a record (PX, TF with modify/access/attributes, one NM),
 * or undefined when the name needs more than one NM. Encodes TF so out-of-range dates fail here.
 */
function usualRrSize(rr: "1.12" | "1.10", node: FileNode | DirectoryNode, dates: CheckedDates): number | undefined {
  const name = node.name;
  const nameLength = utf8Length(name);
  if (nameLength > 250) return undefined;
  const meta = node.meta;
  // Trees share Date objects (one per second from disk): encode a set only when it differs from the last one checked.
  if (meta.mtime !== dates.m || meta.atime !== dates.a || meta.ctime !== dates.c) {
    const tf = encodeTF({ modify: meta.mtime, access: meta.atime, attributes: meta.ctime });
    if (tf.length !== 26) throw new InternalError(`TF entry of ${tf.length} bytes, expected 26`);
    dates.m = meta.mtime;
    dates.a = meta.atime;
    dates.c = meta.ctime;
  }
  return USUAL_SIZES[rr].fixed + nameLength;
}

/** The last modify/access/attributes dates whose TF encoding was checked, by identity (one plan: nothing mutates them meanwhile). */
interface CheckedDates {
  m: Date | undefined;
  a: Date | undefined;
  c: Date | undefined;
}

/**
 * Writes the usual Rock Ridge set of a record into `out` at `off`: the bytes `rrEntries` would
 * give (RR under 1.10, PX, TF, NM), straight into the directory extent. Returns the bytes written.
 */
export function encodeUsualRr(rr: "1.12" | "1.10", node: FileNode | DirectoryNode, links: number, serial: number, out: Uint8Array, off: number): number {
  const start = off;
  const meta = node.meta;
  if (rr === "1.10") {
    out.set(encodeRR(RR_FLAGS.PX | RR_FLAGS.TF | RR_FLAGS.NM), off);
    off += 5;
  }
  const typeBits = node.kind === "directory" ? S_IF.directory : S_IF.regular;
  off += encodePXInto({ mode: typeBits | (meta.mode & 0o7777), links, uid: meta.uid, gid: meta.gid, serial }, rr === "1.12", out, off);
  const tf = encodeTF({ modify: meta.mtime, access: meta.atime, attributes: meta.ctime });
  out.set(tf, off);
  off += tf.length;
  const name = node.name;
  if (utf8Length(name) === name.length) {
    out[off] = 0x4e; // NM, as encodeNMInto writes it
    out[off + 1] = 0x4d;
    out[off + 2] = 5 + name.length;
    out[off + 3] = 1;
    out[off + 4] = 0;
    for (let i = 0; i < name.length; i++) out[off + 5 + i] = name.charCodeAt(i);
    off += 5 + name.length;
  } else off += encodeNMInto(encodeUtf8(name), out, off);
  return off - start;
}

/**
 * DataPlan as the planner builds it. A file of one section (all but files over 4 GiB) keeps no
 * list: `sections` gives a fresh one-element list from `lba` and `size` once LBAs are placed.
 */
class PlannedData implements DataPlan {
  lba = 0;
  links = 1;
  wrap: DataPlan["wrap"] = undefined;
  /** The sections when listed: the shared empty list until LBAs are placed, undefined for one section after. */
  private list: { lba: number; length: number }[] | undefined = NO_SECTIONS as { lba: number; length: number }[];
  constructor(
    readonly data: FileData,
    readonly node: FileNode,
    public source: ContentSource,
    readonly size: number,
    readonly serial: number,
    readonly recorded: boolean,
  ) {}
  get sections(): { lba: number; length: number }[] {
    return this.list ?? [{ lba: this.lba, length: this.size }];
  }
  set sections(list: { lba: number; length: number }[]) {
    this.list = list;
  }
  /** LBAs placed: one section from here on unless a list is set. */
  placeSingle(): void {
    this.list = undefined;
  }
}

export class Planner {
  private readonly o: ResolvedOptions;
  private readonly files = new Map<FileData, PlannedData>();
  private readonly fileOrder: PlannedData[] = [];
  private serial = 1;
  private readonly reserved: ReservedExtent[] = [];
  private systemArea: ((layout: ImageLayout) => Uint8Array) | undefined;
  private readonly first: FileNode[] = [];
  private readonly wraps = new Map<FileNode, NonNullable<DataPlan["wrap"]>>();
  private readonly rrDate: Date;
  /** Names per file content, counted when first needed (Rock Ridge sets built at plan time). */
  private linkCounts: Map<FileData, number> | undefined;
  private readonly checkedDates: CheckedDates = { m: undefined, a: undefined, c: undefined };

  constructor(
    private readonly image: FileSystemImage,
    options: IsoPlanOptions,
  ) {
    this.o = resolveOptions(options);
    this.rrDate = image.volume.created ?? image.root.meta.mtime;
    // UDF goes first so its recognition sequence directly follows the ISO descriptor terminator.
    const udf = options.udf ? [udfExtension(image, options.udf === true ? {} : options.udf)] : [];
    for (const ext of [...udf, ...(options.extensions ?? [])]) ext.plan(this.extensionContext());
  }

  private linkCount(data: FileData): number {
    if (!this.linkCounts) {
      const counts = new Map<FileData, number>();
      const count = (dir: DirectoryNode): void => {
        for (const node of dir.children.values()) {
          if (node.kind === "file") counts.set(node.data, (counts.get(node.data) ?? 0) + 1);
          else if (node.kind === "directory") count(node);
        }
      };
      count(this.image.root);
      this.linkCounts = counts;
    }
    return this.linkCounts.get(data) ?? 1;
  }

  private extensionContext(): ExtensionContext {
    const reserve = (name: string, size: number, placement: ReservedExtent["placement"], write: ExtentSpec["write"]): ReservedExtent => {
      if (!Number.isSafeInteger(size) || size < 0) throw new InvalidArgumentError("extent size", `${size} for ${name}`);
      const r: ReservedExtent = { name, sectors: sectorsFor(size), size, placement, write, lba: -1 };
      this.reserved.push(r);
      return r;
    };
    return {
      image: this.image,
      addVolumeDescriptor: (name, write) => reserve(name, SECTOR_SIZE, "descriptor", write),
      addExtent: (spec) => {
        const r = reserve(spec.name, spec.size, spec.placement, spec.write);
        return spec.resize ? Object.assign(r, { resize: spec.resize }) : r;
      },
      setSystemArea: (write) => {
        if (this.systemArea) throw new InvalidArgumentError("system area", "already provided by another extension");
        this.systemArea = write;
      },
      transformContent: (file, wrap) => this.wraps.set(file, wrap),
      placeFirst: (file) => this.first.push(file),
    };
  }

  private dataFor(node: FileNode): PlannedData {
    let d = this.files.get(node.data);
    if (d) {
      d.links++;
      return d;
    }
    // Sources are verified when they are opened for writing (size and modification time), so
    // the plan does not stat every file a second time.
    const source = node.data.source;
    const size = source.size;
    if (size > MAX_SECTION && this.o.level !== 3 && this.o.level !== "1999") {
      throw new InvalidArgumentError("file size", `${nodePath(node)} has ${size} bytes; files of 4 GiB and more need interchange level 3 (multi-extent)`);
    }
    const recorded = source instanceof RecordedContent;
    // Sections are assigned with the LBAs; until then all files share one empty list.
    d = new PlannedData(node.data, node, source, size, this.serial++, recorded);
    if (recorded) {
      d.sections = source.extents.map((e) => ({ ...e }));
      d.lba = d.sections[0]?.lba ?? 0;
    }
    this.files.set(node.data, d);
    this.fileOrder.push(d);
    return d;
  }

  private rrEntries(node: TreeNode, meta: NodeMetadata, links: number, serial: number, name: string | undefined, extra: SuaEntry[] = []): SuaEntry[] {
    const rr = this.o.rockRidge;
    if (!rr) return extra;
    const typeBits = node.kind === "directory" ? S_IF.directory : node.kind === "file" ? S_IF.regular : node.kind === "symlink" ? S_IF.symlink : node.type === "char" ? S_IF.char : node.type === "block" ? S_IF.block : node.type === "fifo" ? S_IF.fifo : S_IF.socket;
    const out: SuaEntry[] = [];
    let flags = RR_FLAGS.PX | RR_FLAGS.TF;
    out.push(encodePX({ mode: typeBits | (meta.mode & 0o7777), links, uid: meta.uid, gid: meta.gid, serial }, rr === "1.12"));
    out.push(encodeTF({ modify: meta.mtime, access: meta.atime, attributes: meta.ctime }));
    if (node.kind === "device" && (node.type === "char" || node.type === "block")) {
      out.push(encodePN(node.major, node.minor));
      flags |= RR_FLAGS.PN;
    }
    if (name !== undefined) {
      const bytes = encodeUtf8(name);
      if (bytes.length > 255) throw new NameNotRepresentableError(name, `Rock Ridge names are limited to 255 bytes, this one has ${bytes.length}`);
      out.push(...encodeNM(bytes));
      flags |= RR_FLAGS.NM;
    }
    if (node.kind === "symlink") {
      out.push(...encodeSL(encodeUtf8(node.target)));
      flags |= RR_FLAGS.SL;
    }
    for (const e of extra) {
      if (!(e instanceof Uint8Array)) flags |= e.signature === "CL" ? RR_FLAGS.CL : RR_FLAGS.PL;
      else if (e[0] === 0x52 && e[1] === 0x45) flags |= RR_FLAGS.RE;
    }
    return rr === "1.10" ? [encodeRR(flags), ...out, ...extra] : [...out, ...extra];
  }

  /**
   * The System Use size of a file's or directory's record when it is the usual Rock Ridge set and
   * fits the record (left to `encodeUsualRr` at write time: no buffer per record in the plan), 0
   * without Rock Ridge, else -1 (`fullSua` gives the entries). Dates are encoded here once per
   * distinct set so a bad one fails the plan.
   */
  private usualSuaSize(node: FileNode | DirectoryNode, identifierLength: number): number {
    const rr = this.o.rockRidge;
    if (!rr) return 0;
    const size = usualRrSize(rr, node, this.checkedDates);
    return size !== undefined && size <= MAX_RECORD - systemUseOffset(identifierLength) ? size : -1;
  }

  /** The System Use of a record that is not the usual Rock Ridge set (`usualSuaSize` gave -1). */
  private fullSua(node: FileNode | DirectoryNode, serial: number, identifierLength: number): SuaPlan {
    // Only here are link counts needed at plan time: a directory's from its subdirectories, a file's from the tree.
    const links = node.kind === "directory" ? 2 + [...node.children.values()].filter((c) => c.kind === "directory").length : this.linkCount(node.data);
    return planSua(this.rrEntries(node, node.meta, links, serial, node.name), identifierLength);
  }

  private isoNameOptions(): { level: InterchangeLevel; versionSuffix: boolean; maxLength1999: number } {
    // With Rock Ridge a record keeps room for PX (44 bytes) and CE (28) inline: readers such as
    // pycdlib take the Rock Ridge version from the PX they find in the record. 254 - 33 - 72 - 1.
    return { level: this.o.level, versionSuffix: this.o.versionSuffix, maxLength1999: this.o.rockRidge ? 148 : 207 };
  }

  private buildIsoDir(node: DirectoryNode, parent: IsoDirPlan | undefined, identifier: Uint8Array, depth: number): IsoDirPlan {
    const children = [...node.children.values()];
    let subdirs = 0;
    for (let i = 0; i < children.length; i++) if (children[i]!.kind === "directory") subdirs++;
    const dir: IsoDirPlan = {
      node,
      parent,
      realParent: parent,
      identifier,
      entries: [],
      depth,
      relocated: false,
      number: 0,
      lba: 0,
      size: 0,
      selfSua: planSua([], 1),
      parentSua: planSua([], 1),
      serial: this.serial++,
      subdirs,
      continuationSectors: 0,
    };
    const { identifiers, sortKeys } = mapIsoIdentifiers(children, this.isoNameOptions());
    for (let i = 0; i < children.length; i++) {
      const child = children[i]!;
      const id = identifiers[i]!;
      const m = sortKeys[i]!;
      let flags = (child.meta.hidden ? FILE_FLAGS.hidden : 0) | (child.meta.associated ? FILE_FLAGS.associated : 0);
      if (child.kind === "directory") {
        flags |= FILE_FLAGS.directory;
        const sub = this.buildIsoDir(child, dir, ascii(id), depth + 1);
        const usual = this.usualSuaSize(child, id.length);
        const sua = usual < 0 ? this.fullSua(child, sub.serial, id.length) : undefined;
        const suaSize = sua ? sua.inlineSize : usual;
        dir.entries.push(isoEntry(id, child, flags, sub, undefined, sua, suaSize, directoryRecordSize(id.length, suaSize), m));
      } else if (child.kind === "file") {
        const data = this.dataFor(child);
        const usual = this.usualSuaSize(child, id.length);
        const sua = usual < 0 ? this.fullSua(child, data.serial, id.length) : undefined;
        const suaSize = sua ? sua.inlineSize : usual;
        const sections = sectionCount(data);
        dir.entries.push(isoEntry(id, child, flags, undefined, data, sua, suaSize, sections * directoryRecordSize(id.length, suaSize), m));
      } else {
        if (!this.o.rockRidge) continue; // symlinks and devices exist only in Rock Ridge
        const sua = planSua(this.rrEntries(child, child.meta, 1, this.serial++, child.name), id.length);
        dir.entries.push(isoEntry(id, child, flags, undefined, undefined, sua, sua.inlineSize, directoryRecordSize(id.length, sua.inlineSize), m));
      }
    }
    return dir;
  }

  private relocate(root: IsoDirPlan): void {
    const deep: IsoDirPlan[] = [];
    const visit = (d: IsoDirPlan): void => {
      for (const e of d.entries) {
        if (!e.dir) continue;
        e.dir.depth = d.depth + 1;
        if (e.dir.depth > 8) deep.push(e.dir);
        else visit(e.dir);
      }
    };
    visit(root);
    if (deep.length === 0) return;
    if (this.o.deepDirectories === "error") {
      throw new InvalidArgumentError("deepDirectories", `${deep.length} director${deep.length === 1 ? "y is" : "ies are"} deeper than 8 levels; enable Rock Ridge relocation or allow deep directories`);
    }
    if (this.o.deepDirectories === "allow") {
      const all = (d: IsoDirPlan): void => d.entries.forEach((e) => e.dir && ((e.dir.depth = d.depth + 1), all(e.dir)));
      all(root);
      return;
    }
    // Rock Ridge relocation: a root directory ".rr_moved" receives every directory at level 9;
    // its old parent keeps a file record with CL, the moved directory gets RE and its ".." PL.
    const movedNode: DirectoryNode = { kind: "directory", name: ".rr_moved", parent: root.node, meta: { ...root.node.meta }, children: new Map() };
    const names = mapIsoIdentifiers([...root.node.children.values(), movedNode], this.isoNameOptions());
    const m = names.sortKeys[names.sortKeys.length - 1]!;
    const movedId = names.identifiers[names.identifiers.length - 1]!;
    const moved: IsoDirPlan = { node: movedNode, parent: root, realParent: root, identifier: ascii(movedId), entries: [], depth: 2, relocated: false, number: 0, lba: 0, size: 0, selfSua: planSua([], 1), parentSua: planSua([], 1), serial: this.serial++, subdirs: 0, continuationSectors: 0 };
    const movedSua = planSua(this.rrEntries(movedNode, movedNode.meta, 2, moved.serial, movedNode.name), movedId.length);
    root.entries.push(isoEntry(movedId, movedNode, FILE_FLAGS.directory, moved, undefined, movedSua, movedSua.inlineSize, directoryRecordSize(movedId.length, movedSua.inlineSize), m));
    const queue = [...deep];
    const taken = new Set<string>();
    while (queue.length > 0) {
      const d = queue.shift()!;
      const oldParent = d.parent!;
      const idx = oldParent.entries.findIndex((e) => e.dir === d);
      const old = oldParent.entries[idx]!;
      // Placeholder in the old parent: a zero-length file record carrying CL.
      const clSua = planSua(this.rrEntries(d.node, d.node.meta, 2 + d.subdirs, d.serial, d.node.name, [{ signature: "CL", dir: d }]), old.identifier.length);
      oldParent.entries[idx] = isoEntry(old.identifier, d.node, old.flags & ~FILE_FLAGS.directory, undefined, undefined, clSua, clSua.inlineSize, directoryRecordSize(old.identifier.length, clSua.inlineSize), old.sortKey);
      // Unique identifier inside .rr_moved.
      let key = old.identifier;
      for (let n = 1; taken.has(key); n++) {
        const suffix = String(n).padStart(3, "0");
        const base = key.slice(0, Math.max(1, (this.o.level === 1 ? 8 : 31) - suffix.length));
        key = base.replace(/\d{3}$/, "") + suffix;
      }
      const id = key;
      taken.add(key);
      d.parent = moved;
      d.relocated = true;
      d.identifier = ascii(id);
      const reSua = planSua(this.rrEntries(d.node, d.node.meta, 2 + d.subdirs, d.serial, d.node.name, [encodeRE()]), id.length);
      moved.entries.push(isoEntry(id, d.node, FILE_FLAGS.directory, d, undefined, reSua, reSua.inlineSize, directoryRecordSize(id.length, reSua.inlineSize), key.length * 65536 + key.length));
      // Re-check depth below the moved directory (now at level 3).
      const recheck = (x: IsoDirPlan, depth: number): void => {
        x.depth = depth;
        for (const e of x.entries) {
          if (!e.dir) continue;
          if (depth + 1 > 8) queue.push(e.dir);
          else recheck(e.dir, depth + 1);
        }
      };
      recheck(d, 3);
    }
  }

  private buildJolietDir(node: DirectoryNode, parent: JolietDirPlan | undefined, identifier: Uint8Array, path: string): JolietDirPlan {
    const jo = this.o.joliet;
    if (!jo) throw new InternalError("Joliet tree planned without Joliet");
    const dir: JolietDirPlan = { node, parent, identifier, entries: [], number: 0, lba: 0, size: 0 };
    const children: (FileNode | DirectoryNode)[] = [];
    for (const c of node.children.values()) if (c.kind === "directory" || c.kind === "file") children.push(c);
    const mapped = mapJolietIdentifiers(children, jo);
    for (let i = 0; i < children.length; i++) {
      const child = children[i]!;
      const id = mapped[i]!;
      if (2 * id.length > 255 - 33) throw new NameNotRepresentableError(`${path}/${child.name}`, "Joliet identifier too long");
      const flags = (child.meta.hidden ? FILE_FLAGS.hidden : 0) | (child.meta.associated ? FILE_FLAGS.associated : 0);
      if (child.kind === "directory") {
        const sub = this.buildJolietDir(child, dir, ucs2(id), `${path}/${child.name}`);
        dir.entries.push(jolietEntry(id, child, flags | FILE_FLAGS.directory, sub, undefined, directoryRecordSize(2 * id.length, 0)));
      } else if (child.kind === "file") {
        const data = this.files.get(child.data) ?? this.dataFor(child);
        const sections = sectionCount(data);
        dir.entries.push(jolietEntry(id, child, flags, undefined, data, sections * directoryRecordSize(2 * id.length, 0)));
      }
    }
    // Identifiers mostly keep the order of the names they come from: sort only when they do not.
    const entries = dir.entries;
    let i = 1;
    while (i < entries.length && entries[i - 1]!.identifier <= entries[i]!.identifier) i++;
    if (i < entries.length) entries.sort((a, b) => compareJoliet(a.identifier, b.identifier));
    return dir;
  }

  plan(): ImagePlan {
    const o = this.o;
    const image = this.image;
    const rootIso = this.buildIsoDir(image.root, undefined, Uint8Array.of(0), 1);
    this.relocate(rootIso);
    // Record order (ECMA-119 9.3) and path-table order (9.4: level, parent number, identifier).
    const isoDirs: IsoDirPlan[] = [];
    const bfs = [rootIso];
    while (bfs.length > 0) {
      const d = bfs.shift()!;
      d.entries.sort((a, b) => compareIsoIdentifiers(a.identifier, a.sortKey, b.identifier, b.sortKey));
      d.number = isoDirs.length + 1;
      isoDirs.push(d);
      for (const e of d.entries) if (e.dir && e.dir.parent === d) bfs.push(e.dir);
    }
    if (isoDirs.length > 0xffff) throw new InvalidArgumentError("directories", `${isoDirs.length} directories exceed the 65535 a path table can number`);
    // "." and ".." Rock Ridge entries.
    for (const d of isoDirs) {
      const selfExtra: SuaEntry[] = [];
      let self = this.rrEntries(d.node, d.node.meta, 2 + d.subdirs, d.serial, undefined, selfExtra);
      if (d === rootIso && o.rockRidge) {
        self = [encodeSP(0), ...self, encodeER(o.rockRidge === "1.12" ? RRIP_IDENTIFIERS.v112 : RRIP_IDENTIFIERS.v110)];
      }
      d.selfSua = planSua(self, 1);
      const p = d.realParent ?? d;
      const parentExtra: SuaEntry[] = d.relocated ? [{ signature: "PL", dir: d.realParent! }] : [];
      d.parentSua = planSua(this.rrEntries(p.node, p.node.meta, 2 + p.subdirs, p.serial, undefined, parentExtra), 1);
      d.size = directoryExtentSize(directoryRecordSize(1, d.selfSua.inlineSize) + directoryRecordSize(1, d.parentSua.inlineSize), d.entries);
    }
    // Joliet tree.
    const jolietDirs: JolietDirPlan[] = [];
    if (o.joliet) {
      const rootJ = this.buildJolietDir(image.root, undefined, Uint8Array.of(0), "");
      const q = [rootJ];
      while (q.length > 0) {
        const d = q.shift()!;
        d.number = jolietDirs.length + 1;
        jolietDirs.push(d);
        d.size = directoryExtentSize(2 * directoryRecordSize(1, 0), d.entries);
        for (const e of d.entries) if (e.dir) q.push(e.dir);
      }
    }
    // LBA assignment.
    let lba = o.startLba + 16;
    const pvdLba = lba++;
    for (const r of this.reserved) if (r.placement === "descriptor") r.lba = lba++;
    const jolietSvdLba = o.joliet ? lba++ : undefined;
    const evdLba = o.level === "1999" ? lba++ : undefined;
    const terminatorLba = lba++;
    const place = (p: ExtentPlacement): void => {
      for (const r of this.reserved) {
        if (r.placement !== p) continue;
        r.lba = lba;
        if (r.resize) {
          r.size = r.resize(lba, o.startLba);
          r.sectors = sectorsFor(r.size);
        }
        lba += r.sectors;
      }
    };
    place("afterDescriptors");
    const ptSize = (dirs: { identifier: Uint8Array }[]): number => dirs.reduce((n, d) => n + pathTableRecordSize(d.identifier.length), 0);
    const isoPt = ptSize(isoDirs);
    const isoPathTable: PathTablePlan = { size: isoPt, sectors: sectorsFor(isoPt), lLba: 0, mLba: 0 };
    isoPathTable.lLba = lba;
    lba += isoPathTable.sectors;
    isoPathTable.mLba = lba;
    lba += isoPathTable.sectors;
    let jolietPathTable: PathTablePlan | undefined;
    if (o.joliet) {
      const size = ptSize(jolietDirs);
      jolietPathTable = { size, sectors: sectorsFor(size), lLba: lba, mLba: 0 };
      lba += jolietPathTable.sectors;
      jolietPathTable.mLba = lba;
      lba += jolietPathTable.sectors;
    }
    // Each directory's Rock Ridge continuation areas follow its extent directly (readers such
    // as libarchive only pick them up there), packed in order and never across a block.
    for (const d of isoDirs) {
      d.lba = lba;
      lba += d.size / SECTOR_SIZE;
      let block = -1;
      let off = SECTOR_SIZE;
      const placeCont = (s: SuaPlan): void => {
        if (!s.continuation) return;
        if (off + s.continuation.length > SECTOR_SIZE) {
          block++;
          off = 0;
        }
        s.continuation.block = lba + block;
        s.continuation.offset = off;
        off += s.continuation.length;
      };
      placeCont(d.selfSua);
      placeCont(d.parentSua);
      for (const e of d.entries) if (e.sua) placeCont(e.sua);
      d.continuationSectors = block + 1;
      lba += d.continuationSectors;
    }
    for (const d of jolietDirs) {
      d.lba = lba;
      lba += d.size / SECTOR_SIZE;
    }
    place("beforeFiles");
    // File data: requested files first, then in tree order.
    const firstData = this.first.map((f) => this.files.get(f.data)).filter((d): d is PlannedData => d !== undefined);
    const ordered = firstData.length > 0 ? [...new Set([...firstData, ...this.fileOrder])] : this.fileOrder;
    for (const d of ordered) {
      if (d.recorded) continue;
      d.placeSingle();
      if (d.size === 0) {
        d.lba = 0;
        continue;
      }
      d.lba = lba;
      if (d.size > MAX_SECTION) {
        const sections = [];
        for (let off = 0; off < d.size; off += MAX_SECTION) {
          const length = Math.min(MAX_SECTION, d.size - off);
          sections.push({ lba: lba + off / SECTOR_SIZE, length });
        }
        d.sections = sections;
      }
      lba += sectorsFor(d.size);
    }
    place("afterFiles");
    for (const [file, wrap] of this.wraps) {
      const d = this.files.get(file.data);
      if (!d) throw new InvalidArgumentError("transformContent", `${file.name} is not a planned file`);
      d.wrap = wrap;
    }
    const sectorCount = lba - o.startLba;
    if (lba > 0xffff_ffff) throw new ImageTooLargeError(lba, 0xffff_ffff);
    return new ImagePlan({
      image,
      options: o,
      isoDirs,
      jolietDirs,
      isoPathTable,
      jolietPathTable,
      // Placed in this order: LBAs already ascend.
      files: ordered.filter((d) => !d.recorded && d.size > 0),
      reserved: this.reserved,
      systemArea: this.systemArea,
      pvdLba,
      jolietSvdLba,
      evdLba,
      terminatorLba,
      sectorCount,
      rrDate: this.rrDate,
      volumeMeta: image.root.meta,
    });
  }
}

/** The finished plan: sizes and LBAs fixed; `stream()` (writer.ts) produces the bytes. */
export class ImagePlan implements ImageLayout {
  constructor(readonly internals: PlanInternals) {}

  get startLba(): number {
    return this.internals.options.startLba;
  }
  /** Sectors the stream will produce. */
  get sectorCount(): number {
    return this.internals.sectorCount;
  }
  get byteLength(): number {
    return this.internals.sectorCount * SECTOR_SIZE;
  }
  get volumeSpaceSize(): number {
    return this.startLba + this.sectorCount;
  }
  get primaryDescriptorLba(): number {
    return this.internals.pvdLba;
  }
  /** IMAPI's FreeMediaBlocks check: does the image fit `capacitySectors` free sectors? */
  fits(capacitySectors: number): boolean {
    return this.sectorCount <= capacitySectors;
  }
  /** Throws ImageTooLargeError unless the image fits. */
  assertFits(capacitySectors: number): void {
    if (!this.fits(capacitySectors)) throw new ImageTooLargeError(this.sectorCount, capacitySectors);
  }
  private byData: Map<FileData, DataPlan> | undefined;

  /** Where a file's data lies (constant time: extensions call this for every file). */
  extentOf(file: FileNode): FileExtent | undefined {
    if (!this.byData) {
      this.byData = new Map();
      for (const dir of this.internals.isoDirs) for (const e of dir.entries) if (e.data) this.byData.set(e.data.data, e.data);
      for (const dir of this.internals.jolietDirs) for (const e of dir.entries) if (e.data && !this.byData.has(e.data.data)) this.byData.set(e.data.data, e.data);
    }
    const d = this.byData.get(file.data);
    return d ? { lba: d.lba, size: d.size, sections: d.sections } : undefined;
  }
}

/** Plans `image` with the given options. */
export function planImage(image: FileSystemImage, options: IsoPlanOptions = {}): ImagePlan {
  return new Planner(image, options).plan();
}
