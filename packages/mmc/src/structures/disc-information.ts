/**
 * READ DISC INFORMATION response data (MMC-6 6.22.3): data type 000b standard disc information,
 * 001b track resources, 010b POW resources.
 *
 * Standard disc information: byte 2 data type/erasable/state of last session/disc status,
 * 3 first track, 4-6 sessions and first/last track in last session (LSB), 7 DID_V/DBC_V/URU/
 * DAC_V/BG format status, 8 disc type, 9-11 the MSBs, 12-15 disc identification, 16-19 last
 * session lead-in start, 20-23 last possible lead-out start, 24-31 disc bar code, 32 disc
 * application code, 33 number of OPC tables, then 8-byte OPC entries (speed kB/s, 6 OPC bytes).
 * On CD the two addresses are MSF (00h, M, S, F); on other media LBAs: see `discInfoAddressToMsf`.
 */
import { ByteWriter, type Msf } from "@discforge/bytes";
import { MalformedDataError } from "@discforge/errors";
import { bit, bits, copyAt, exactBytes, flag, lengthPrefixed, u8At, u16At, u32At, uint, type Codec, type MaybeTruncated } from "./codec.js";

/** Disc Status (2 bits). */
export const DISC_STATUS = { empty: 0, incomplete: 1, complete: 2, others: 3 } as const;
/** State of Last Session (2 bits). */
export const SESSION_STATE = { empty: 0, incomplete: 1, reservedDamaged: 2, complete: 3 } as const;
/** Background format status (BG Format Status, 2 bits). */
export const BG_FORMAT_STATUS = { none: 0, suspended: 1, inProgress: 2, completed: 3 } as const;
/** Disc Type (byte 8). */
export const DISC_TYPE = { cdDaOrCdRom: 0x00, cdI: 0x10, cdRomXa: 0x20, notDefined: 0xff } as const;

export interface OpcTableEntry {
  /** kB/s. */
  readonly speed: number;
  /** 6 bytes, drive specific. */
  readonly opcValue: Uint8Array;
}

export interface DiscInformation extends MaybeTruncated {
  readonly erasable: boolean;
  /** See SESSION_STATE. */
  readonly stateOfLastSession: number;
  /** See DISC_STATUS. */
  readonly discStatus: number;
  readonly firstTrackNumber: number;
  /** MSB and LSB combined (16 bits). */
  readonly numberOfSessions: number;
  readonly firstTrackInLastSession: number;
  readonly lastTrackInLastSession: number;
  /** DID_V: Disc Identification valid. */
  readonly didV: boolean;
  /** DBC_V: Disc Bar Code valid. */
  readonly dbcV: boolean;
  /** URU: Unrestricted Use (CD-R/RW). */
  readonly uru: boolean;
  /** DAC_V: Disc Application Code valid. */
  readonly dacV: boolean;
  /** Byte 7 bit 2 (legacy / reserved), kept for round trips. */
  readonly legacy: boolean;
  /** See BG_FORMAT_STATUS. */
  readonly bgFormatStatus: number;
  /** See DISC_TYPE. */
  readonly discType: number;
  readonly discIdentification: number;
  /** Raw 32-bit field: MSF on CD (see discInfoAddressToMsf), LBA otherwise. */
  readonly lastSessionLeadInStartAddress: number;
  readonly lastPossibleLeadOutStartAddress: number;
  /** 8 bytes. */
  readonly discBarCode: Uint8Array;
  readonly discApplicationCode: number;
  /** Entries present (the count byte may claim more when the response was cut short). */
  readonly opcTable: readonly OpcTableEntry[];
}

export interface TrackResources extends MaybeTruncated {
  readonly maximumTracksOnDisc: number;
  readonly assignedTracksOnDisc: number;
  readonly maximumTracksInAppendableSession: number;
  readonly assignedTracksInAppendableSession: number;
}

export interface PowResources extends MaybeTruncated {
  readonly remainingPowReplacements: number;
  readonly remainingPowReallocationMapEntries: number;
  readonly remainingPowUpdates: number;
}

const STANDARD = "READ DISC INFORMATION (standard disc information)";
const TRACK_RESOURCES = "READ DISC INFORMATION (track resources)";
const POW_RESOURCES = "READ DISC INFORMATION (POW resources)";

function checkDataType(structure: string, byte2: number, expected: number): void {
  const type = bits(byte2, 7, 5);
  if (type !== expected) throw new MalformedDataError(structure, 2, `disc information data type ${type}, expected ${expected}`);
}

function decodeStandard(bytes: Uint8Array): DiscInformation {
  const { reader: r, truncated } = lengthPrefixed(bytes, STANDARD, 2, 34);
  const b2 = u8At(r, 2);
  checkDataType(STANDARD, b2, 0);
  const b7 = u8At(r, 7);
  const count = u8At(r, 33);
  const opcTable: OpcTableEntry[] = [];
  for (let i = 0; i < count && 34 + (i + 1) * 8 <= r.bytes.length; i++) {
    const at = 34 + i * 8;
    opcTable.push({ speed: u16At(r, at), opcValue: copyAt(r, at + 2, 6) });
  }
  let cut = truncated;
  if (cut === undefined && opcTable.length < count) {
    cut = { declaredLength: 34 + count * 8, availableLength: r.bytes.length };
  }
  return {
    erasable: bit(b2, 4),
    stateOfLastSession: bits(b2, 3, 2),
    discStatus: bits(b2, 1, 0),
    firstTrackNumber: u8At(r, 3),
    numberOfSessions: (u8At(r, 9) << 8) | u8At(r, 4),
    firstTrackInLastSession: (u8At(r, 10) << 8) | u8At(r, 5),
    lastTrackInLastSession: (u8At(r, 11) << 8) | u8At(r, 6),
    didV: bit(b7, 7),
    dbcV: bit(b7, 6),
    uru: bit(b7, 5),
    dacV: bit(b7, 4),
    legacy: bit(b7, 2),
    bgFormatStatus: bits(b7, 1, 0),
    discType: u8At(r, 8),
    discIdentification: u32At(r, 12),
    lastSessionLeadInStartAddress: u32At(r, 16),
    lastPossibleLeadOutStartAddress: u32At(r, 20),
    discBarCode: copyAt(r, 24, 8),
    discApplicationCode: u8At(r, 32),
    opcTable,
    ...(cut === undefined ? {} : { truncated: cut }),
  };
}

function encodeStandard(v: DiscInformation): Uint8Array {
  uint("opcTable.length", v.opcTable.length, 8);
  const size = 34 + v.opcTable.length * 8;
  const w = new ByteWriter(size);
  w.u16be(size - 2);
  w.u8(flag(v.erasable, 4) | (uint("stateOfLastSession", v.stateOfLastSession, 2) << 2) | uint("discStatus", v.discStatus, 2));
  w.u8(uint("firstTrackNumber", v.firstTrackNumber, 8));
  const sessions = uint("numberOfSessions", v.numberOfSessions, 16);
  const first = uint("firstTrackInLastSession", v.firstTrackInLastSession, 16);
  const last = uint("lastTrackInLastSession", v.lastTrackInLastSession, 16);
  w.u8(sessions & 0xff).u8(first & 0xff).u8(last & 0xff);
  w.u8(flag(v.didV, 7) | flag(v.dbcV, 6) | flag(v.uru, 5) | flag(v.dacV, 4) | flag(v.legacy, 2) | uint("bgFormatStatus", v.bgFormatStatus, 2));
  w.u8(uint("discType", v.discType, 8)).u8(sessions >>> 8).u8(first >>> 8).u8(last >>> 8);
  w.u32be(uint("discIdentification", v.discIdentification, 32));
  w.u32be(uint("lastSessionLeadInStartAddress", v.lastSessionLeadInStartAddress, 32));
  w.u32be(uint("lastPossibleLeadOutStartAddress", v.lastPossibleLeadOutStartAddress, 32));
  w.raw(exactBytes("discBarCode", v.discBarCode, 8));
  w.u8(uint("discApplicationCode", v.discApplicationCode, 8)).u8(v.opcTable.length);
  for (const e of v.opcTable) w.u16be(uint("opc speed", e.speed, 16)).raw(exactBytes("opcValue", e.opcValue, 6));
  return w.bytes;
}

/** Standard disc information (data type 000b). */
export const discInformationCodec: Codec<DiscInformation> = { structure: STANDARD, decode: decodeStandard, encode: encodeStandard };

/** Track resources information (data type 001b). */
export const trackResourcesCodec: Codec<TrackResources> = {
  structure: TRACK_RESOURCES,
  decode(bytes) {
    const { reader: r, truncated } = lengthPrefixed(bytes, TRACK_RESOURCES, 2, 12);
    checkDataType(TRACK_RESOURCES, u8At(r, 2), 1);
    return {
      maximumTracksOnDisc: u16At(r, 4),
      assignedTracksOnDisc: u16At(r, 6),
      maximumTracksInAppendableSession: u16At(r, 8),
      assignedTracksInAppendableSession: u16At(r, 10),
      ...(truncated === undefined ? {} : { truncated }),
    };
  },
  encode(v) {
    const w = new ByteWriter(12);
    w.u16be(10).u8(1 << 5).skip(1);
    w.u16be(uint("maximumTracksOnDisc", v.maximumTracksOnDisc, 16)).u16be(uint("assignedTracksOnDisc", v.assignedTracksOnDisc, 16));
    w.u16be(uint("maximumTracksInAppendableSession", v.maximumTracksInAppendableSession, 16));
    w.u16be(uint("assignedTracksInAppendableSession", v.assignedTracksInAppendableSession, 16));
    return w.bytes;
  },
};

/** POW resources information (data type 010b, BD-R SRM+POW). */
export const powResourcesCodec: Codec<PowResources> = {
  structure: POW_RESOURCES,
  decode(bytes) {
    const { reader: r, truncated } = lengthPrefixed(bytes, POW_RESOURCES, 2, 16);
    checkDataType(POW_RESOURCES, u8At(r, 2), 2);
    return {
      remainingPowReplacements: u32At(r, 4),
      remainingPowReallocationMapEntries: u32At(r, 8),
      remainingPowUpdates: u32At(r, 12),
      ...(truncated === undefined ? {} : { truncated }),
    };
  },
  encode(v) {
    const w = new ByteWriter(16);
    w.u16be(14).u8(2 << 5).skip(1);
    w.u32be(uint("remainingPowReplacements", v.remainingPowReplacements, 32));
    w.u32be(uint("remainingPowReallocationMapEntries", v.remainingPowReallocationMapEntries, 32));
    w.u32be(uint("remainingPowUpdates", v.remainingPowUpdates, 32));
    return w.bytes;
  },
};

/** Reads a CD disc-information address field as MSF (byte 0 zero, then M, S, F). */
export function discInfoAddressToMsf(field: number): Msf {
  return { minute: (field >>> 16) & 0xff, second: (field >>> 8) & 0xff, frame: field & 0xff };
}

/** Builds the CD form of a disc-information address field from MSF. */
export function msfToDiscInfoAddress(msf: Msf): number {
  return (uint("minute", msf.minute, 8) << 16) | (uint("second", msf.second, 8) << 8) | uint("frame", msf.frame, 8);
}
