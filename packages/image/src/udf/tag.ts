/**
 * Descriptor tag, ECMA-167 3/7.2 (and 4/7.2): the 16 bytes that open every UDF descriptor.
 * The checksum covers the tag's bytes 0-3 and 5-15; the CRC (CRC-16/CCITT, ECMA-167 1/7.2.6)
 * covers `descriptorCrcLength` bytes of the descriptor after the tag. OSTA UDF 2.60 2.2.1 and
 * 2.3.1: the CRC covers the whole descriptor, the serial number is the same for all descriptors.
 */
import { MalformedDataError } from "@discforge/errors";
import { crc16Ccitt, readU16LE, readU32LE, writeU16LE, writeU32LE } from "@discforge/bytes";

/** Tag identifiers, ECMA-167 3/7.2.1 and 4/7.2.1. */
export const TAG_IDENTIFIERS = {
  primaryVolumeDescriptor: 1,
  anchorVolumeDescriptorPointer: 2,
  volumeDescriptorPointer: 3,
  implementationUseVolumeDescriptor: 4,
  partitionDescriptor: 5,
  logicalVolumeDescriptor: 6,
  unallocatedSpaceDescriptor: 7,
  terminatingDescriptor: 8,
  logicalVolumeIntegrityDescriptor: 9,
  fileSetDescriptor: 256,
  fileIdentifierDescriptor: 257,
  allocationExtentDescriptor: 258,
  indirectEntry: 259,
  terminalEntry: 260,
  fileEntry: 261,
  extendedAttributeHeaderDescriptor: 262,
  unallocatedSpaceEntry: 263,
  spaceBitmapDescriptor: 264,
  partitionIntegrityEntry: 265,
  extendedFileEntry: 266,
} as const;
export type TagIdentifier = (typeof TAG_IDENTIFIERS)[keyof typeof TAG_IDENTIFIERS];

export const TAG_SIZE = 16;

export interface DescriptorTag {
  readonly tagIdentifier: number;
  /** 2 for NSR02 (UDF 1.02/1.50), 3 for NSR03 (UDF 2.00 and later). */
  readonly descriptorVersion: number;
  readonly tagChecksum: number;
  readonly tagSerialNumber: number;
  readonly descriptorCrc: number;
  readonly descriptorCrcLength: number;
  /** Sector (volume structures) or partition-relative block (file structures) of the tag. */
  readonly tagLocation: number;
}

function checksum(bytes: Uint8Array, off: number): number {
  let sum = 0;
  for (let i = 0; i < 16; i++) if (i !== 4) sum += bytes[off + i]!;
  return sum & 0xff;
}

/**
 * Fills in the tag of the descriptor at `bytes[off, off + TAG_SIZE + crcLength)`: identifier,
 * version, serial, location, the CRC over the body and then the checksum.
 */
export function sealDescriptor(bytes: Uint8Array, off: number, tag: { tagIdentifier: number; descriptorVersion: number; tagSerialNumber?: number; tagLocation: number }, crcLength: number): void {
  writeU16LE(bytes, off, tag.tagIdentifier);
  writeU16LE(bytes, off + 2, tag.descriptorVersion);
  bytes[off + 5] = 0;
  writeU16LE(bytes, off + 6, tag.tagSerialNumber ?? 0);
  writeU16LE(bytes, off + 8, crc16Ccitt(bytes.subarray(off + TAG_SIZE, off + TAG_SIZE + crcLength)));
  writeU16LE(bytes, off + 10, crcLength);
  writeU32LE(bytes, off + 12, tag.tagLocation >>> 0);
  bytes[off + 4] = checksum(bytes, off);
}

/** Decodes a tag without checking it. */
export function decodeTag(bytes: Uint8Array, off = 0): DescriptorTag {
  if (off + TAG_SIZE > bytes.length) throw new MalformedDataError("ECMA-167 3/7.2 descriptor tag", off, `needs 16 bytes, ${bytes.length - off} available`);
  return {
    tagIdentifier: readU16LE(bytes, off),
    descriptorVersion: readU16LE(bytes, off + 2),
    tagChecksum: bytes[off + 4]!,
    tagSerialNumber: readU16LE(bytes, off + 6),
    descriptorCrc: readU16LE(bytes, off + 8),
    descriptorCrcLength: readU16LE(bytes, off + 10),
    tagLocation: readU32LE(bytes, off + 12),
  };
}

/** True when the 16 bytes at `off` have a valid checksum and a non-zero identifier (a cheap probe). */
export function looksLikeTag(bytes: Uint8Array, off = 0): boolean {
  if (off + TAG_SIZE > bytes.length) return false;
  return readU16LE(bytes, off) !== 0 && checksum(bytes, off) === bytes[off + 4];
}

/**
 * Decodes and verifies a tag: checksum, CRC over the body, expected identifier and location.
 * `where` is the absolute byte offset of `bytes[off]`, for errors.
 */
export function verifyTag(bytes: Uint8Array, off: number, expect: { identifier?: number | readonly number[]; location?: number; structure: string; where: number }): DescriptorTag {
  const t = decodeTag(bytes, off);
  const at = expect.where;
  if (checksum(bytes, off) !== t.tagChecksum) throw new MalformedDataError(expect.structure, at, `tag checksum ${t.tagChecksum} is wrong (computed ${checksum(bytes, off)})`);
  if (expect.identifier !== undefined) {
    const ok = typeof expect.identifier === "number" ? t.tagIdentifier === expect.identifier : expect.identifier.includes(t.tagIdentifier);
    if (!ok) throw new MalformedDataError(expect.structure, at, `tag identifier ${t.tagIdentifier}, expected ${String(expect.identifier)}`);
  }
  if (t.descriptorVersion !== 2 && t.descriptorVersion !== 3) throw new MalformedDataError(expect.structure, at + 2, `descriptor version ${t.descriptorVersion} is not 2 or 3`);
  if (off + TAG_SIZE + t.descriptorCrcLength > bytes.length) throw new MalformedDataError(expect.structure, at + 10, `CRC length ${t.descriptorCrcLength} runs past the ${bytes.length - off - TAG_SIZE} bytes available`);
  const crc = crc16Ccitt(bytes.subarray(off + TAG_SIZE, off + TAG_SIZE + t.descriptorCrcLength));
  if (crc !== t.descriptorCrc) throw new MalformedDataError(expect.structure, at + 8, `descriptor CRC ${t.descriptorCrc.toString(16)} is wrong (computed ${crc.toString(16)})`);
  if (expect.location !== undefined && t.tagLocation !== expect.location) throw new MalformedDataError(expect.structure, at + 12, `tag location ${t.tagLocation}, recorded at ${expect.location}`);
  return t;
}
