/**
 * READ CAPACITY (MMC-6 6.23), READ FORMAT CAPACITIES (6.24) and READ BUFFER CAPACITY (6.21)
 * responses: the values the drive reports, encoded by the mmc package's codecs.
 */
import { bufferCapacityBlocksCodec, bufferCapacityBytesCodec, CAPACITY_DESCRIPTOR_TYPE, formatCapacitiesCodec, readCapacityCodec } from "@discforge/mmc";
import { BD_RE_DEFAULT_FORMATTED } from "../media.js";
import type { DiscModel } from "../disc.js";

export function encodeReadCapacity(lastLba: number): Uint8Array {
  return readCapacityCodec.encode({ lastLogicalBlockAddress: lastLba >>> 0, blockLength: 2048 });
}

interface FormattableDescriptor {
  readonly blocks: number;
  readonly formatType: number;
  readonly parameter: number;
}

/** The format types FORMAT UNIT accepts for this medium, as READ FORMAT CAPACITIES lists them. */
export function formattableDescriptors(disc: DiscModel): FormattableDescriptor[] {
  const cap = disc.spec.capacity;
  switch (disc.state.media) {
    case "dvd-rw":
      return [
        { blocks: cap, formatType: 0x00, parameter: 16 },
        { blocks: cap, formatType: 0x10, parameter: 16 },
        { blocks: cap, formatType: 0x15, parameter: 16 },
      ];
    case "dvd+rw":
      return [{ blocks: cap, formatType: 0x26, parameter: 0 }];
    case "dvd-ram":
      return [{ blocks: cap, formatType: 0x00, parameter: 0 }];
    case "bd-re":
      return [
        { blocks: BD_RE_DEFAULT_FORMATTED, formatType: 0x00, parameter: 0x3000 },
        { blocks: BD_RE_DEFAULT_FORMATTED, formatType: 0x30, parameter: 0x3000 },
        { blocks: cap, formatType: 0x31, parameter: 0 },
      ];
    default:
      return [];
  }
}

export function encodeFormatCapacities(disc: DiscModel | undefined): Uint8Array {
  const list = disc ? formattableDescriptors(disc) : [];
  let current;
  if (!disc) current = { numberOfBlocks: 0xffffffff, descriptorType: CAPACITY_DESCRIPTOR_TYPE.noMedia, blockLength: 2048 };
  else {
    const formatted = disc.random ? disc.state.format !== "unformatted" : disc.discStatus() !== "blank";
    current = {
      numberOfBlocks: formatted ? disc.state.capacity : disc.spec.capacity,
      descriptorType: formatted ? CAPACITY_DESCRIPTOR_TYPE.formatted : CAPACITY_DESCRIPTOR_TYPE.unformatted,
      blockLength: 2048,
    };
  }
  return formatCapacitiesCodec.encode({
    current,
    formattable: list.map((d) => ({ numberOfBlocks: d.blocks, formatType: d.formatType, typeDependentParameter: d.parameter })),
  });
}

/** Byte form (Block = 0): buffer length and blank length in bytes; block form: available blocks. */
export function encodeBufferCapacity(bufferBytes: number, freeBytes: number, blockForm: boolean): Uint8Array {
  if (blockForm) return bufferCapacityBlocksCodec.encode({ availableLengthOfBuffer: Math.floor(freeBytes / 2048) });
  return bufferCapacityBytesCodec.encode({ lengthOfBuffer: bufferBytes, blankLengthOfBuffer: Math.floor(freeBytes) });
}
