/**
 * READ FORMAT CAPACITIES response data (MMC-6 6.24.3): capacity list header (3 reserved bytes,
 * capacity list length), the current/maximum capacity descriptor (number of blocks, descriptor
 * type, block length) and formattable capacity descriptors (number of blocks, format type,
 * type-dependent parameter), 8 bytes each.
 */
import { ByteReader, ByteWriter } from "@discforge/bytes";
import { MalformedDataError } from "@discforge/errors";
import { bits, fixedEntries, u8At, u24At, u32At, uint, type Codec, type MaybeTruncated } from "./codec.js";

/** Descriptor Type of the current/maximum capacity descriptor. */
export const CAPACITY_DESCRIPTOR_TYPE = { unformatted: 1, formatted: 2, noMedia: 3 } as const;

export interface CurrentCapacityDescriptor {
  readonly numberOfBlocks: number;
  /** See CAPACITY_DESCRIPTOR_TYPE (2 bits). */
  readonly descriptorType: number;
  readonly blockLength: number;
}

export interface FormattableCapacityDescriptor {
  readonly numberOfBlocks: number;
  /** 6 bits; names in FORMAT_TYPES. */
  readonly formatType: number;
  readonly typeDependentParameter: number;
}

export interface FormatCapacities extends MaybeTruncated {
  readonly current: CurrentCapacityDescriptor;
  readonly formattable: readonly FormattableCapacityDescriptor[];
}

const STRUCTURE = "READ FORMAT CAPACITIES response";

function decode(bytes: Uint8Array): FormatCapacities {
  if (bytes.length < 4) throw new MalformedDataError(STRUCTURE, bytes.length, `needs the 4-byte capacity list header, got ${bytes.length}`);
  const declaredLength = 4 + bytes[3]!;
  if (declaredLength < 12) throw new MalformedDataError(STRUCTURE, 3, `capacity list length ${bytes[3]} leaves no current/maximum capacity descriptor`);
  const available = Math.min(bytes.length, declaredLength);
  if (available < 12) throw new MalformedDataError(STRUCTURE, available, `only ${available} of 12 byte(s) present`);
  const r = new ByteReader(bytes.subarray(0, available), STRUCTURE);
  const current = { numberOfBlocks: u32At(r, 4), descriptorType: bits(u8At(r, 8), 1, 0), blockLength: u24At(r, 9) };
  const formattable = fixedEntries(r, 12, 8, (at) => ({
    numberOfBlocks: u32At(r, at),
    formatType: u8At(r, at + 4) >>> 2,
    typeDependentParameter: u24At(r, at + 5),
  }));
  return bytes.length < declaredLength
    ? { current, formattable, truncated: { declaredLength, availableLength: bytes.length } }
    : { current, formattable };
}

function encode(v: FormatCapacities): Uint8Array {
  const listLength = 8 + v.formattable.length * 8;
  uint("capacity list length", listLength, 8);
  const w = new ByteWriter(4 + listLength);
  w.skip(3).u8(listLength);
  w.u32be(uint("numberOfBlocks", v.current.numberOfBlocks, 32)).u8(uint("descriptorType", v.current.descriptorType, 2));
  w.u24be(uint("blockLength", v.current.blockLength, 24));
  for (const d of v.formattable) {
    w.u32be(uint("numberOfBlocks", d.numberOfBlocks, 32)).u8(uint("formatType", d.formatType, 6) << 2);
    w.u24be(uint("typeDependentParameter", d.typeDependentParameter, 24));
  }
  return w.bytes;
}

export const formatCapacitiesCodec: Codec<FormatCapacities> = { structure: STRUCTURE, decode, encode };
