/**
 * GUID Partition Table header and partition entries (UEFI 2.10 5.3.2 table 5-5, 5.3.3 table 5-6).
 *
 * Header (92 bytes used, rest of the 512-byte block zero):
 *   0  "EFI PART"            8  revision 00010000h     12 header size 92
 *   16 header CRC32 (over the 92 bytes with this field zero)     20 reserved 0
 *   24 MyLBA                 32 AlternateLBA           40 FirstUsableLBA   48 LastUsableLBA
 *   56 DiskGUID              72 PartitionEntryLBA      80 NumberOfPartitionEntries
 *   84 SizeOfPartitionEntry (128)                      88 PartitionEntryArrayCRC32
 * Entry (128 bytes):
 *   0 PartitionTypeGUID      16 UniquePartitionGUID    32 StartingLBA      40 EndingLBA (inclusive)
 *   48 Attributes (u64)      56 PartitionName, 36 UTF-16LE code units, zero-padded
 * All integers little-endian.
 */
import { readU32LE, readU64LE, readU64LEBig, writeU32LE, writeU64LE, writeU64LEBig } from "@discforge/bytes";
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";
import { crc32 } from "./crc32.js";
import { decodeGuid, encodeGuid } from "./guid.js";

export const GPT_BLOCK_SIZE = 512;
export const GPT_HEADER_SIZE = 92;
export const GPT_ENTRY_SIZE = 128;
export const GPT_REVISION = 0x00010000;
const SIGNATURE = "EFI PART";
const NAME_UNITS = 36;

/** GPT entry attribute bits (UEFI 2.10 table 5-8; bit 60 is Microsoft's read-only flag). */
export const GPT_ATTRIBUTES = {
  requiredPartition: 1n << 0n,
  noBlockIoProtocol: 1n << 1n,
  legacyBiosBootable: 1n << 2n,
  readOnly: 1n << 60n,
  hidden: 1n << 62n,
  noDriveLetter: 1n << 63n,
} as const;

export interface GptHeader {
  readonly myLba: number;
  readonly alternateLba: number;
  readonly firstUsableLba: number;
  readonly lastUsableLba: number;
  readonly diskGuid: string;
  readonly partitionEntryLba: number;
  readonly numberOfPartitionEntries: number;
  readonly sizeOfPartitionEntry: number;
  readonly partitionEntryArrayCrc32: number;
}

export interface GptPartitionEntry {
  readonly typeGuid: string;
  readonly uniqueGuid: string;
  readonly startingLba: number;
  /** Inclusive. */
  readonly endingLba: number;
  readonly attributes: bigint;
  readonly name: string;
}

const HEADER = "GPT header";
const ENTRY = "GPT partition entry";

export const GptHeaderCodec = {
  size: GPT_BLOCK_SIZE,
  /** Encodes one 512-byte block with the header CRC32 computed. */
  encode(h: GptHeader): Uint8Array {
    const out = new Uint8Array(GPT_BLOCK_SIZE);
    for (let i = 0; i < 8; i++) out[i] = SIGNATURE.charCodeAt(i);
    writeU32LE(out, 8, GPT_REVISION);
    writeU32LE(out, 12, GPT_HEADER_SIZE);
    writeU64LE(out, 24, h.myLba);
    writeU64LE(out, 32, h.alternateLba);
    writeU64LE(out, 40, h.firstUsableLba);
    writeU64LE(out, 48, h.lastUsableLba);
    out.set(encodeGuid(h.diskGuid), 56);
    writeU64LE(out, 72, h.partitionEntryLba);
    writeU32LE(out, 80, h.numberOfPartitionEntries);
    writeU32LE(out, 84, h.sizeOfPartitionEntry);
    writeU32LE(out, 88, h.partitionEntryArrayCrc32);
    writeU32LE(out, 16, crc32(out.subarray(0, GPT_HEADER_SIZE)));
    return out;
  },
  /** Decodes and checks signature, revision, size and header CRC32. */
  decode(bytes: Uint8Array, baseOffset = 0): GptHeader {
    const fail = (at: number, detail: string): never => {
      throw new MalformedDataError(HEADER, baseOffset + at, detail);
    };
    if (bytes.length < GPT_HEADER_SIZE) fail(0, `needs ${GPT_HEADER_SIZE} bytes, has ${bytes.length}`);
    if (String.fromCharCode(...bytes.subarray(0, 8)) !== SIGNATURE) fail(0, 'signature is not "EFI PART"');
    const revision = readU32LE(bytes, 8);
    if (revision !== GPT_REVISION) fail(8, `revision ${revision.toString(16)}h is not 00010000h`);
    const size = readU32LE(bytes, 12);
    if (size < GPT_HEADER_SIZE || size > bytes.length) fail(12, `header size ${size} is out of range`);
    const copy = bytes.slice(0, size);
    copy.fill(0, 16, 20);
    const stored = readU32LE(bytes, 16);
    const computed = crc32(copy);
    if (stored !== computed) fail(16, `header CRC32 ${stored.toString(16)}h, computed ${computed.toString(16)}h`);
    const sizeOfPartitionEntry = readU32LE(bytes, 84);
    if (sizeOfPartitionEntry < GPT_ENTRY_SIZE || sizeOfPartitionEntry % 8 !== 0) fail(84, `partition entry size ${sizeOfPartitionEntry} is invalid`);
    return {
      myLba: readU64LE(bytes, 24),
      alternateLba: readU64LE(bytes, 32),
      firstUsableLba: readU64LE(bytes, 40),
      lastUsableLba: readU64LE(bytes, 48),
      diskGuid: decodeGuid(bytes, 56),
      partitionEntryLba: readU64LE(bytes, 72),
      numberOfPartitionEntries: readU32LE(bytes, 80),
      sizeOfPartitionEntry,
      partitionEntryArrayCrc32: readU32LE(bytes, 88),
    };
  },
} as const;

export const GptPartitionEntryCodec = {
  size: GPT_ENTRY_SIZE,
  encode(e: GptPartitionEntry): Uint8Array {
    const out = new Uint8Array(GPT_ENTRY_SIZE);
    if (e.endingLba < e.startingLba) throw new InvalidArgumentError("endingLba", `${e.endingLba} is before startingLba ${e.startingLba}`);
    if (e.name.length > NAME_UNITS) throw new InvalidArgumentError("name", `"${e.name}" is longer than ${NAME_UNITS} UTF-16 code units`);
    out.set(encodeGuid(e.typeGuid), 0);
    out.set(encodeGuid(e.uniqueGuid), 16);
    writeU64LE(out, 32, e.startingLba);
    writeU64LE(out, 40, e.endingLba);
    writeU64LEBig(out, 48, e.attributes);
    for (let i = 0; i < e.name.length; i++) {
      const unit = e.name.charCodeAt(i);
      out[56 + 2 * i] = unit & 0xff;
      out[57 + 2 * i] = unit >> 8;
    }
    return out;
  },
  decode(bytes: Uint8Array, baseOffset = 0): GptPartitionEntry {
    if (bytes.length < GPT_ENTRY_SIZE) throw new MalformedDataError(ENTRY, baseOffset, `needs ${GPT_ENTRY_SIZE} bytes, has ${bytes.length}`);
    const units: number[] = [];
    for (let i = 0; i < NAME_UNITS; i++) {
      const unit = bytes[56 + 2 * i]! | (bytes[57 + 2 * i]! << 8);
      if (unit === 0) break;
      units.push(unit);
    }
    return {
      typeGuid: decodeGuid(bytes, 0),
      uniqueGuid: decodeGuid(bytes, 16),
      startingLba: readU64LE(bytes, 32),
      endingLba: readU64LE(bytes, 40),
      attributes: readU64LEBig(bytes, 48),
      name: String.fromCharCode(...units),
    };
  },
} as const;

/** True when an entry's type GUID is all zero (an unused slot). */
export function isUnusedGptEntry(bytes: Uint8Array, offset = 0): boolean {
  for (let i = 0; i < 16; i++) if (bytes[offset + i] !== 0) return false;
  return true;
}

/** Encodes `count` entries (unused ones zero) into one array. */
export function encodeGptEntryArray(entries: readonly GptPartitionEntry[], count: number): Uint8Array {
  if (entries.length > count) throw new InvalidArgumentError("entries", `${entries.length} partitions exceed the ${count}-entry array`);
  const out = new Uint8Array(count * GPT_ENTRY_SIZE);
  entries.forEach((e, i) => out.set(GptPartitionEntryCodec.encode(e), i * GPT_ENTRY_SIZE));
  return out;
}

/** Decodes the used entries of an array, checking its CRC32 against the header. */
export function decodeGptEntryArray(bytes: Uint8Array, header: GptHeader, baseOffset = 0): GptPartitionEntry[] {
  const length = header.numberOfPartitionEntries * header.sizeOfPartitionEntry;
  if (bytes.length < length) throw new MalformedDataError("GPT partition entry array", baseOffset, `needs ${length} bytes, has ${bytes.length}`);
  const computed = crc32(bytes.subarray(0, length));
  if (computed !== header.partitionEntryArrayCrc32) {
    throw new MalformedDataError("GPT partition entry array", baseOffset, `CRC32 ${computed.toString(16)}h does not match the header's ${header.partitionEntryArrayCrc32.toString(16)}h`);
  }
  const out: GptPartitionEntry[] = [];
  for (let i = 0; i < header.numberOfPartitionEntries; i++) {
    const at = i * header.sizeOfPartitionEntry;
    if (isUnusedGptEntry(bytes, at)) continue;
    out.push(GptPartitionEntryCodec.decode(bytes.subarray(at, at + GPT_ENTRY_SIZE), baseOffset + at));
  }
  return out;
}
