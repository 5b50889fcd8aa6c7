/**
 * READ CAPACITY (MMC-6 6.23), READ FORMAT CAPACITIES (6.24) and READ BUFFER CAPACITY (6.21)
 * responses.
 */
import { writeU16BE, writeU24BE, writeU32BE } from "@discforge/bytes";
import { BD_RE_DEFAULT_FORMATTED } from "../media.js";
import type { DiscModel } from "../disc.js";

export function encodeReadCapacity(lastLba: number): Uint8Array {
  const b = new Uint8Array(8);
  writeU32BE(b, 0, lastLba >>> 0);
  writeU32BE(b, 4, 2048);
  return b;
}

const DESCRIPTOR = { unformatted: 0b01, formatted: 0b10, none: 0b11 } as const;

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
  const b = new Uint8Array(4 + 8 + 8 * list.length);
  b[3] = 8 * (list.length + 1); // capacity list length
  if (!disc) {
    writeU32BE(b, 4, 0xffffffff);
    b[8] = DESCRIPTOR.none;
  } else {
    const formatted = disc.random ? disc.state.format !== "unformatted" : disc.discStatus() !== "blank";
    writeU32BE(b, 4, formatted ? disc.state.capacity : disc.spec.capacity);
    b[8] = formatted ? DESCRIPTOR.formatted : DESCRIPTOR.unformatted;
  }
  writeU24BE(b, 9, 2048);
  list.forEach((d, i) => {
    const at = 12 + i * 8;
    writeU32BE(b, at, d.blocks);
    b[at + 4] = d.formatType << 2;
    writeU24BE(b, at + 5, d.parameter);
  });
  return b;
}

/** Byte form (Block = 0): buffer length and blank length in bytes; block form: available blocks. */
export function encodeBufferCapacity(bufferBytes: number, freeBytes: number, blockForm: boolean): Uint8Array {
  const b = new Uint8Array(12);
  writeU16BE(b, 0, 10);
  if (blockForm) {
    b[3] = 0x01; // Block
    writeU32BE(b, 8, Math.floor(freeBytes / 2048));
  } else {
    writeU32BE(b, 4, bufferBytes);
    writeU32BE(b, 8, Math.floor(freeBytes));
  }
  return b;
}
