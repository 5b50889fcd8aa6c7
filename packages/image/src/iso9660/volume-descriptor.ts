/**
 * ECMA-119 8 Volume Descriptors (one 2048-byte sector each, from sector 16 on).
 *
 * Header (8.1): type (0 boot record, 1 primary, 2 supplementary/enhanced, 3 partition,
 * 255 terminator), standard identifier "CD001", version (1; 2 for the ISO 9660:1999 enhanced
 * volume descriptor).
 *
 * Primary (8.4) and Supplementary (8.5) share one layout:
 *   7 volume flags (SVD only), 8-39 system identifier, 40-71 volume identifier,
 *   80-87 volume space size (both 32), 88-119 escape sequences (SVD only; Joliet "%/@" "%/C" "%/E"),
 *   120-123 volume set size, 124-127 volume sequence number, 128-131 logical block size (both 16),
 *   132-139 path table size (both 32), 140 L path table, 144 optional L, 148 M path table,
 *   152 optional M, 156-189 root directory record, 190 volume set id (128),
 *   318 publisher id (128), 446 data preparer id (128), 574 application id (128),
 *   702 copyright file id (37), 739 abstract file id (37), 776 bibliographic file id (37),
 *   813/830/847/864 creation, modification, expiration, effective dates (8.4.26.1),
 *   881 file structure version, 883-1394 application use.
 * Joliet (SVD with a UCS-2 escape sequence) writes its identifier fields as UCS-2BE.
 */
import { readBoth16, readBoth32, writeBoth16, writeBoth32, decodeUtf16BE } from "@discforge/bytes";
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";
import { decodeLongDateTime, encodeLongDateTime } from "./datetime.js";
import { DirectoryRecordCodec, type DirectoryRecord } from "./directory-record.js";
import { atImageOffset } from "./image-offset.js";

export const SECTOR_SIZE = 2048;
export const STANDARD_IDENTIFIER = "CD001";

export const VOLUME_DESCRIPTOR_TYPE = {
  bootRecord: 0,
  primary: 1,
  supplementary: 2,
  partition: 3,
  terminator: 255,
} as const;

/** Joliet escape sequences (Joliet specification, "Supplementary Volume Descriptor"). */
export const JOLIET_ESCAPES = {
  level1: "%/@",
  level2: "%/C",
  level3: "%/E",
} as const;

export interface VolumeDescriptorText {
  readonly systemId: string;
  readonly volumeId: string;
  readonly volumeSetId: string;
  readonly publisherId: string;
  readonly dataPreparerId: string;
  readonly applicationId: string;
  readonly copyrightFileId: string;
  readonly abstractFileId: string;
  readonly bibliographicFileId: string;
}

export interface VolumeDescriptor extends VolumeDescriptorText {
  readonly type: 1 | 2;
  /** 1, or 2 for an ISO 9660:1999 enhanced volume descriptor. */
  readonly version: number;
  readonly volumeFlags: number;
  /** Raw 32-byte escape sequence field (SVD). */
  readonly escapeSequences: Uint8Array;
  readonly volumeSpaceSize: number;
  readonly volumeSetSize: number;
  readonly volumeSequenceNumber: number;
  readonly logicalBlockSize: number;
  readonly pathTableSize: number;
  readonly lPathTable: number;
  readonly optionalLPathTable: number;
  readonly mPathTable: number;
  readonly optionalMPathTable: number;
  readonly root: DirectoryRecord;
  readonly created: Date | undefined;
  readonly modified: Date | undefined;
  readonly expires: Date | undefined;
  readonly effective: Date | undefined;
  readonly fileStructureVersion: number;
  readonly applicationUse: Uint8Array;
}

/** How identifier text is stored: single-byte (PVD, EVD) or UCS-2BE (Joliet SVD). */
export type DescriptorCharset = "single" | "ucs2";

const TEXT_FIELDS: readonly [keyof VolumeDescriptorText, number, number][] = [
  ["systemId", 8, 32],
  ["volumeId", 40, 32],
  ["volumeSetId", 190, 128],
  ["publisherId", 318, 128],
  ["dataPreparerId", 446, 128],
  ["applicationId", 574, 128],
  ["copyrightFileId", 702, 37],
  ["abstractFileId", 739, 37],
  ["bibliographicFileId", 776, 37],
];

function writeText(out: Uint8Array, off: number, len: number, text: string, charset: DescriptorCharset, field: string): void {
  if (charset === "single") {
    if (text.length > len) throw new InvalidArgumentError(field, `"${text}" is longer than ${len} characters`);
    for (let i = 0; i < len; i++) {
      const c = i < text.length ? text.charCodeAt(i) : 0x20;
      if (c < 0x20 || c > 0x7e) throw new InvalidArgumentError(field, `character U+${c.toString(16)} is not allowed`);
      out[off + i] = c;
    }
    return;
  }
  // UCS-2: as many whole characters as fit; an odd trailing byte is padded with 0x00 like other writers.
  if (text.length * 2 > len) throw new InvalidArgumentError(field, `"${text}" is longer than ${len >> 1} UCS-2 characters`);
  for (let i = 0; i + 1 < len; i += 2) {
    const c = i / 2 < text.length ? text.charCodeAt(i / 2) : 0x20;
    out[off + i] = c >>> 8;
    out[off + i + 1] = c & 0xff;
  }
  if (len % 2 === 1) out[off + len - 1] = 0;
}

function readText(buf: Uint8Array, off: number, len: number, charset: DescriptorCharset): string {
  if (charset === "ucs2") {
    const s = decodeUtf16BE(buf, off, len - (len % 2));
    let end = s.length;
    while (end > 0 && (s.charCodeAt(end - 1) === 0 || s.charCodeAt(end - 1) === 0x20)) end--;
    return s.slice(0, end);
  }
  let end = off + len;
  while (end > off && (buf[end - 1] === 0x20 || buf[end - 1] === 0)) end--;
  let s = "";
  for (let i = off; i < end; i++) s += String.fromCharCode(buf[i]!);
  return s;
}

export function escapeSequenceBytes(seq: string): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < seq.length; i++) out[i] = seq.charCodeAt(i);
  return out;
}

export const VolumeDescriptorCodec = {
  encode(d: VolumeDescriptor, charset: DescriptorCharset): Uint8Array {
    const out = new Uint8Array(SECTOR_SIZE);
    out[0] = d.type;
    for (let i = 0; i < 5; i++) out[1 + i] = STANDARD_IDENTIFIER.charCodeAt(i);
    out[6] = d.version;
    out[7] = d.type === 2 ? d.volumeFlags : 0;
    for (const [key, off, len] of TEXT_FIELDS) writeText(out, off, len, d[key], charset, `volume descriptor ${key}`);
    writeBoth32(out, 80, d.volumeSpaceSize);
    if (d.type === 2) out.set(d.escapeSequences.subarray(0, 32), 88);
    writeBoth16(out, 120, d.volumeSetSize);
    writeBoth16(out, 124, d.volumeSequenceNumber);
    writeBoth16(out, 128, d.logicalBlockSize);
    writeBoth32(out, 132, d.pathTableSize);
    const dv = new DataView(out.buffer);
    dv.setUint32(140, d.lPathTable, true);
    dv.setUint32(144, d.optionalLPathTable, true);
    dv.setUint32(148, d.mPathTable, false);
    dv.setUint32(152, d.optionalMPathTable, false);
    const rootLen = DirectoryRecordCodec.encodeInto(d.root, out, 156);
    if (rootLen !== 34) throw new InvalidArgumentError("volume descriptor root", `root record must be 34 bytes, got ${rootLen}`);
    encodeLongDateTime(d.created, out, 813);
    encodeLongDateTime(d.modified, out, 830);
    encodeLongDateTime(d.expires, out, 847);
    encodeLongDateTime(d.effective, out, 864);
    out[881] = d.fileStructureVersion;
    out.set(d.applicationUse.subarray(0, 512), 883);
    return out;
  },
  /** Decodes a primary, supplementary or enhanced descriptor; `lba` only feeds error offsets. */
  decode(sector: Uint8Array, lba: number, charset?: DescriptorCharset): VolumeDescriptor {
    const base = lba * SECTOR_SIZE;
    const type = sector[0];
    const name = type === 1 ? "ECMA-119 8.4 primary volume descriptor" : "ECMA-119 8.5 supplementary volume descriptor";
    if (sector.length < SECTOR_SIZE) throw new MalformedDataError(name, base, "short sector");
    if (type !== 1 && type !== 2) throw new MalformedDataError(name, base, `type ${String(type)} is not 1 or 2`);
    if (readText(sector, 1, 5, "single") !== STANDARD_IDENTIFIER) throw new MalformedDataError(name, base + 1, "standard identifier is not CD001");
    const escapes = sector.slice(88, 120);
    const cs = charset ?? (type === 2 && isJolietEscape(escapes) ? "ucs2" : "single");
    const text = {} as Record<keyof VolumeDescriptorText, string>;
    for (const [key, off, len] of TEXT_FIELDS) text[key] = readText(sector, off, len, cs);
    const root = DirectoryRecordCodec.decode(sector, 156, base, name + " root directory record");
    if (!root) throw new MalformedDataError(name, base + 156, "root directory record is empty");
    const dv = new DataView(sector.buffer, sector.byteOffset, sector.byteLength);
    // The field readers below report offsets within the sector.
    return atImageOffset(base, () => ({
      type,
      version: sector[6]!,
      volumeFlags: sector[7]!,
      escapeSequences: escapes,
      ...text,
      volumeSpaceSize: readBoth32(sector, 80, name + " volume space size"),
      volumeSetSize: readBoth16(sector, 120, name + " volume set size"),
      volumeSequenceNumber: readBoth16(sector, 124, name + " volume sequence number"),
      logicalBlockSize: readBoth16(sector, 128, name + " logical block size"),
      pathTableSize: readBoth32(sector, 132, name + " path table size"),
      lPathTable: dv.getUint32(140, true),
      optionalLPathTable: dv.getUint32(144, true),
      mPathTable: dv.getUint32(148, false),
      optionalMPathTable: dv.getUint32(152, false),
      root,
      created: decodeLongDateTime(sector, 813, name + " creation date"),
      modified: decodeLongDateTime(sector, 830, name + " modification date"),
      expires: decodeLongDateTime(sector, 847, name + " expiration date"),
      effective: decodeLongDateTime(sector, 864, name + " effective date"),
      fileStructureVersion: sector[881]!,
      applicationUse: sector.slice(883, 883 + 512),
    }));
  },
} as const;

export function isJolietEscape(field: Uint8Array): boolean {
  const s = String.fromCharCode(field[0] ?? 0, field[1] ?? 0, field[2] ?? 0);
  return s === JOLIET_ESCAPES.level1 || s === JOLIET_ESCAPES.level2 || s === JOLIET_ESCAPES.level3;
}

/** ECMA-119 8.3 Volume Descriptor Set Terminator. */
export function encodeTerminator(): Uint8Array {
  const out = new Uint8Array(SECTOR_SIZE);
  out[0] = VOLUME_DESCRIPTOR_TYPE.terminator;
  for (let i = 0; i < 5; i++) out[1 + i] = STANDARD_IDENTIFIER.charCodeAt(i);
  out[6] = 1;
  return out;
}

/** Reads the 7-byte header of any volume descriptor (8.1). */
export function decodeDescriptorHeader(sector: Uint8Array, lba: number): { type: number; version: number } {
  if (sector.length < 7 || readText(sector, 1, 5, "single") !== STANDARD_IDENTIFIER) {
    throw new MalformedDataError("ECMA-119 8.1 volume descriptor", lba * SECTOR_SIZE + 1, "standard identifier is not CD001");
  }
  return { type: sector[0]!, version: sector[6]! };
}
