/**
 * File Set Descriptor, ECMA-167 4/14.1 (OSTA UDF 2.60 2.3.2): names the file set and points at
 * the root directory's ICB; its domain identifier carries the UDF revision.
 */
import { readU16LE, readU32LE, writeU16LE, writeU32LE } from "@discforge/bytes";
import { TAG_IDENTIFIERS, TAG_SIZE, sealDescriptor, verifyTag } from "./tag.js";
import { CharSpecCodec, OSTA_CS0, decodeDstring, encodeDstringInto } from "./charspec.js";
import { EntityIdCodec, type EntityId } from "./regid.js";
import { LongAdCodec, type LongAd } from "./allocation-descriptors.js";
import { TimestampCodec } from "./timestamp.js";

export interface FileSetDescriptor {
  readonly recordingDateAndTime: Date;
  readonly interchangeLevel: number;
  readonly maximumInterchangeLevel: number;
  readonly fileSetNumber: number;
  readonly fileSetDescriptorNumber: number;
  readonly logicalVolumeIdentifier: string;
  readonly fileSetIdentifier: string;
  readonly copyrightFileIdentifier: string;
  readonly abstractFileIdentifier: string;
  readonly rootDirectoryIcb: LongAd;
  readonly domainIdentifier: EntityId;
  readonly nextExtent?: LongAd;
  readonly systemStreamDirectoryIcb?: LongAd;
}

export const FileSetDescriptorCodec = {
  size: 512,
  encode(d: FileSetDescriptor, tag: { descriptorVersion: number; tagLocation: number }): Uint8Array {
    const out = new Uint8Array(512);
    TimestampCodec.encodeInto(d.recordingDateAndTime, out, 16);
    writeU16LE(out, 28, d.interchangeLevel);
    writeU16LE(out, 30, d.maximumInterchangeLevel);
    writeU32LE(out, 32, 1);
    writeU32LE(out, 36, 1);
    writeU32LE(out, 40, d.fileSetNumber);
    writeU32LE(out, 44, d.fileSetDescriptorNumber);
    CharSpecCodec.encodeInto(OSTA_CS0, out, 48);
    encodeDstringInto(d.logicalVolumeIdentifier, 128, out, 112, true);
    CharSpecCodec.encodeInto(OSTA_CS0, out, 240);
    encodeDstringInto(d.fileSetIdentifier, 32, out, 304, true);
    encodeDstringInto(d.copyrightFileIdentifier, 32, out, 336, true);
    encodeDstringInto(d.abstractFileIdentifier, 32, out, 368, true);
    LongAdCodec.encodeInto(d.rootDirectoryIcb, out, 400);
    EntityIdCodec.encodeInto(d.domainIdentifier, out, 416);
    if (d.nextExtent) LongAdCodec.encodeInto(d.nextExtent, out, 448);
    if (d.systemStreamDirectoryIcb) LongAdCodec.encodeInto(d.systemStreamDirectoryIcb, out, 464);
    sealDescriptor(out, 0, { ...tag, tagIdentifier: TAG_IDENTIFIERS.fileSetDescriptor }, 512 - TAG_SIZE);
    return out;
  },
  decode(bytes: Uint8Array, off: number, where: number, location?: number): FileSetDescriptor {
    verifyTag(bytes, off, { identifier: TAG_IDENTIFIERS.fileSetDescriptor, structure: "ECMA-167 4/14.1 file set descriptor", where, ...(location !== undefined ? { location } : {}) });
    const next = LongAdCodec.decode(bytes, off + 448);
    const streams = LongAdCodec.decode(bytes, off + 464);
    return {
      recordingDateAndTime: TimestampCodec.decode(bytes, off + 16, where + 16)?.date ?? new Date(0),
      interchangeLevel: readU16LE(bytes, off + 28),
      maximumInterchangeLevel: readU16LE(bytes, off + 30),
      fileSetNumber: readU32LE(bytes, off + 40),
      fileSetDescriptorNumber: readU32LE(bytes, off + 44),
      logicalVolumeIdentifier: decodeDstring(bytes, off + 112, 128, where + 112),
      fileSetIdentifier: decodeDstring(bytes, off + 304, 32, where + 304),
      copyrightFileIdentifier: decodeDstring(bytes, off + 336, 32, where + 336),
      abstractFileIdentifier: decodeDstring(bytes, off + 368, 32, where + 368),
      rootDirectoryIcb: LongAdCodec.decode(bytes, off + 400),
      domainIdentifier: EntityIdCodec.decode(bytes, off + 416),
      ...(next.length > 0 ? { nextExtent: next } : {}),
      ...(streams.length > 0 ? { systemStreamDirectoryIcb: streams } : {}),
    };
  },
} as const;
