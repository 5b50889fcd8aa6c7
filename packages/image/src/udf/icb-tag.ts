/**
 * ICB tag, ECMA-167 4/14.6 (OSTA UDF 2.60 2.3.5): strategy 4, file type, parent ICB and flags
 * (allocation descriptor type in bits 0-2, setuid/setgid/sticky, contiguous).
 */
import { MalformedDataError } from "@discforge/errors";
import { readU16LE, readU32LE, writeU16LE, writeU32LE } from "@discforge/bytes";

export const ICB_TAG_SIZE = 20;

/** File types, ECMA-167 4/14.6.6 and OSTA UDF 2.60 2.3.5.2 (metadata files 250-252). */
export const FILE_TYPES = {
  unspecified: 0,
  unallocatedSpaceEntry: 1,
  partitionIntegrityEntry: 2,
  indirectEntry: 3,
  directory: 4,
  file: 5,
  blockDevice: 6,
  charDevice: 7,
  extendedAttributes: 8,
  fifo: 9,
  socket: 10,
  terminalEntry: 11,
  symlink: 12,
  streamDirectory: 13,
  metadataFile: 250,
  metadataMirrorFile: 251,
  metadataBitmapFile: 252,
} as const;

/** Allocation descriptor types (flags bits 0-2), ECMA-167 4/14.6.8. */
export const AD_TYPES = { short: 0, long: 1, extended: 2, embedded: 3 } as const;
export type AdType = (typeof AD_TYPES)[keyof typeof AD_TYPES];

export const ICB_FLAGS = { setuid: 1 << 6, setgid: 1 << 7, sticky: 1 << 8, contiguous: 1 << 9, system: 1 << 10 } as const;

export interface IcbTag {
  readonly priorRecordedNumberOfDirectEntries: number;
  readonly strategyType: number;
  readonly maximumNumberOfEntries: number;
  readonly fileType: number;
  readonly parentIcbLocation: { readonly logicalBlockNumber: number; readonly partitionReferenceNumber: number };
  readonly flags: number;
}

export const IcbTagCodec = {
  size: ICB_TAG_SIZE,
  encodeInto(t: IcbTag, out: Uint8Array, off: number): void {
    writeU32LE(out, off, t.priorRecordedNumberOfDirectEntries);
    writeU16LE(out, off + 4, t.strategyType);
    writeU16LE(out, off + 6, 0);
    writeU16LE(out, off + 8, t.maximumNumberOfEntries);
    out[off + 10] = 0;
    out[off + 11] = t.fileType;
    writeU32LE(out, off + 12, t.parentIcbLocation.logicalBlockNumber);
    writeU16LE(out, off + 16, t.parentIcbLocation.partitionReferenceNumber);
    writeU16LE(out, off + 18, t.flags);
  },
  decode(bytes: Uint8Array, off: number, where: number): IcbTag {
    if (off + ICB_TAG_SIZE > bytes.length) throw new MalformedDataError("ECMA-167 4/14.6 ICB tag", where, "truncated");
    return {
      priorRecordedNumberOfDirectEntries: readU32LE(bytes, off),
      strategyType: readU16LE(bytes, off + 4),
      maximumNumberOfEntries: readU16LE(bytes, off + 8),
      fileType: bytes[off + 11]!,
      parentIcbLocation: { logicalBlockNumber: readU32LE(bytes, off + 12), partitionReferenceNumber: readU16LE(bytes, off + 16) },
      flags: readU16LE(bytes, off + 18),
    };
  },
} as const;
