/**
 * MECHANISM STATUS response (MMC-6 6.11.2): an 8-byte header (fault, changer state, current slot,
 * mechanism state, door open, current LBA, number of slots, slot table length) followed by one
 * 4-byte slot table entry per slot of a changer (MMC-6 6.11.2.2).
 */
import { ByteWriter } from "@discforge/bytes";
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";
import { bit, bits, flag, uint, type Codec, type Truncation } from "./codec-util.js";

export const CHANGER_STATE = { ready: 0, loading: 1, unloading: 2, initializing: 3 } as const;
export const MECHANISM_STATE = {
  idle: 0,
  playing: 1,
  scanning: 2,
  /** Active with the host, composite or other ports in use. */
  active: 3,
  noStateInformation: 7,
} as const;

export interface MechanismSlot {
  readonly discPresent: boolean;
  /** The medium in this slot changed since last reported. */
  readonly change: boolean;
  /** CWP valid: `cwp` carries the cartridge write protection state. */
  readonly cwpValid: boolean;
  readonly cwp: boolean;
}

export interface MechanismStatus {
  readonly fault: boolean;
  readonly changerState: number;
  /** 8 bits: the low 5 in byte 0, the high 3 in byte 1. */
  readonly currentSlot: number;
  readonly mechanismState: number;
  readonly doorOpen: boolean;
  /** 24-bit LBA of the current or last played/read location. */
  readonly currentLba: number;
  readonly numberOfSlotsAvailable: number;
  readonly slots: readonly MechanismSlot[];
  readonly truncated?: Truncation;
}

export type MechanismStatusInit = Omit<MechanismStatus, "truncated">;

const STRUCTURE = "MECHANISM STATUS response";

function decode(bytes: Uint8Array): MechanismStatus {
  if (bytes.length < 8) throw new MalformedDataError(STRUCTURE, bytes.length, `needs the 8-byte header, got ${bytes.length}`);
  const slotTableLength = (bytes[6]! << 8) | bytes[7]!;
  if (slotTableLength % 4 !== 0) throw new MalformedDataError(STRUCTURE, 6, `slot table length ${slotTableLength} is not a multiple of 4`);
  const declaredLength = 8 + slotTableLength;
  const end = Math.min(bytes.length, declaredLength);
  const slots: MechanismSlot[] = [];
  for (let off = 8; off + 4 <= end; off += 4) {
    slots.push({ discPresent: bit(bytes[off]!, 7), change: bit(bytes[off]!, 0), cwpValid: bit(bytes[off + 1]!, 1), cwp: bit(bytes[off + 1]!, 0) });
  }
  const b0 = bytes[0]!;
  const b1 = bytes[1]!;
  const value: MechanismStatus = {
    fault: bit(b0, 7),
    changerState: bits(b0, 6, 5),
    currentSlot: (bits(b1, 2, 0) << 5) | bits(b0, 4, 0),
    mechanismState: bits(b1, 7, 5),
    doorOpen: bit(b1, 4),
    currentLba: (bytes[2]! << 16) | (bytes[3]! << 8) | bytes[4]!,
    numberOfSlotsAvailable: bytes[5]!,
    slots,
  };
  return bytes.length < declaredLength ? { ...value, truncated: { declaredLength, availableLength: bytes.length } } : value;
}

function encode(v: MechanismStatusInit): Uint8Array {
  if (v.slots.length * 4 > 0xffff) throw new InvalidArgumentError("slots", `${v.slots.length} slots do not fit the slot table length`);
  const slot = uint("currentSlot", v.currentSlot, 8);
  const w = new ByteWriter(8 + v.slots.length * 4);
  w.u8(flag(v.fault, 7) | (uint("changerState", v.changerState, 2) << 5) | (slot & 0x1f));
  w.u8((uint("mechanismState", v.mechanismState, 3) << 5) | flag(v.doorOpen, 4) | (slot >>> 5));
  w.u24be(uint("currentLba", v.currentLba, 24)).u8(uint("numberOfSlotsAvailable", v.numberOfSlotsAvailable, 8));
  w.u16be(v.slots.length * 4);
  for (const s of v.slots) w.u8(flag(s.discPresent, 7) | flag(s.change, 0)).u8(flag(s.cwpValid, 1) | flag(s.cwp, 0)).u16be(0);
  return w.bytes;
}

export const mechanismStatusCodec: Codec<MechanismStatus, MechanismStatusInit> = { structure: STRUCTURE, decode, encode };
