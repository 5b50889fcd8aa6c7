/**
 * File Entry, ECMA-167 4/14.9, and Extended File Entry, 4/14.17 (OSTA UDF 2.60 2.3.6 and
 * 2.3.7): a file's ICB with owner, permissions (4/14.9.5), link count, information length,
 * logical blocks recorded, times, unique ID and the allocation descriptors (or, with the
 * embedded AD type, the data itself).
 */
import { MalformedDataError } from "@discforge/errors";
import { readU16LE, readU32LE, writeU16LE, writeU32LE } from "@discforge/bytes";
import { TAG_IDENTIFIERS, TAG_SIZE, sealDescriptor, verifyTag } from "./tag.js";
import { IcbTagCodec, type IcbTag } from "./icb-tag.js";
import { EntityIdCodec, type EntityId } from "./regid.js";
import { TimestampCodec } from "./timestamp.js";

export const FILE_ENTRY_HEADER = 176;
export const EXTENDED_FILE_ENTRY_HEADER = 216;

/** "Not specified" owner, OSTA UDF 2.60 3.3.3.1. */
export const UNSPECIFIED_ID = 0xffff_ffff;

export interface FileEntry {
  readonly extended: boolean;
  readonly icbTag: IcbTag;
  readonly uid: number;
  readonly gid: number;
  readonly permissions: number;
  readonly fileLinkCount: number;
  readonly informationLength: number;
  readonly logicalBlocksRecorded: number;
  readonly accessTime: Date | undefined;
  readonly modificationTime: Date | undefined;
  /** Extended File Entry only. */
  readonly creationTime: Date | undefined;
  readonly attributeTime: Date | undefined;
  readonly implementationIdentifier: EntityId;
  readonly uniqueId: number;
  readonly extendedAttributes: Uint8Array;
  /** Allocation descriptors, or the file's data when the ICB embeds it. */
  readonly allocationDescriptors: Uint8Array;
  /** Time zone the times are recorded in, minutes east of UTC (encoding only; default 0). */
  readonly timeZoneMinutes?: number;
}

/** POSIX mode bits to ECMA-167 4/14.9.5 permissions (delete and change-attribute follow write). */
export function permissionsFromMode(mode: number): number {
  let p = 0;
  for (const [shift, udf] of [[0, 0], [3, 5], [6, 10]] as const) {
    const bits = (mode >>> shift) & 7;
    let u = 0;
    if (bits & 1) u |= 1;
    if (bits & 2) u |= 2 | 8 | 16;
    if (bits & 4) u |= 4;
    p |= u << udf;
  }
  return p;
}

export function modeFromPermissions(p: number): number {
  let mode = 0;
  for (const [shift, udf] of [[0, 0], [3, 5], [6, 10]] as const) mode |= ((p >>> udf) & 7) << shift;
  return mode;
}

/** 64-bit little-endian without BigInt (values are sizes and counts below 2^53). */
function writeU64(out: Uint8Array, off: number, v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) throw new MalformedDataError("ECMA-167 4/14.9 file entry", off, `${v} is not a 64-bit size`);
  writeU32LE(out, off, v % 0x1_0000_0000);
  writeU32LE(out, off + 4, Math.floor(v / 0x1_0000_0000));
}

/**
 * A 64-bit size or count of a decoded entry. Above 2^53 - 1 it is an error naming the entry and
 * the field's absolute offset (a bare u64 read error names neither).
 */
function readU64Field(bytes: Uint8Array, off: number, structure: string, where: number, field: string): number {
  const low = readU32LE(bytes, off);
  const high = readU32LE(bytes, off + 4);
  if (high > 0x1f_ffff) throw new MalformedDataError(structure, where, `${field} ${(BigInt(high) << 32n) | BigInt(low)} exceeds 2^53 - 1`);
  return high * 0x1_0000_0000 + low;
}

export const FileEntryCodec = {
  sizeOf(e: Pick<FileEntry, "extended" | "extendedAttributes" | "allocationDescriptors">): number {
    return (e.extended ? EXTENDED_FILE_ENTRY_HEADER : FILE_ENTRY_HEADER) + e.extendedAttributes.length + e.allocationDescriptors.length;
  },
  encode(e: FileEntry, tag: { descriptorVersion: number; tagLocation: number }, blockSize = 2048): Uint8Array {
    const out = new Uint8Array(FileEntryCodec.sizeOf(e));
    FileEntryCodec.encodeInto(e, out, 0, tag, blockSize);
    return out;
  },
  /** Encodes into `out` at `off` (zeroed by the caller); returns the size. */
  encodeInto(e: FileEntry, out: Uint8Array, off: number, tag: { descriptorVersion: number; tagLocation: number }, blockSize = 2048): number {
    const size = FileEntryCodec.sizeOf(e);
    if (size > blockSize) throw new MalformedDataError(e.extended ? "ECMA-167 4/14.17 extended file entry" : "ECMA-167 4/14.9 file entry", 0, `${size} bytes exceed one ${blockSize}-byte block`);
    if (off + size > out.length) throw new MalformedDataError("ECMA-167 4/14.9 file entry", off, "does not fit the output");
    const o = out.subarray(off, off + size);
    IcbTagCodec.encodeInto(e.icbTag, o, 16);
    writeU32LE(o, 36, e.uid >>> 0);
    writeU32LE(o, 40, e.gid >>> 0);
    writeU32LE(o, 44, e.permissions);
    writeU16LE(o, 48, e.fileLinkCount);
    writeU64(o, 56, e.informationLength);
    const ts = (d: Date | undefined, at: number): void => {
      if (d) TimestampCodec.encodeInto(d, o, at, e.timeZoneMinutes ?? 0);
    };
    let ea: number;
    if (e.extended) {
      writeU64(o, 64, e.informationLength); // object size: no streams
      writeU64(o, 72, e.logicalBlocksRecorded);
      ts(e.accessTime, 80);
      ts(e.modificationTime, 92);
      ts(e.creationTime, 104);
      ts(e.attributeTime, 116);
      writeU32LE(o, 128, 1); // checkpoint
      EntityIdCodec.encodeInto(e.implementationIdentifier, o, 168);
      writeU64(o, 200, e.uniqueId);
      writeU32LE(o, 208, e.extendedAttributes.length);
      writeU32LE(o, 212, e.allocationDescriptors.length);
      ea = EXTENDED_FILE_ENTRY_HEADER;
    } else {
      writeU64(o, 64, e.logicalBlocksRecorded);
      ts(e.accessTime, 72);
      ts(e.modificationTime, 84);
      ts(e.attributeTime, 96);
      writeU32LE(o, 108, 1);
      EntityIdCodec.encodeInto(e.implementationIdentifier, o, 128);
      writeU64(o, 160, e.uniqueId);
      writeU32LE(o, 168, e.extendedAttributes.length);
      writeU32LE(o, 172, e.allocationDescriptors.length);
      ea = FILE_ENTRY_HEADER;
    }
    o.set(e.extendedAttributes, ea);
    o.set(e.allocationDescriptors, ea + e.extendedAttributes.length);
    sealDescriptor(o, 0, { ...tag, tagIdentifier: e.extended ? TAG_IDENTIFIERS.extendedFileEntry : TAG_IDENTIFIERS.fileEntry }, size - TAG_SIZE);
    return size;
  },
  /** Decodes a File Entry or an Extended File Entry; the tag decides which. */
  decode(bytes: Uint8Array, off: number, where: number, location?: number): FileEntry {
    const t = verifyTag(bytes, off, { identifier: [TAG_IDENTIFIERS.fileEntry, TAG_IDENTIFIERS.extendedFileEntry], structure: "ECMA-167 4/14.9 file entry", where, ...(location !== undefined ? { location } : {}) });
    const extended = t.tagIdentifier === TAG_IDENTIFIERS.extendedFileEntry;
    const structure = extended ? "ECMA-167 4/14.17 extended file entry" : "ECMA-167 4/14.9 file entry";
    const header = extended ? EXTENDED_FILE_ENTRY_HEADER : FILE_ENTRY_HEADER;
    if (off + header > bytes.length) throw new MalformedDataError(structure, where, "truncated");
    const lea = readU32LE(bytes, off + header - 8);
    const lad = readU32LE(bytes, off + header - 4);
    if (off + header + lea + lad > bytes.length) throw new MalformedDataError(structure, where + header - 8, `extended attributes (${lea}) and allocation descriptors (${lad}) run past the block`);
    const ts = (o: number): Date | undefined => TimestampCodec.decode(bytes, off + o, where + o)?.date;
    const u64 = (at: number, field: string): number => readU64Field(bytes, off + at, structure, where + at, field);
    const infoLen = u64(56, "information length");
    return {
      extended,
      icbTag: IcbTagCodec.decode(bytes, off + 16, where + 16),
      uid: readU32LE(bytes, off + 36),
      gid: readU32LE(bytes, off + 40),
      permissions: readU32LE(bytes, off + 44),
      fileLinkCount: readU16LE(bytes, off + 48),
      informationLength: infoLen,
      logicalBlocksRecorded: u64(extended ? 72 : 64, "logical blocks recorded"),
      accessTime: ts(extended ? 80 : 72),
      modificationTime: ts(extended ? 92 : 84),
      creationTime: extended ? ts(104) : undefined,
      attributeTime: ts(extended ? 116 : 96),
      implementationIdentifier: EntityIdCodec.decode(bytes, off + (extended ? 168 : 128)),
      uniqueId: u64(extended ? 200 : 160, "unique ID"),
      extendedAttributes: bytes.slice(off + header, off + header + lea),
      allocationDescriptors: bytes.slice(off + header + lea, off + header + lea + lad),
    };
  },
} as const;
