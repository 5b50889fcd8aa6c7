/**
 * Reads ISO 9660 images with Joliet and Rock Ridge: volume descriptors, directories (following
 * Rock Ridge relocation), file data. Hostile images are normal input: every length and location
 * is checked against the volume before it is used, allocations are bounded, directory cycles and
 * continuation-area loops are detected, each operation reads directories and continuation areas
 * within a budget linear in the volume size, and errors name the structure and the byte offset.
 */
import { MalformedDataError, InvalidArgumentError, throwIfAborted } from "@discforge/errors";
import { decodeUtf16BE } from "@discforge/bytes";
import { DirectoryRecordCodec, FILE_FLAGS, systemUseOffset, type DirectoryRecord } from "../iso9660/directory-record.js";
import { decodeDescriptorHeader, isJolietEscape, VolumeDescriptorCodec, VOLUME_DESCRIPTOR_TYPE, type VolumeDescriptor } from "../iso9660/volume-descriptor.js";
import { decodeCE, decodeEntries, decodeER, type SuspEntry } from "../iso9660/susp.js";
import { decodeLink, decodePN, decodePX, decodeSLInto, decodeTF, newSymlinkState, S_IF, symlinkTarget } from "../iso9660/rrip.js";
import { BLOCK_SIZE, FileBlockSource, type BlockSource } from "./block-source.js";

export type Namespace = "rockridge" | "joliet" | "iso9660";
export type EntryType = "file" | "directory" | "symlink" | "char" | "block" | "fifo" | "socket";

export interface IsoEntry {
  readonly name: string;
  readonly type: EntryType;
  readonly size: number;
  /** Data extents (several for a multi-extent file). */
  readonly extents: readonly { readonly lba: number; readonly length: number }[];
  readonly mtime: Date | undefined;
  readonly atime?: Date;
  readonly ctime?: Date;
  /** POSIX permission bits (Rock Ridge), else undefined. */
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly links?: number;
  readonly serial?: number;
  readonly linkTarget?: string;
  readonly device?: { readonly major: number; readonly minor: number };
  readonly hidden: boolean;
  readonly associated: boolean;
  /** The identifier as recorded in the directory record. */
  readonly recordedName: string;
}

export interface ReaderOptions {
  /** Which tree to read: "auto" prefers Rock Ridge, then Joliet, then plain ISO 9660. */
  readonly namespace?: Namespace | "auto";
  /** LBA of the session to read (its volume descriptors are at sessionStart + 16). Default 0. */
  readonly sessionStart?: number;
  /** Largest directory extent accepted, in bytes (default 64 MiB). */
  readonly maxDirectoryBytes?: number;
  /** Largest number of directories a walk visits (default 1,000,000). */
  readonly maxDirectories?: number;
}

export interface RockRidgeInfo {
  readonly skip: number;
  readonly extensions: readonly string[];
}

const MAX_CE_HOPS = 64;
/** Fixed part of an operation's read budget: room for small images, where the volume term is tiny. */
const READ_BUDGET_SLACK = 1 << 20;

/**
 * Directory and continuation-area bytes one operation (a walk, a list, a lookup) may still read.
 * A well-formed image reads each such byte about once per walk: its directories and continuation
 * areas do not overlap. Twice the volume leaves room for what is read twice on purpose
 * (".rr_moved", listed to decide whether to show it; the "." sector behind each CL) and for a
 * continuation sector charged whole when fetched, then per area. Directories or continuation
 * areas that overlap would otherwise be read again and again: S sectors x maxDirectoryBytes.
 */
class ReadBudget {
  private left: number;
  /** The continuation-area sector read last: one directory's entries share a few such sectors. */
  continuation: { readonly block: number; readonly sector: Uint8Array } | undefined;
  constructor(private readonly limit: number) {
    this.left = limit;
  }
  spend(bytes: number, structure: string, offset: number, what: "directories" | "continuation areas"): void {
    if (bytes > this.left) throw new MalformedDataError(structure, offset, `${what} overlap: ${bytes} more bytes would pass the ${this.limit}-byte read budget of one operation (twice the volume, plus 1 MiB)`);
    this.left -= bytes;
  }
}

type MutableEntry = { -readonly [K in keyof IsoEntry]: IsoEntry[K] } & { relocated: boolean; childLink: number | undefined };

interface RawEntry {
  record: DirectoryRecord;
  offset: number;
  sections: { lba: number; length: number }[];
}

/**
 * Where a record's data begins: after its extended attribute record, which fills the extent's
 * first logical blocks when recorded (ECMA-119 9.1.2 gives their count); Linux's isofs reads it so.
 */
function dataStart(r: DirectoryRecord): number {
  return r.extent + r.extendedAttributeLength;
}

export class IsoReader {
  readonly namespace: Namespace;
  private readonly volumeEnd: number;

  private constructor(
    readonly source: BlockSource,
    readonly primary: VolumeDescriptor,
    readonly joliet: VolumeDescriptor | undefined,
    readonly enhanced: VolumeDescriptor | undefined,
    /** Raw boot record volume descriptors (El Torito), for the boot layer. */
    readonly bootRecords: readonly { readonly lba: number; readonly sector: Uint8Array }[],
    readonly rockRidge: RockRidgeInfo | undefined,
    namespace: Namespace,
    private readonly options: Required<Omit<ReaderOptions, "namespace">>,
    /** Where each volume descriptor was read: errors about a root record name its image offset. */
    private readonly descriptorLbas: { readonly primary: number; readonly joliet: number | undefined; readonly enhanced: number | undefined },
  ) {
    this.namespace = namespace;
    this.volumeEnd = Math.min(primary.volumeSpaceSize, source.sectorCount ?? Number.MAX_SAFE_INTEGER);
  }

  /** Opens an image file or any block source and reads its volume descriptors. */
  static async open(source: BlockSource | string, options: ReaderOptions = {}): Promise<IsoReader> {
    const src = typeof source === "string" ? FileBlockSource.open(source) : source;
    const opts = { sessionStart: options.sessionStart ?? 0, maxDirectoryBytes: options.maxDirectoryBytes ?? 64 << 20, maxDirectories: options.maxDirectories ?? 1_000_000 };
    let primary: VolumeDescriptor | undefined;
    let joliet: VolumeDescriptor | undefined;
    let enhanced: VolumeDescriptor | undefined;
    const lbas: { primary: number; joliet: number | undefined; enhanced: number | undefined } = { primary: 0, joliet: undefined, enhanced: undefined };
    const boot: { lba: number; sector: Uint8Array }[] = [];
    let terminated = false;
    for (let i = 0; i < 64 && !terminated; i++) {
      const lba = opts.sessionStart + 16 + i;
      const sector = await src.readSectors(lba, 1);
      const { type, version } = decodeDescriptorHeader(sector, lba);
      if (type === VOLUME_DESCRIPTOR_TYPE.terminator) terminated = true;
      else if (type === VOLUME_DESCRIPTOR_TYPE.primary && !primary) {
        primary = VolumeDescriptorCodec.decode(sector, lba);
        lbas.primary = lba;
      } else if (type === VOLUME_DESCRIPTOR_TYPE.bootRecord) boot.push({ lba, sector });
      else if (type === VOLUME_DESCRIPTOR_TYPE.supplementary) {
        if (version === 2 && !enhanced) {
          enhanced = VolumeDescriptorCodec.decode(sector, lba, "single");
          lbas.enhanced = lba;
        } else if (version !== 2 && !joliet && isJolietEscape(sector.subarray(88, 120))) {
          joliet = VolumeDescriptorCodec.decode(sector, lba, "ucs2");
          lbas.joliet = lba;
        }
      }
    }
    if (!terminated) throw new MalformedDataError("ECMA-119 8.3 volume descriptor set terminator", (opts.sessionStart + 16) * BLOCK_SIZE, "no terminator within 64 descriptors");
    if (!primary) throw new MalformedDataError("ECMA-119 8.4 primary volume descriptor", (opts.sessionStart + 16) * BLOCK_SIZE, "missing");
    if (primary.logicalBlockSize !== BLOCK_SIZE) throw new MalformedDataError("ECMA-119 8.4 primary volume descriptor", (opts.sessionStart + 16) * BLOCK_SIZE + 128, `logical block size ${primary.logicalBlockSize} is not 2048`);
    const probe = new IsoReader(src, primary, joliet, enhanced, boot, undefined, "iso9660", opts, lbas);
    const rr = await probe.detectRockRidge();
    const wanted = options.namespace ?? "auto";
    let ns: Namespace;
    if (wanted === "auto") ns = rr ? "rockridge" : joliet ? "joliet" : "iso9660";
    else {
      if (wanted === "rockridge" && !rr) throw new InvalidArgumentError("namespace", "the image has no Rock Ridge extensions");
      if (wanted === "joliet" && !joliet) throw new InvalidArgumentError("namespace", "the image has no Joliet tree");
      ns = wanted;
    }
    return new IsoReader(src, primary, joliet, enhanced, boot, rr, ns, opts, lbas);
  }

  async close(): Promise<void> {
    await this.source.close?.();
  }

  private rootRecord(): DirectoryRecord {
    return this.namespace === "joliet" ? this.joliet!.root : (this.enhanced?.root ?? this.primary.root);
  }

  /** Image offset of the root directory record in use (ECMA-119 8.4.18: byte 156 of its descriptor). */
  private rootWhere(): number {
    const l = this.descriptorLbas;
    const lba = this.namespace === "joliet" ? l.joliet! : this.enhanced ? l.enhanced! : l.primary;
    return lba * BLOCK_SIZE + 156;
  }

  private newBudget(): ReadBudget {
    return new ReadBudget(2 * this.volumeEnd * BLOCK_SIZE + READ_BUDGET_SLACK);
  }

  private checkExtent(lba: number, length: number, structure: string, offset: number): void {
    const sectors = Math.ceil(length / BLOCK_SIZE);
    if (lba + sectors > this.volumeEnd) {
      throw new MalformedDataError(structure, offset, `extent at LBA ${lba} of ${length} bytes runs past the volume end (${this.volumeEnd} sectors)`);
    }
  }

  private async detectRockRidge(): Promise<RockRidgeInfo | undefined> {
    const root = this.primary.root;
    const rootLba = dataStart(root);
    this.checkExtent(rootLba, BLOCK_SIZE, "root directory", this.descriptorLbas.primary * BLOCK_SIZE + 156);
    const sector = await this.source.readSectors(rootLba, 1);
    const dot = DirectoryRecordCodec.decode(sector, 0, rootLba * BLOCK_SIZE);
    if (!dot || dot.systemUse.length < 7) return undefined;
    const su = dot.systemUse;
    if (su[0] !== 0x53 || su[1] !== 0x50 || su[4] !== 0xbe || su[5] !== 0xef) return undefined;
    const skip = su[6]!;
    const entries = await this.suspEntries(dot, rootLba * BLOCK_SIZE, 0, this.newBudget());
    const extensions = entries.filter((e) => e.signature === "ER").map((e) => decodeER(e, e.offset).identifier);
    const hasRr = extensions.some((x) => /^(RRIP_1991A|IEEE_P1282|IEEE_1282)$/.test(x)) || entries.some((e) => e.signature === "RR" || e.signature === "PX");
    return hasRr ? { skip, extensions } : undefined;
  }

  /**
   * All SUSP entries of the record at image offset `where`, following CE continuation areas
   * (bounded, loop-checked). Each entry's `offset` is its image offset.
   */
  private async suspEntries(r: DirectoryRecord, where: number, skip: number, budget: ReadBudget): Promise<SuspEntry[]> {
    const out: SuspEntry[] = [];
    const start = Math.min(skip, r.systemUse.length);
    let area = r.systemUse.subarray(start);
    // The System Use area starts after the identifier and its padding byte, not at byte 33.
    let areaWhere = where + systemUseOffset(r.identifier.length) + start;
    const seen = new Set<string>();
    for (let hop = 0; ; hop++) {
      const entries = decodeEntries(area, areaWhere);
      let next: { block: number; offset: number; length: number } | undefined;
      let ceAt = areaWhere;
      for (const e of entries) {
        if (e.signature === "CE") {
          next = decodeCE(e, e.offset);
          ceAt = e.offset;
        } else out.push(e);
      }
      if (!next) return out;
      if (hop >= MAX_CE_HOPS) throw new MalformedDataError("SUSP 5.1 continuation area", where, `more than ${MAX_CE_HOPS} continuation areas`);
      const key = `${next.block}:${next.offset}`;
      if (seen.has(key)) throw new MalformedDataError("SUSP 5.1 continuation area", next.block * BLOCK_SIZE + next.offset, "continuation areas form a loop");
      seen.add(key);
      if (next.offset + next.length > BLOCK_SIZE) throw new MalformedDataError("SUSP 5.1 CE entry", ceAt, `area [${next.offset}, +${next.length}) crosses the block`);
      this.checkExtent(next.block, BLOCK_SIZE, "SUSP 5.1 continuation area", ceAt);
      // A sector read again costs a whole sector, one already at hand only the area parsed.
      let sector: Uint8Array;
      if (budget.continuation?.block === next.block) {
        budget.spend(next.length, "SUSP 5.1 continuation area", ceAt, "continuation areas");
        sector = budget.continuation.sector;
      } else {
        budget.spend(BLOCK_SIZE, "SUSP 5.1 continuation area", ceAt, "continuation areas");
        sector = await this.source.readSectors(next.block, 1);
        budget.continuation = { block: next.block, sector };
      }
      area = sector.subarray(next.offset, next.offset + next.length);
      areaWhere = next.block * BLOCK_SIZE + next.offset;
    }
  }

  /** `where`, for errors, is the offset of the record that points at the directory. */
  private async readDirectoryRecords(lba: number, length: number, where: number, budget: ReadBudget): Promise<RawEntry[]> {
    if (length > this.options.maxDirectoryBytes) throw new MalformedDataError("ECMA-119 directory", where, `directory of ${length} bytes exceeds the ${this.options.maxDirectoryBytes}-byte limit`);
    this.checkExtent(lba, length, "ECMA-119 directory", where);
    const sectors = Math.ceil(length / BLOCK_SIZE);
    budget.spend(sectors * BLOCK_SIZE, "ECMA-119 directory hierarchy", where, "directories");
    const bytes = sectors === 0 ? new Uint8Array(0) : await this.source.readSectors(lba, sectors);
    const base = lba * BLOCK_SIZE;
    const out: RawEntry[] = [];
    let off = 0;
    let pending: RawEntry | undefined;
    while (off < length) {
      const len = bytes[off]!;
      if (len === 0) {
        off = (Math.floor(off / BLOCK_SIZE) + 1) * BLOCK_SIZE;
        continue;
      }
      if ((off % BLOCK_SIZE) + len > BLOCK_SIZE) throw new MalformedDataError("ECMA-119 9.1 directory record", base + off, "record crosses a sector boundary");
      const r = DirectoryRecordCodec.decode(bytes, off, base)!;
      if (pending) {
        if (!sameBytes(pending.record.identifier, r.identifier)) throw new MalformedDataError("ECMA-119 9.1 directory record", base + off, "multi-extent file continues with a different identifier");
        pending.sections.push({ lba: dataStart(r), length: r.dataLength });
      } else {
        pending = { record: r, offset: base + off, sections: [{ lba: dataStart(r), length: r.dataLength }] };
      }
      if (!(r.flags & FILE_FLAGS.multiExtent)) {
        out.push(pending);
        pending = undefined;
      }
      off += len;
    }
    if (pending) throw new MalformedDataError("ECMA-119 9.1 directory record", pending.offset, "multi-extent file has no final section");
    return out;
  }

  private async toEntry(raw: RawEntry, budget: ReadBudget): Promise<MutableEntry | undefined> {
    const r = raw.record;
    const id = r.identifier;
    const ns = this.namespace;
    const recordedName = ns === "joliet" ? decodeUtf16BE(id, 0, id.length - (id.length % 2), "Joliet identifier") : String.fromCharCode(...id);
    let name = recordedName;
    const isDir = (r.flags & FILE_FLAGS.directory) !== 0;
    if (!isDir) name = name.replace(/;\d+$/, "");
    if (ns !== "joliet" && !isDir) name = name.replace(/\.$/, "");
    const size = raw.sections.reduce((n, s) => n + s.length, 0);
    const base: MutableEntry = {
      name,
      type: isDir ? "directory" : "file",
      size: isDir ? r.dataLength : size,
      extents: raw.sections,
      mtime: r.recorded,
      hidden: (r.flags & FILE_FLAGS.hidden) !== 0,
      associated: (r.flags & FILE_FLAGS.associated) !== 0,
      recordedName,
      relocated: false,
      childLink: undefined,
    };
    // Image offsets of the first NM and SL entries, when there are any.
    let nmAt: number | undefined;
    let slAt: number | undefined;
    if (ns === "rockridge") {
      const entries = await this.suspEntries(r, raw.offset, this.rockRidge!.skip, budget);
      const nm: number[] = [];
      const sl = newSymlinkState();
      for (const e of entries) {
        const at = e.offset;
        switch (e.signature) {
          case "PX": {
            const px = decodePX(e, at);
            base.mode = px.mode & 0o7777;
            base.uid = px.uid;
            base.gid = px.gid;
            base.links = px.links;
            if (px.serial !== undefined) base.serial = px.serial;
            const t = px.mode & S_IF.mask;
            base.type = t === S_IF.directory ? "directory" : t === S_IF.symlink ? "symlink" : t === S_IF.char ? "char" : t === S_IF.block ? "block" : t === S_IF.fifo ? "fifo" : t === S_IF.socket ? "socket" : "file";
            break;
          }
          case "NM":
            if (e.data.length >= 1 && !(e.data[0]! & 0x06)) {
              for (const b of e.data.subarray(1)) nm.push(b);
              nmAt ??= at;
            }
            break;
          case "SL":
            decodeSLInto(e, at, sl);
            slAt ??= at;
            break;
          case "TF": {
            const tf = decodeTF(e, at);
            if (tf.modify) base.mtime = tf.modify;
            if (tf.access) base.atime = tf.access;
            if (tf.attributes) base.ctime = tf.attributes;
            break;
          }
          case "PN":
            base.device = decodePN(e, at);
            break;
          case "RE":
            base.relocated = true;
            break;
          case "CL":
            base.childLink = decodeLink(e, at);
            base.type = "directory";
            break;
        }
      }
      if (nmAt !== undefined) base.name = new TextDecoder().decode(Uint8Array.from(nm));
      if (slAt !== undefined) {
        const target = symlinkTarget(sl);
        // No system can create such a link (symlink("") fails, NUL ends a C path).
        if (target === "" || target.includes("\0")) throw new MalformedDataError("RRIP 4.1.3 SL entry", slAt, target === "" ? "the link target is empty" : "NUL in the link target");
        base.linkTarget = target;
      }
    }
    // A name that is not one path component would make walk() paths lie (stat and extract would
    // resolve them elsewhere): "a/b" reads as two components, ".." climbs out.
    const n = base.name;
    if (n === "" || n === "." || n === ".." || n.includes("/") || n.includes("\0")) {
      const structure = nmAt !== undefined ? "RRIP 4.1.4 NM entry" : ns === "joliet" ? "Joliet file identifier" : "ECMA-119 9.1.11 file identifier";
      throw new MalformedDataError(structure, nmAt ?? raw.offset + 33, `unsafe component ${JSON.stringify(n)}: a name cannot be empty, "." or "..", or hold "/" or NUL`);
    }
    return base;
  }

  /** Lists a directory's entries (without "." and ".."). */
  async list(path = "/", options: { signal?: AbortSignal } = {}): Promise<IsoEntry[]> {
    return this.listWithin(path, options.signal, this.newBudget());
  }

  private async listWithin(path: string, signal: AbortSignal | undefined, budget: ReadBudget): Promise<IsoEntry[]> {
    const dir = await this.lookupDir(path, signal, budget);
    return (await this.listAt(dir.lba, dir.length, dir.where, path === "/" || path === "", budget)).map(({ entry }) => entry);
  }

  /** Each item's `recordAt` is the image offset of its directory record. */
  private async listAt(lba: number, length: number, where: number, isRoot: boolean, budget: ReadBudget): Promise<{ entry: IsoEntry; lba: number; length: number; recordAt: number }[]> {
    const raws = await this.readDirectoryRecords(lba, length, where, budget);
    // ECMA-119 6.8.2.2: a directory opens with its "." and ".." records; they are skipped below,
    // so anything else in their place would be an entry dropped without a word.
    for (let i = 0; i < 2; i++) {
      const r = raws[i]?.record;
      if (!r || r.identifier.length !== 1 || r.identifier[0] !== i || !(r.flags & FILE_FLAGS.directory)) {
        throw new MalformedDataError("ECMA-119 6.8.2.2 directory", raws[i]?.offset ?? lba * BLOCK_SIZE, `record ${i + 1} is not the directory's ${i === 0 ? '"."' : '".."'} record`);
      }
    }
    const out: { entry: IsoEntry; lba: number; length: number; recordAt: number }[] = [];
    for (const raw of raws.slice(2)) {
      const e = (await this.toEntry(raw, budget))!;
      if (e.relocated) continue;
      let childLba = raw.sections[0]!.lba;
      let childLength = raw.record.dataLength;
      if (e.childLink !== undefined) {
        // The moved directory's own "." record says how long it is.
        this.checkExtent(e.childLink, BLOCK_SIZE, "RRIP 4.1.5.1 CL target", raw.offset);
        budget.spend(BLOCK_SIZE, "ECMA-119 directory hierarchy", raw.offset, "directories");
        const sector = await this.source.readSectors(e.childLink, 1);
        const dot = DirectoryRecordCodec.decode(sector, 0, e.childLink * BLOCK_SIZE);
        if (!dot) throw new MalformedDataError("RRIP 4.1.5.1 CL target", e.childLink * BLOCK_SIZE, "no directory there");
        childLba = e.childLink;
        childLength = dot.dataLength;
        e.size = dot.dataLength;
        e.extents = [{ lba: childLba, length: childLength }];
      }
      const { relocated: _r, childLink: _c, ...entry } = e;
      if (isRoot && this.namespace === "rockridge" && entry.type === "directory" && (entry.name === ".rr_moved" || entry.name === "rr_moved")) {
        const inner = await this.readDirectoryRecords(childLba, childLength, raw.offset, budget);
        const visible = [];
        for (const x of inner.slice(2)) if (!(await this.toEntry(x, budget))!.relocated) visible.push(x);
        if (visible.length === 0) continue;
      }
      out.push({ entry, lba: childLba, length: childLength, recordAt: raw.offset });
    }
    return out;
  }

  private async lookupDir(path: string, signal: AbortSignal | undefined, budget: ReadBudget): Promise<{ lba: number; length: number; where: number }> {
    const root = this.rootRecord();
    let cur = { lba: dataStart(root), length: root.dataLength, where: this.rootWhere() };
    const parts = path.split("/").filter((p) => p !== "" && p !== ".");
    const seen = new Set<number>([cur.lba]);
    for (let i = 0; i < parts.length; i++) {
      throwIfAborted(signal, "image lookup");
      const items = await this.listAt(cur.lba, cur.length, cur.where, i === 0, budget);
      const hit = items.find((x) => x.entry.name === parts[i]);
      if (!hit) throw new InvalidArgumentError("path", `${path}: /${parts.slice(0, i + 1).join("/")} is not in the image`);
      if (hit.entry.type !== "directory") throw new InvalidArgumentError("path", `${path}: /${parts.slice(0, i + 1).join("/")} is not a directory`);
      if (seen.has(hit.lba)) throw new MalformedDataError("ECMA-119 directory hierarchy", hit.lba * BLOCK_SIZE, "directory cycle");
      seen.add(hit.lba);
      cur = { lba: hit.lba, length: hit.length, where: hit.recordAt };
    }
    return cur;
  }

  /** The entry at `path`. */
  async stat(path: string, options: { signal?: AbortSignal } = {}): Promise<IsoEntry> {
    const parts = path.split("/").filter((p) => p !== "" && p !== ".");
    const name = parts.pop();
    if (name === undefined) {
      const r = this.rootRecord();
      return { name: "", type: "directory", size: r.dataLength, extents: [{ lba: dataStart(r), length: r.dataLength }], mtime: r.recorded, hidden: false, associated: false, recordedName: "" };
    }
    const items = await this.listWithin("/" + parts.join("/"), options.signal, this.newBudget());
    const hit = items.find((e) => e.name === name);
    if (!hit) throw new InvalidArgumentError("path", `${path} is not in the image`);
    return hit;
  }

  /**
   * Every entry, depth first, parents before children, names sorted as recorded. Each directory
   * extent is visited at most once, so a cyclic or shared directory is an error, not a hang.
   */
  async *walk(options: { signal?: AbortSignal } = {}): AsyncGenerator<[string, IsoEntry]> {
    const budget = this.newBudget();
    const root = this.rootRecord();
    const seen = new Set<number>([dataStart(root)]);
    const stack: { path: string; lba: number; length: number; where: number }[] = [{ path: "", lba: dataStart(root), length: root.dataLength, where: this.rootWhere() }];
    while (stack.length > 0) {
      throwIfAborted(options.signal, "image walk");
      const d = stack.pop()!;
      const items = await this.listAt(d.lba, d.length, d.where, d.path === "", budget);
      const subdirs: typeof stack = [];
      for (const { entry, lba, length, recordAt } of items) {
        const p = `${d.path}/${entry.name}`;
        yield [p, entry];
        if (entry.type === "directory") {
          if (seen.has(lba)) throw new MalformedDataError("ECMA-119 directory hierarchy", lba * BLOCK_SIZE, `${p} reuses a directory extent (a cycle or a shared directory)`);
          seen.add(lba);
          if (seen.size > this.options.maxDirectories) throw new MalformedDataError("ECMA-119 directory hierarchy", lba * BLOCK_SIZE, `more than ${this.options.maxDirectories} directories`);
          subdirs.push({ path: p, lba, length, where: recordAt });
        }
      }
      stack.push(...subdirs.reverse());
    }
  }

  /**
   * Streams a file's bytes in chunks of at most `chunkSize` (default 1 MiB), optionally only the
   * byte range [start, end).
   */
  async *read(entry: IsoEntry, options: { signal?: AbortSignal; chunkSize?: number; start?: number; end?: number } = {}): AsyncGenerator<Uint8Array> {
    if (entry.type !== "file") throw new InvalidArgumentError("read", `${entry.name} is not a regular file`);
    const chunkSectors = Math.max(1, Math.floor((options.chunkSize ?? 1 << 20) / BLOCK_SIZE));
    const start = options.start ?? 0;
    const end = Math.min(options.end ?? entry.size, entry.size);
    if (start < 0 || start > end) throw new InvalidArgumentError("read", `range [${start}, ${end}) is not within ${entry.size} bytes`);
    this.checkFileExtents(entry);
    let base = 0; // file offset of the current section
    for (const s of entry.extents) {
      const lo = Math.max(start, base);
      const hi = Math.min(end, base + s.length);
      for (let pos = lo; pos < hi; ) {
        throwIfAborted(options.signal, "image read");
        const rel = pos - base;
        const firstSector = Math.floor(rel / BLOCK_SIZE);
        const n = Math.min(chunkSectors, Math.ceil((hi - base) / BLOCK_SIZE) - firstSector);
        const bytes = await this.source.readSectors(s.lba + firstSector, n);
        const from = rel - firstSector * BLOCK_SIZE;
        const take = Math.min(bytes.length - from, hi - pos);
        yield bytes.subarray(from, from + take);
        pos += take;
      }
      base += s.length;
    }
  }

  private checkFileExtents(entry: IsoEntry): void {
    for (const s of entry.extents) if (s.length > 0) this.checkExtent(s.lba, s.length, "file extent", s.lba * BLOCK_SIZE);
  }

  /** Reads a whole file into memory; refuses files over `maxBytes` (default 256 MiB). */
  async readFile(path: string, options: { signal?: AbortSignal; maxBytes?: number } = {}): Promise<Uint8Array> {
    const entry = await this.stat(path, options);
    const max = options.maxBytes ?? 256 << 20;
    if (entry.size > max) throw new InvalidArgumentError("readFile", `${path} has ${entry.size} bytes, over the ${max}-byte limit; use read()`);
    // Before allocating: a record may claim 200 MiB of a 100 KiB image.
    if (entry.type !== "file") throw new InvalidArgumentError("readFile", `${path} is not a regular file`);
    this.checkFileExtents(entry);
    const out = new Uint8Array(entry.size);
    let off = 0;
    for await (const chunk of this.read(entry, options)) {
      out.set(chunk, off);
      off += chunk.length;
    }
    return out;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
