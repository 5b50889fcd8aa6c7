/**
 * Produces the bytes of a planned image as a stream of 2048-byte-multiple chunks. File contents
 * are read lazily into the output chunk itself (no per-file or per-sector buffers), so memory
 * stays at a few chunks whatever the file sizes. Every region is checked to start at the LBA its
 * plan gave it, and the total at the end must equal the planned sector count.
 */
import { Readable } from "node:stream";
import { closeSync, fstatSync, ftruncateSync, openSync, writeSync } from "node:fs";
import { CancelledError, InternalError } from "@discforge/errors";
import { ImageUnwritableError, SourceChangedError } from "../errors.js";
import { directoryRecordSize, FILE_FLAGS, systemUseOffset } from "../iso9660/directory-record.js";
import { encodeShortDateTime } from "../iso9660/datetime.js";
import { writeBoth16, writeBoth32 } from "@discforge/bytes";
import { PathTableCodec } from "../iso9660/path-table.js";
import { encodeCE } from "../iso9660/susp.js";
import { encodeCL, encodePL } from "../iso9660/rrip.js";
import { encodeTerminator, escapeSequenceBytes, JOLIET_ESCAPES, SECTOR_SIZE, VolumeDescriptorCodec, type VolumeDescriptor } from "../iso9660/volume-descriptor.js";
import type { DataPlan, ImagePlan, IsoDirPlan, IsoEntryPlan, JolietDirPlan, PathTablePlan, ReservedExtent, ResolvedOptions, SuaEntry, SuaPlan } from "./planner.js";
import { encodeUsualRr, MAX_SECTION, nodePath } from "./planner.js";
import type { DirectoryNode, FileNode } from "../tree.js";
import { BytesContent, PathContent, ZeroContent, type ContentReader, type ContentSource } from "../content.js";
import { FilePrefetcher } from "./prefetch.js";
import { ReadAhead } from "./readahead.js";

export interface WriteProgress {
  /** Image path of the file being copied, undefined while writing metadata. */
  readonly currentFile: string | undefined;
  readonly sectorsWritten: number;
  readonly totalSectors: number;
}

export interface StreamOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: WriteProgress) => void;
  /** Bytes per yielded chunk (a multiple of 2048). Default 1 MiB. */
  readonly chunkSize?: number;
  /**
   * Reuse chunk buffers: a yielded chunk is only valid until the next one is requested. For
   * consumers that write each chunk out before asking for the next (writeImageFile does); keeps
   * memory flat without relying on the garbage collector. Default false.
   */
  readonly reuseChunks?: boolean;
  /**
   * Read files on disk in a worker thread ahead of the stream (see prefetch.ts): true, false
   * (default), or "auto" (only for 64 MiB or more in files of 1 MiB or more on average; small
   * files are faster in place, a new worker's file calls running about twice as slow per file
   * for its first tens of thousands). Measured with files in the page cache it does not pay:
   * into the emulated drive 0.82-0.92x the rate of reading in place (burn benchmark), to
   * /dev/null slower still (an extra copy); it is there for sources whose reads wait on a disk.
   */
  readonly prefetch?: boolean | "auto";
  /**
   * Read-ahead of small files on disk (readahead.ts): "auto" (default) switches it on when they
   * keep waiting on the disk, true from the first file, false never.
   */
  readonly readAhead?: boolean | "auto";
}

function encodeSuaEntry(e: SuaEntry): Uint8Array {
  if (e instanceof Uint8Array) return e;
  return e.signature === "CL" ? encodeCL(e.dir.lba) : encodePL(e.dir.lba);
}

// A Buffer like the System Use bytes the planner makes, so the encoder sees one kind of array.
const NO_BYTES = Buffer.alloc(0);

function encodeSua(s: SuaPlan): Uint8Array {
  if (!s.continuation && s.inline.length === 1 && s.inline[0] instanceof Uint8Array) return s.inline[0];
  if (!s.continuation && s.inline.length === 0) return NO_BYTES;
  const parts = s.inline.map(encodeSuaEntry);
  if (s.continuation) parts.push(encodeCE(s.continuation));
  const out = Buffer.alloc(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  if (off !== s.inlineSize) throw new InternalError(`system use area is ${off} bytes, planned ${s.inlineSize}`);
  return out;
}

/** ECMA-119 6.8.2.2: the identifiers of "." and "..". */
const SELF = "\0";
const PARENT = "\x01";

/** The 7 bytes of the last recording date: records of one directory mostly share a Date. */
let lastDate: Date | undefined;
let lastDateTime = NaN;
const lastDateBytes = new Uint8Array(7);

class DirectoryEncoder {
  readonly out: Uint8Array;
  private pos = 0;
  constructor(size: number) {
    // Zeroed: padding at sector ends and after records stays 0.
    this.out = new Uint8Array(size);
  }
  /**
   * The fixed part of one ECMA-119 9.1 record of `size` bytes (the bytes of
   * DirectoryRecordCodec.encodeInto without a record object per entry), moved to the next sector
   * if it would cross one. Returns its offset; the caller writes the identifier.
   */
  private record(size: number, extent: number, dataLength: number, recorded: Date, flags: number, idLength: number): number {
    if (size > 255) throw new InternalError(`directory record would be ${size} bytes (max 255)`);
    if ((this.pos % SECTOR_SIZE) + size > SECTOR_SIZE) this.pos += SECTOR_SIZE - (this.pos % SECTOR_SIZE);
    if (this.pos + size > this.out.length) throw new InternalError("directory records overran their planned extent");
    const out = this.out;
    const off = this.pos;
    out[off] = size;
    writeBoth32(out, off + 2, extent);
    writeBoth32(out, off + 10, dataLength);
    if (recorded !== lastDate || lastDate.getTime() !== lastDateTime) {
      encodeShortDateTime(recorded, lastDateBytes, 0);
      lastDate = recorded;
      lastDateTime = recorded.getTime();
    }
    out.set(lastDateBytes, off + 18);
    out[off + 25] = flags;
    writeBoth16(out, off + 28, 1);
    out[off + 32] = idLength;
    this.pos += size;
    return off;
  }

  /**
   * An ISO 9660 record (and Joliet's "." and ".."): the identifier one byte per character, the
   * System Use area `systemUse`, or when that is a number, that many bytes left for the caller
   * to fill. Returns the offset of the System Use area.
   */
  add(extent: number, dataLength: number, recorded: Date, flags: number, identifier: string, systemUse: Uint8Array | number): number {
    const idLength = identifier.length;
    const suLength = typeof systemUse === "number" ? systemUse : systemUse.length;
    const off = this.record(directoryRecordSize(idLength, suLength), extent, dataLength, recorded, flags, idLength);
    const out = this.out;
    for (let i = 0; i < idLength; i++) out[off + 33 + i] = identifier.charCodeAt(i);
    const suAt = off + systemUseOffset(idLength);
    if (typeof systemUse !== "number") out.set(systemUse, suAt);
    return suAt;
  }

  /**
   * A Joliet record: the identifier as UCS-2 big-endian, no System Use. Apart from add, so that
   * neither meets the other's kind of identifier (V8 would compile add again when Joliet's came).
   */
  addWide(extent: number, dataLength: number, recorded: Date, flags: number, identifier: string): void {
    const off = this.record(directoryRecordSize(2 * identifier.length, 0), extent, dataLength, recorded, flags, 2 * identifier.length);
    const out = this.out;
    for (let i = 0, o = off + 33; i < identifier.length; i++, o += 2) {
      const c = identifier.charCodeAt(i);
      out[o] = c >>> 8;
      out[o + 1] = c & 0xff;
    }
  }
}

/** The records of one ISO 9660 entry (one per multi-extent section), with their System Use. */
function addIsoEntry(enc: DirectoryEncoder, e: IsoEntryPlan, date: Date, rr: ResolvedOptions["rockRidge"]): void {
  const usual = e.sua === undefined && e.suaSize > 0;
  const su = e.sua ? encodeSua(e.sua) : usual ? e.suaSize : NO_BYTES;
  const sections = e.data?.sections;
  const count = e.dir || !sections || sections.length === 0 ? 1 : sections.length;
  for (let i = 0; i < count; i++) {
    const extent = e.dir ? e.dir.lba : sections && sections.length > 0 ? sections[i]!.lba : 0;
    const length = e.dir ? e.dir.size : sections && sections.length > 0 ? sections[i]!.length : 0;
    const at = enc.add(extent, length, date, e.flags | (i < count - 1 ? FILE_FLAGS.multiExtent : 0), e.identifier, su);
    if (usual) {
      // PX links and serial are final only now that every name of the content is planned.
      const node = e.node as FileNode | DirectoryNode;
      const n = e.dir ? encodeUsualRr(rr as "1.12" | "1.10", node, 2 + e.dir.subdirs, e.dir.serial, enc.out, at) : encodeUsualRr(rr as "1.12" | "1.10", node, e.data!.links, e.data!.serial, enc.out, at);
      if (n !== e.suaSize) throw new InternalError(`Rock Ridge entries of ${e.identifier} are ${n} bytes, planned ${e.suaSize}`);
    }
  }
}

function encodeIsoDirectory(d: IsoDirPlan, rr: ResolvedOptions["rockRidge"]): Uint8Array {
  const enc = new DirectoryEncoder(d.size);
  const parent = d.parent ?? d;
  enc.add(d.lba, d.size, d.node.meta.mtime, FILE_FLAGS.directory, SELF, encodeSua(d.selfSua));
  enc.add(parent.lba, parent.size, parent.node.meta.mtime, FILE_FLAGS.directory, PARENT, encodeSua(d.parentSua));
  for (const e of d.entries) addIsoEntry(enc, e, e.node?.meta.mtime ?? d.node.meta.mtime, rr);
  return enc.out;
}

function encodeJolietDirectory(d: JolietDirPlan): Uint8Array {
  const enc = new DirectoryEncoder(d.size);
  const parent = d.parent ?? d;
  enc.add(d.lba, d.size, d.node.meta.mtime, FILE_FLAGS.directory, SELF, NO_BYTES);
  enc.add(parent.lba, parent.size, parent.node.meta.mtime, FILE_FLAGS.directory, PARENT, NO_BYTES);
  for (const e of d.entries) {
    if (e.dir) enc.addWide(e.dir.lba, e.dir.size, e.node.meta.mtime, e.flags, e.identifier);
    else if (e.data) {
      const sections = e.data.sections;
      if (sections.length === 0) enc.addWide(0, 0, e.node.meta.mtime, e.flags, e.identifier);
      for (let i = 0; i < sections.length; i++) enc.addWide(sections[i]!.lba, sections[i]!.length, e.node.meta.mtime, e.flags | (i < sections.length - 1 ? FILE_FLAGS.multiExtent : 0), e.identifier);
    }
  }
  return enc.out;
}

function encodePathTable(dirs: readonly (IsoDirPlan | JolietDirPlan)[], pt: PathTablePlan, littleEndian: boolean): Uint8Array {
  const out = new Uint8Array(pt.sectors * SECTOR_SIZE);
  let off = 0;
  for (const d of dirs) {
    off += PathTableCodec.encodeInto({ extendedAttributeLength: 0, extent: d.lba, parent: d.parent?.number ?? 1, identifier: d.identifier }, littleEndian, out, off);
  }
  if (off !== pt.size) throw new InternalError(`path table is ${off} bytes, planned ${pt.size}`);
  return out;
}

function encodeContinuationAreas(d: IsoDirPlan): Uint8Array {
  const first = d.lba + d.size / SECTOR_SIZE;
  const out = new Uint8Array(d.continuationSectors * SECTOR_SIZE);
  const put = (s: SuaPlan): void => {
    if (!s.continuation) return;
    let off = (s.continuation.block - first) * SECTOR_SIZE + s.continuation.offset;
    for (const e of s.continued) {
      const b = encodeSuaEntry(e);
      out.set(b, off);
      off += b.length;
    }
  };
  put(d.selfSua);
  put(d.parentSua);
  for (const e of d.entries) if (e.sua) put(e.sua);
  return out;
}

function descriptor(plan: ImagePlan, kind: "primary" | "joliet" | "enhanced"): Uint8Array {
  const p = plan.internals;
  const v = p.image.volume;
  const joliet = kind === "joliet";
  const rootIso = p.isoDirs[0]!;
  const rootJ = p.jolietDirs[0];
  const root = joliet ? rootJ! : rootIso;
  const pt = joliet ? p.jolietPathTable! : p.isoPathTable;
  const cut = (s: string, n: number): string => (joliet ? s.slice(0, n >> 1) : s);
  const d: VolumeDescriptor = {
    type: kind === "primary" ? 1 : 2,
    version: kind === "enhanced" ? 2 : 1,
    volumeFlags: 0,
    escapeSequences: joliet ? escapeSequenceBytes(JOLIET_ESCAPES.level3) : new Uint8Array(32),
    systemId: cut(v.systemId, 32),
    volumeId: cut(v.volumeId, 32),
    volumeSetId: cut(v.volumeSetId, 128),
    publisherId: cut(v.publisherId, 128),
    dataPreparerId: cut(v.dataPreparerId, 128),
    applicationId: cut(v.applicationId, 128),
    copyrightFileId: cut(v.copyrightFileId, 37),
    abstractFileId: cut(v.abstractFileId, 37),
    bibliographicFileId: cut(v.bibliographicFileId, 37),
    volumeSpaceSize: plan.volumeSpaceSize,
    volumeSetSize: 1,
    volumeSequenceNumber: 1,
    logicalBlockSize: SECTOR_SIZE,
    pathTableSize: pt.size,
    lPathTable: pt.lLba,
    optionalLPathTable: 0,
    mPathTable: pt.mLba,
    optionalMPathTable: 0,
    root: { extendedAttributeLength: 0, extent: root.lba, dataLength: root.size, recorded: root.node.meta.mtime, flags: FILE_FLAGS.directory, fileUnitSize: 0, interleaveGap: 0, volumeSequenceNumber: 1, identifier: Uint8Array.of(0), systemUse: new Uint8Array(0) },
    created: v.created,
    modified: v.modified,
    expires: v.expires,
    effective: v.effective,
    fileStructureVersion: kind === "enhanced" ? 2 : 1,
    applicationUse: new Uint8Array(512),
  };
  return VolumeDescriptorCodec.encode(d, joliet ? "ucs2" : "single");
}

function reservedBytes(r: ReservedExtent, plan: ImagePlan): Uint8Array | ContentSource {
  if (typeof r.write !== "function") return r.write;
  const b = r.write(plan);
  if (b.length > r.sectors * SECTOR_SIZE) throw new InternalError(`${r.name} wrote ${b.length} bytes into ${r.sectors} planned sectors`);
  return b;
}

/** Streams the image: chunks of `chunkSize` bytes (the last may be shorter, always whole sectors). */
export async function* streamImage(plan: ImagePlan, options: StreamOptions = {}): AsyncGenerator<Uint8Array, void, undefined> {
  // Started first, so the worker boots while the descriptors and directories are encoded.
  let prefetched = prefetchable(plan.internals.files, options.prefetch ?? false);
  let prefetcher: FilePrefetcher | undefined;
  try {
    if (prefetched.length > 0) prefetcher = new FilePrefetcher(prefetched.map((d) => d.source as PathContent));
  } catch {
    // No worker threads here (e.g. Node's permission model): read every file in place.
    prefetched = [];
  }
  try {
    yield* produce(plan, options, prefetched, prefetcher);
  } finally {
    await prefetcher?.close();
  }
}

async function* produce(plan: ImagePlan, options: StreamOptions, prefetched: readonly DataPlan[], prefetcher: FilePrefetcher | undefined): AsyncGenerator<Uint8Array, void, undefined> {
  const p = plan.internals;
  const chunkSize = options.chunkSize ?? 1 << 20;
  if (chunkSize <= 0 || chunkSize % SECTOR_SIZE !== 0) throw new InternalError(`chunk size ${chunkSize} is not a positive multiple of 2048`);
  const total = p.sectorCount;
  const signal = options.signal;
  const onProgress = options.onProgress;
  let buf = Buffer.allocUnsafe(chunkSize);
  let pos = 0;
  let flushedBytes = 0;
  // The file being copied: a path, or the plan of one whose path is built only when progress is reported.
  let currentFile: string | DataPlan | undefined;
  let chunksSinceTurn = 0;
  const sectorsWritten = (): number => (flushedBytes + pos) / SECTOR_SIZE;
  const expectAt = (lba: number, what: string): void => {
    const at = p.options.startLba + Math.floor((flushedBytes + pos) / SECTOR_SIZE);
    if ((flushedBytes + pos) % SECTOR_SIZE !== 0 || at !== lba) throw new InternalError(`${what} planned at LBA ${lba} but the stream is at ${at}`);
  };
  const spare = options.reuseChunks ? [Buffer.allocUnsafe(chunkSize)] : undefined;
  const take = (): Buffer => {
    const full = buf;
    flushedBytes += pos;
    if (spare) {
      // Two buffers in turn: the one just yielded is left alone until the consumer comes back.
      buf = spare.pop()!;
      spare.push(full);
    } else buf = Buffer.allocUnsafe(chunkSize);
    pos = 0;
    if (signal?.aborted) throw new CancelledError("image writing cancelled", { cause: signal.reason });
    onProgress?.({ currentFile: typeof currentFile === "object" ? nodePath(currentFile.node) : currentFile, sectorsWritten: flushedBytes / SECTOR_SIZE, totalSectors: total });
    return full;
  };
  function* put(bytes: Uint8Array, length = bytes.length): Generator<Uint8Array> {
    // `length` may exceed bytes.length: the rest is zero fill up to the planned size.
    let off = 0;
    while (off < length) {
      const n = Math.min(length - off, chunkSize - pos);
      const avail = Math.max(0, Math.min(n, bytes.length - off));
      if (avail > 0) buf.set(bytes.subarray(off, off + avail), pos);
      if (avail < n) buf.fill(0, pos + avail, pos + n);
      pos += n;
      off += n;
      if (pos === chunkSize) yield take();
    }
  }

  /** Zeros after `size` bytes of content, to the end of its last sector (never past the chunk: both are whole sectors). */
  const padToSector = (size: number): void => {
    const pad = (SECTOR_SIZE - (size % SECTOR_SIZE)) % SECTOR_SIZE;
    if (pad > 0) {
      buf.fill(0, pos, pos + pad);
      pos += pad;
    }
  };
  // Sync reads never leave the event loop; give timers and I/O a turn every few chunks.
  const turnDue = (): boolean => {
    if (++chunksSinceTurn < 16) return false;
    chunksSinceTurn = 0;
    return true;
  };
  const nextTurn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

  // System area and volume descriptors.
  const systemArea = p.systemArea ? p.systemArea(plan) : new Uint8Array(16 * SECTOR_SIZE);
  if (systemArea.length > 16 * SECTOR_SIZE) throw new InternalError(`system area provider returned ${systemArea.length} bytes (max 32768)`);
  yield* put(systemArea, 16 * SECTOR_SIZE);
  expectAt(p.pvdLba, "primary volume descriptor");
  yield* put(descriptor(plan, "primary"));
  for (const r of p.reserved.filter((x) => x.placement === "descriptor")) {
    expectAt(r.lba, r.name);
    const b = reservedBytes(r, plan);
    if (!(b instanceof Uint8Array)) throw new InternalError(`${r.name}: a volume descriptor must be bytes`);
    yield* put(b, SECTOR_SIZE);
  }
  if (p.jolietSvdLba !== undefined) {
    expectAt(p.jolietSvdLba, "Joliet supplementary volume descriptor");
    yield* put(descriptor(plan, "joliet"));
  }
  if (p.evdLba !== undefined) {
    expectAt(p.evdLba, "enhanced volume descriptor");
    yield* put(descriptor(plan, "enhanced"));
  }
  expectAt(p.terminatorLba, "volume descriptor set terminator");
  yield* put(encodeTerminator());

  const reservedAt = function* (placement: ReservedExtent["placement"]): Generator<ReservedExtent> {
    for (const r of p.reserved) if (r.placement === placement) yield r;
  };
  async function* writeReserved(r: ReservedExtent): AsyncGenerator<Uint8Array> {
    expectAt(r.lba, r.name);
    const b = reservedBytes(r, plan);
    if (b instanceof Uint8Array) yield* put(b, r.sectors * SECTOR_SIZE);
    else yield* copy(b, r.size, r.lba, r.name);
  }
  async function* copy(src: ContentSource, size: number, lba: number, path: string): AsyncGenerator<Uint8Array> {
    if (src.size !== size) throw SourceChangedError.resized(path, src.size, size);
    currentFile = path;
    const reader = await src.open({ lba, ...(signal ? { signal } : {}) });
    let left = size;
    try {
      while (left > 0) {
        const want = Math.min(left, chunkSize - pos);
        let n = reader.read(buf, pos, want);
        if (typeof n !== "number") n = await n;
        if (n <= 0) throw SourceChangedError.short(path, size - left, size);
        pos += n;
        left -= n;
        if (pos === chunkSize) {
          yield take();
          if (turnDue()) await nextTurn();
        }
      }
    } finally {
      const c = reader.close();
      if (c) await c;
    }
    padToSector(size);
    if (pos === chunkSize) yield take();
    currentFile = undefined;
  }

  for (const r of reservedAt("afterDescriptors")) yield* writeReserved(r);
  expectAt(p.isoPathTable.lLba, "ISO 9660 L path table");
  yield* put(encodePathTable(p.isoDirs, p.isoPathTable, true));
  yield* put(encodePathTable(p.isoDirs, p.isoPathTable, false));
  if (p.jolietPathTable) {
    expectAt(p.jolietPathTable.lLba, "Joliet L path table");
    yield* put(encodePathTable(p.jolietDirs, p.jolietPathTable, true));
    yield* put(encodePathTable(p.jolietDirs, p.jolietPathTable, false));
  }
  for (const d of p.isoDirs) {
    expectAt(d.lba, "ISO 9660 directory");
    yield* put(encodeIsoDirectory(d, p.options.rockRidge));
    if (d.continuationSectors > 0) yield* put(encodeContinuationAreas(d));
  }
  for (const d of p.jolietDirs) {
    expectAt(d.lba, "Joliet directory");
    yield* put(encodeJolietDirectory(d));
  }
  for (const r of reservedAt("beforeFiles")) yield* writeReserved(r);
  // File data, inline rather than through copy(): no generator, promise or await per file when
  // the source opens and reads synchronously (files on disk, bytes), so thousands of small files
  // are packed into each chunk at the cost of their system calls alone.
  const startBytes = p.options.startLba * SECTOR_SIZE;
  let nextPrefetched = 0;
  const files = p.files;
  const byWorker = new Set(prefetched);
  const ahead = new ReadAhead(
    files.map((d) => (!d.wrap && d.source instanceof PathContent && !byWorker.has(d) ? d.source : undefined)),
    options.readAhead !== undefined ? { mode: options.readAhead } : {},
  );
  /**
   * Copies files from `from` on while each fits whole in the rest of the chunk and opens and
   * reads synchronously (files on disk, bytes, zeros: nearly every file of a tree of small ones),
   * with the same checks as the loop below. Returns the index of the first file left to that
   * loop, or the next one when this file filled the chunk (`currentFile` is still set, for the
   * progress report of the chunk). A plain function rather than more of this generator: its loop
   * is the hot one, and V8 optimizes a small plain function sooner and far more cheaply than the
   * generator's whole body (on a core the writer's thread may share).
   */
  const copyWholeFiles = (from: number): number => {
    for (let i = from; i < files.length; i++) {
      const d = files[i]!;
      const size = d.size;
      const src = d.source;
      if (size > chunkSize - pos || d.wrap || prefetched[nextPrefetched] === d) return i;
      // These classes exactly: a subclass may open or read asynchronously, or want the context.
      const kind = src.constructor;
      if (kind !== PathContent && kind !== BytesContent && kind !== ZeroContent) return i;
      if (flushedBytes + pos + startBytes !== d.lba * SECTOR_SIZE) expectAt(d.lba, `data of ${nodePath(d.node)}`);
      currentFile = d;
      let started = -1;
      let reader = ahead.reader(i);
      if (!reader) {
        if (ahead.watching(i)) started = ahead.now();
        if (src.size !== size) throw SourceChangedError.resized(nodePath(d.node), src.size, size);
        // A file on disk is read whole into the chunk, without a reader object per file.
        if (kind !== PathContent) reader = (src as BytesContent | ZeroContent).open();
      }
      if (!reader) {
        const n = (src as PathContent).readWhole(buf, pos);
        if (started >= 0) ahead.timed(ahead.now() - started, n);
        if (n !== size) throw SourceChangedError.short(nodePath(d.node), n, size);
        pos += n;
      } else {
        try {
          let left = size;
          while (left > 0) {
            const n = reader.read(buf, pos, left);
            if (typeof n !== "number") throw new InternalError(`${nodePath(d.node)}: a synchronous source read asynchronously`);
            if (n <= 0) throw SourceChangedError.short(nodePath(d.node), size - left, size);
            if (started >= 0) {
              ahead.timed(ahead.now() - started, n);
              started = -1;
            }
            pos += n;
            left -= n;
          }
        } finally {
          reader.close();
        }
      }
      padToSector(size);
      if (pos === chunkSize) return i + 1;
      currentFile = undefined;
    }
    return files.length;
  };
  try {
    let i = 0;
    while (i < files.length) {
      i = copyWholeFiles(i);
      if (pos === chunkSize) {
        yield take();
        currentFile = undefined;
        if (turnDue()) await nextTurn();
        continue;
      }
      if (i === files.length) break;
      const at = i++;
      const d = files[at]!;
      const size = d.size;
      if (flushedBytes + pos + startBytes !== d.lba * SECTOR_SIZE) expectAt(d.lba, `data of ${nodePath(d.node)}`);
      if (size > MAX_SECTION * 0xffff) throw new InternalError(`${nodePath(d.node)} is too large`);
      currentFile = d;
      // A prefetched file is taken from the worker's ring, one read ahead from ReadAhead; any other is opened here.
      let reader: ContentReader | undefined;
      let index = -1;
      let started = -1;
      if (prefetched[nextPrefetched] === d) index = nextPrefetched++;
      else if (!(reader = ahead.reader(at))) {
        if (ahead.watching(at)) started = ahead.now();
        const src = d.wrap ? d.wrap(d.source, plan, { lba: d.lba, size, sections: d.sections }) : d.source;
        if (src.size !== size) throw SourceChangedError.resized(nodePath(d.node), src.size, size);
        const opened = src.open(signal ? { lba: d.lba, signal } : { lba: d.lba });
        reader = "then" in opened ? await opened : opened;
      }
      let left = size;
      try {
        while (left > 0) {
          const want = left < chunkSize - pos ? left : chunkSize - pos;
          let n = index >= 0 ? prefetcher!.take(buf, pos, want, index) : reader!.read(buf, pos, want);
          if (typeof n !== "number") n = await n;
          if (n <= 0) throw SourceChangedError.short(nodePath(d.node), size - left, size);
          if (started >= 0) {
            // Open and first read only: the consumer's time at a yield is not the file's.
            ahead.timed(ahead.now() - started, n);
            started = -1;
          }
          pos += n;
          left -= n;
          if (pos === chunkSize) {
            yield take();
            if (turnDue()) await nextTurn();
          }
        }
      } finally {
        const c = reader?.close();
        if (c) await c;
      }
      padToSector(size);
      if (pos === chunkSize) yield take();
      currentFile = undefined;
    }
  } finally {
    ahead.close();
  }
  for (const r of reservedAt("afterFiles")) yield* writeReserved(r);
  if (pos > 0) {
    const last = buf.subarray(0, pos);
    flushedBytes += pos;
    pos = 0;
    onProgress?.({ currentFile: undefined, sectorsWritten: flushedBytes / SECTOR_SIZE, totalSectors: total });
    yield last;
  }
  if (sectorsWritten() !== total) throw new InternalError(`stream produced ${sectorsWritten()} sectors, planned ${total}`);
}

/** The files the worker reads: unwrapped files on disk, in data order, when there are enough of them. */
export function prefetchable(files: readonly DataPlan[], mode: boolean | "auto"): DataPlan[] {
  if (mode === false) return [];
  const list = files.filter((d) => !d.wrap && d.source instanceof PathContent && d.size > 0);
  if (mode === true) return list;
  const bytes = list.reduce((n, d) => n + d.size, 0);
  return bytes >= 64 << 20 && bytes >= list.length * (1 << 20) ? list : [];
}

/** The image as a Node Readable (byte mode). */
export function imageReadable(plan: ImagePlan, options: StreamOptions = {}): Readable {
  return Readable.from(streamImage(plan, options), { objectMode: false, highWaterMark: 4 << 20 });
}

function isZero(b: Uint8Array): boolean {
  if (b.byteOffset % 8 !== 0) return b.every((x) => x === 0);
  const words = new BigUint64Array(b.buffer, b.byteOffset, b.byteLength >> 3);
  for (let i = 0; i < words.length; i++) if (words[i] !== 0n) return false;
  for (let i = words.length << 3; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

/**
 * Writes the image to a file. With `sparse`, all-zero chunks are skipped (the file is extended to
 * its full size at the end), so images of large empty or sparse files cost little disk.
 */
export async function writeImageFile(plan: ImagePlan, path: string, options: StreamOptions & { readonly sparse?: boolean } = {}): Promise<number> {
  const unwritable = (cause: unknown): ImageUnwritableError => new ImageUnwritableError(path, { cause });
  let fd: number;
  try {
    fd = openSync(path, "w");
  } catch (cause) {
    throw unwritable(cause);
  }
  let offset = 0;
  try {
    // Devices and pipes (/dev/null, a FIFO) are written in order; only regular files can be sparse.
    const regular = fstatSync(fd).isFile();
    const sparse = regular && options.sparse === true;
    for await (const chunk of streamImage(plan, { ...options, reuseChunks: true })) {
      if (!(sparse && isZero(chunk))) {
        let done = 0;
        try {
          while (done < chunk.length) done += writeSync(fd, chunk, done, chunk.length - done, regular ? offset + done : null);
        } catch (cause) {
          throw unwritable(cause);
        }
      }
      offset += chunk.length;
    }
    if (sparse) ftruncateSync(fd, offset);
  } finally {
    closeSync(fd);
  }
  return offset;
}
