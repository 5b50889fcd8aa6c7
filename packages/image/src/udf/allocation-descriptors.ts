/**
 * Extent and allocation descriptors: extent_ad (ECMA-167 3/7.1), lb_addr (4/7.1), short_ad
 * (4/14.14.1), long_ad (4/14.14.2, with the OSTA UDF 2.60 2.3.10.1 ADImpUse: flags and the
 * unique ID in File Identifier Descriptors) and ext_ad (4/14.14.3). The top two bits of an
 * extent length are its type (4/14.14.1.1); lengths are at most 2^30 - 1 bytes.
 */
import { InvalidArgumentError } from "@discforge/errors";
import { readU16LE, readU32LE, writeU16LE, writeU32LE } from "@discforge/bytes";

/** Largest extent length (30 bits), ECMA-167 4/14.14.1.1. */
export const MAX_EXTENT_LENGTH = 0x3fff_ffff;

/** Extent types (top two bits of the length), ECMA-167 4/14.14.1.1. */
export const EXTENT_TYPES = { recorded: 0, allocatedNotRecorded: 1, notAllocated: 2, nextExtent: 3 } as const;
export type ExtentType = (typeof EXTENT_TYPES)[keyof typeof EXTENT_TYPES];

export interface ExtentAd {
  readonly length: number;
  readonly location: number;
}

export const ExtentAdCodec = {
  size: 8,
  encodeInto(e: ExtentAd, out: Uint8Array, off: number): void {
    writeU32LE(out, off, e.length);
    writeU32LE(out, off + 4, e.location);
  },
  decode(bytes: Uint8Array, off: number): ExtentAd {
    return { length: readU32LE(bytes, off), location: readU32LE(bytes, off + 4) };
  },
} as const;

/** Logical block address: block within a partition given by its partition reference number. */
export interface LbAddr {
  readonly logicalBlockNumber: number;
  readonly partitionReferenceNumber: number;
}

export interface ShortAd {
  readonly type: ExtentType;
  readonly length: number;
  readonly position: number;
}

function checkLength(length: number): void {
  if (!Number.isInteger(length) || length < 0 || length > MAX_EXTENT_LENGTH) throw new InvalidArgumentError("extent length", `${length} is not between 0 and 2^30 - 1`);
}

export const ShortAdCodec = {
  size: 8,
  encodeInto(a: ShortAd, out: Uint8Array, off: number): void {
    checkLength(a.length);
    writeU32LE(out, off, ((a.type << 30) | a.length) >>> 0);
    writeU32LE(out, off + 4, a.position);
  },
  decode(bytes: Uint8Array, off: number): ShortAd {
    const l = readU32LE(bytes, off);
    return { type: (l >>> 30) as ExtentType, length: l & MAX_EXTENT_LENGTH, position: readU32LE(bytes, off + 4) };
  },
} as const;

export interface LongAd {
  readonly type: ExtentType;
  readonly length: number;
  readonly location: LbAddr;
  /** 6 bytes; in a FID's ICB, bytes 2-5 carry the file's UDF unique ID (UDF 2.60 2.3.4.3). */
  readonly implementationUse: Uint8Array;
}

/** ADImpUse with a UDF unique ID, OSTA UDF 2.60 2.3.4.3 and 2.3.10.1. */
export function uniqueIdImplementationUse(uniqueId: number): Uint8Array {
  const b = new Uint8Array(6);
  writeU32LE(b, 2, uniqueId >>> 0);
  return b;
}

const NO_IMPL_USE = new Uint8Array(6);

export const LongAdCodec = {
  size: 16,
  encodeInto(a: Omit<LongAd, "implementationUse"> & { implementationUse?: Uint8Array }, out: Uint8Array, off: number): void {
    checkLength(a.length);
    writeU32LE(out, off, ((a.type << 30) | a.length) >>> 0);
    writeU32LE(out, off + 4, a.location.logicalBlockNumber);
    writeU16LE(out, off + 8, a.location.partitionReferenceNumber);
    out.set(a.implementationUse ?? NO_IMPL_USE, off + 10);
  },
  decode(bytes: Uint8Array, off: number): LongAd {
    const l = readU32LE(bytes, off);
    return {
      type: (l >>> 30) as ExtentType,
      length: l & MAX_EXTENT_LENGTH,
      location: { logicalBlockNumber: readU32LE(bytes, off + 4), partitionReferenceNumber: readU16LE(bytes, off + 8) },
      implementationUse: bytes.slice(off + 10, off + 16),
    };
  },
} as const;

export interface ExtAd {
  readonly type: ExtentType;
  readonly length: number;
  readonly recordedLength: number;
  readonly informationLength: number;
  readonly location: LbAddr;
}

export const ExtAdCodec = {
  size: 20,
  encodeInto(a: ExtAd, out: Uint8Array, off: number): void {
    checkLength(a.length);
    writeU32LE(out, off, ((a.type << 30) | a.length) >>> 0);
    writeU32LE(out, off + 4, a.recordedLength);
    writeU32LE(out, off + 8, a.informationLength);
    writeU32LE(out, off + 12, a.location.logicalBlockNumber);
    writeU16LE(out, off + 16, a.location.partitionReferenceNumber);
    out.fill(0, off + 18, off + 20);
  },
  decode(bytes: Uint8Array, off: number): ExtAd {
    const l = readU32LE(bytes, off);
    return {
      type: (l >>> 30) as ExtentType,
      length: l & MAX_EXTENT_LENGTH,
      recordedLength: readU32LE(bytes, off + 4) & MAX_EXTENT_LENGTH,
      informationLength: readU32LE(bytes, off + 8),
      location: { logicalBlockNumber: readU32LE(bytes, off + 12), partitionReferenceNumber: readU16LE(bytes, off + 16) },
    };
  },
} as const;

/**
 * Splits `size` bytes starting at block `first` into extents of at most 2^30 - 1 bytes, each but
 * the last a whole number of blocks (ECMA-167 4/12.1: only the last extent may end mid-block).
 */
export function splitExtents(size: number, first: number, blockSize = 2048): { length: number; block: number }[] {
  if (!Number.isSafeInteger(size) || size < 0) throw new InvalidArgumentError("size", `${size}`);
  const maxChunk = Math.floor(MAX_EXTENT_LENGTH / blockSize) * blockSize;
  const out: { length: number; block: number }[] = [];
  let block = first;
  for (let left = size; left > 0; ) {
    const n = Math.min(left, maxChunk);
    out.push({ length: n, block });
    block += Math.ceil(n / blockSize);
    left -= n;
  }
  return out;
}
