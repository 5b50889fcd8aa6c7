/**
 * READ TRACK INFORMATION response data (MMC-6 6.27.3).
 *
 * Bytes 2-3 track/session number (LSB), 5 LJRS/Damage/Copy/Track Mode, 6 RT/Blank/Packet-Inc/FP/
 * Data Mode, 7 LRA_V/NWA_V, 8 track start address, 12 next writable address, 16 free blocks,
 * 20 fixed packet size / blocking factor, 24 track size, 28 last recorded address, 32-33 track/
 * session number MSB, 36 read compatibility LBA, 40 next layer jump address, 44 last layer jump
 * address. Older drives return 28 or 36 bytes; fields past the data decode as undefined.
 */
import { ByteWriter } from "@discforge/bytes";
import { bit, bits, flag, lengthPrefixed, optU32At, optU8At, u8At, u32At, uint, type Codec, type MaybeTruncated } from "./codec.js";

/** Layer Jump Recording Status (LJRS, 2 bits). */
export const LAYER_JUMP_RECORDING_STATUS = { incremental: 0, unspecified: 1, manual: 2, regularInterval: 3 } as const;

export interface TrackInformation extends MaybeTruncated {
  /** LSB and MSB combined when the MSB is present. */
  readonly trackNumber: number;
  readonly sessionNumber: number;
  readonly ljrs: number;
  readonly damage: boolean;
  readonly copy: boolean;
  readonly trackMode: number;
  /** Reserved Track. */
  readonly rt: boolean;
  readonly blank: boolean;
  /** Packet/Inc: incremental (packet) recording. */
  readonly packetIncremental: boolean;
  /** Fixed Packet. */
  readonly fp: boolean;
  readonly dataMode: number;
  /** LRA_V: Last Recorded Address valid. */
  readonly lraV: boolean;
  /** NWA_V: Next Writable Address valid. */
  readonly nwaV: boolean;
  readonly trackStartAddress: number;
  readonly nextWritableAddress: number;
  readonly freeBlocks: number;
  readonly fixedPacketSize: number;
  readonly trackSize: number;
  readonly lastRecordedAddress?: number;
  readonly readCompatibilityLba?: number;
  readonly nextLayerJumpAddress?: number;
  readonly lastLayerJumpAddress?: number;
}

const STRUCTURE = "READ TRACK INFORMATION response";

function decode(bytes: Uint8Array): TrackInformation {
  const { reader: r, truncated } = lengthPrefixed(bytes, STRUCTURE, 2, 28);
  const b5 = u8At(r, 5);
  const b6 = u8At(r, 6);
  const b7 = u8At(r, 7);
  const trackMsb = optU8At(r, 32) ?? 0;
  const sessionMsb = optU8At(r, 33) ?? 0;
  const lastRecordedAddress = optU32At(r, 28);
  const readCompatibilityLba = optU32At(r, 36);
  const nextLayerJumpAddress = optU32At(r, 40);
  const lastLayerJumpAddress = optU32At(r, 44);
  return {
    trackNumber: (trackMsb << 8) | u8At(r, 2),
    sessionNumber: (sessionMsb << 8) | u8At(r, 3),
    ljrs: bits(b5, 7, 6),
    damage: bit(b5, 5),
    copy: bit(b5, 4),
    trackMode: bits(b5, 3, 0),
    rt: bit(b6, 7),
    blank: bit(b6, 6),
    packetIncremental: bit(b6, 5),
    fp: bit(b6, 4),
    dataMode: bits(b6, 3, 0),
    lraV: bit(b7, 1),
    nwaV: bit(b7, 0),
    trackStartAddress: u32At(r, 8),
    nextWritableAddress: u32At(r, 12),
    freeBlocks: u32At(r, 16),
    fixedPacketSize: u32At(r, 20),
    trackSize: u32At(r, 24),
    ...(lastRecordedAddress === undefined ? {} : { lastRecordedAddress }),
    ...(readCompatibilityLba === undefined ? {} : { readCompatibilityLba }),
    ...(nextLayerJumpAddress === undefined ? {} : { nextLayerJumpAddress }),
    ...(lastLayerJumpAddress === undefined ? {} : { lastLayerJumpAddress }),
    ...(truncated === undefined ? {} : { truncated }),
  };
}

/** Always writes the full 48-byte MMC-6 form (absent optional fields as zero). */
function encode(v: TrackInformation): Uint8Array {
  const track = uint("trackNumber", v.trackNumber, 16);
  const session = uint("sessionNumber", v.sessionNumber, 16);
  const w = new ByteWriter(48);
  w.u16be(46).u8(track & 0xff).u8(session & 0xff).skip(1);
  w.u8((uint("ljrs", v.ljrs, 2) << 6) | flag(v.damage, 5) | flag(v.copy, 4) | uint("trackMode", v.trackMode, 4));
  w.u8(flag(v.rt, 7) | flag(v.blank, 6) | flag(v.packetIncremental, 5) | flag(v.fp, 4) | uint("dataMode", v.dataMode, 4));
  w.u8(flag(v.lraV, 1) | flag(v.nwaV, 0));
  w.u32be(uint("trackStartAddress", v.trackStartAddress, 32)).u32be(uint("nextWritableAddress", v.nextWritableAddress, 32));
  w.u32be(uint("freeBlocks", v.freeBlocks, 32)).u32be(uint("fixedPacketSize", v.fixedPacketSize, 32));
  w.u32be(uint("trackSize", v.trackSize, 32)).u32be(uint("lastRecordedAddress", v.lastRecordedAddress ?? 0, 32));
  w.u8(track >>> 8).u8(session >>> 8).skip(2);
  w.u32be(uint("readCompatibilityLba", v.readCompatibilityLba ?? 0, 32));
  w.u32be(uint("nextLayerJumpAddress", v.nextLayerJumpAddress ?? 0, 32));
  w.u32be(uint("lastLayerJumpAddress", v.lastLayerJumpAddress ?? 0, 32));
  return w.bytes;
}

export const trackInformationCodec: Codec<TrackInformation> = { structure: STRUCTURE, decode, encode };
