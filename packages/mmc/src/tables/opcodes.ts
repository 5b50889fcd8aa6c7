/**
 * Operation codes seen by a multimedia (peripheral device type 05h) logical unit.
 *
 * Source: the operation code list of SPC-4 (Annex D, "operation codes") and the command clauses
 * of MMC-6 (clause 6), plus the SBC-3 commands MMC imports (READ CAPACITY, READ(10), WRITE(10),
 * VERIFY(10), SYNCHRONIZE CACHE(10), ...). `clause` gives the section number where it is known
 * (MMC-5 r03c numbering for MMC commands), else the clause
 * that holds the command descriptions. Where SPC and MMC assign one code to two
 * commands (A3h MAINTENANCE IN vs. SEND KEY, A4h MAINTENANCE OUT vs. REPORT KEY), the MMC meaning
 * wins, because this table describes an MMC device; likewise A1h is BLANK here, not SAT-3's
 * ATA PASS-THROUGH(12). The SBC-3 16-byte commands and ATA PASS-THROUGH(16) are listed so that
 * traces name them and the write-class check covers them.
 *
 * `writeClass` marks commands that change the medium or persistent drive state; the OS
 * transports refuse them to any device that INQUIRY does not report as type 05h.
 */
import type { DataDirection } from "@discforge/transport";

/** Default patience per command, in classes; the drive layer maps a class to milliseconds. */
export const TIMEOUT_CLASSES = ["short", "media", "long"] as const;
export type TimeoutClass = (typeof TIMEOUT_CLASSES)[number];

/** Suggested milliseconds for each class: status queries, media access (spin-up, seeks), and
 * unbounded operations run without IMMED (BLANK, FORMAT UNIT, CLOSE, SYNCHRONIZE CACHE). */
export const DEFAULT_TIMEOUT_MS: Readonly<Record<TimeoutClass, number>> = {
  short: 10_000,
  media: 120_000,
  long: 3_600_000,
};

export type OpcodeStandard = "SPC-4" | "MMC-6" | "SBC-3" | "SAT-3";

export interface OpcodeInfo {
  readonly opcode: number;
  /** Stable camelCase key; the `op` discriminant of decodeCdb() for commands it parses. */
  readonly key: string;
  /** Name as the standard spells it. */
  readonly name: string;
  /** CDB length in bytes (for 7Fh the minimum, the real length is in byte 7). */
  readonly cdbLength: number;
  /** Data phase direction; for commands whose direction depends on a CDB field, the direction when data moves. */
  readonly direction: DataDirection;
  readonly writeClass: boolean;
  readonly timeoutClass: TimeoutClass;
  readonly standard: OpcodeStandard;
  /** Clause of the defining standard. */
  readonly clause: string;
  /** Obsolete in the current revision, listed so that traces still name it. */
  readonly obsolete?: boolean;
}

function op(
  opcode: number,
  key: string,
  name: string,
  direction: DataDirection,
  standard: OpcodeStandard,
  clause: string,
  extra: { readonly writeClass?: boolean; readonly timeoutClass?: TimeoutClass; readonly obsolete?: boolean } = {},
): OpcodeInfo {
  return {
    opcode,
    key,
    name,
    cdbLength: cdbLengthForOpcode(opcode),
    direction,
    writeClass: extra.writeClass ?? false,
    timeoutClass: extra.timeoutClass ?? "short",
    standard,
    clause,
    ...(extra.obsolete === true ? { obsolete: true } : {}),
  };
}

const W = { writeClass: true } as const;
const WM = { writeClass: true, timeoutClass: "media" } as const;
const WL = { writeClass: true, timeoutClass: "long" } as const;
const M = { timeoutClass: "media" } as const;
const OBS = { obsolete: true } as const;

/**
 * CDB length from the group code (top three bits of the operation code), SPC-4 4.2.5.1:
 * group 0 = 6 bytes, groups 1 and 2 = 10, group 3 = reserved/variable (7Fh: at least 10),
 * group 4 = 16, group 5 = 12, groups 6 and 7 = vendor specific (undefined here: 0).
 */
export function cdbLengthForOpcode(opcode: number): number {
  switch (opcode >>> 5) {
    case 0:
      return 6;
    case 1:
    case 2:
      return 10;
    case 3:
      return opcode === 0x7f ? 10 : 0;
    case 4:
      return 16;
    case 5:
      return 12;
    default:
      return 0;
  }
}

/** Every opcode named by SPC-4 and MMC-6 for an MMC logical unit, in code order. */
export const OPCODES: readonly OpcodeInfo[] = [
  op(0x00, "testUnitReady", "TEST UNIT READY", "none", "SPC-4", "SPC-4 clause 6"),
  op(0x01, "rezeroUnit", "REZERO UNIT", "none", "SBC-3", "SCSI-2", OBS),
  op(0x03, "requestSense", "REQUEST SENSE", "in", "SPC-4", "SPC-4 clause 6"),
  op(0x04, "formatUnit", "FORMAT UNIT", "out", "MMC-6", "MMC-5 6.5", WL),
  op(0x08, "read6", "READ(6)", "in", "SBC-3", "SBC-3 clause 5", { ...M, obsolete: true }),
  op(0x0a, "write6", "WRITE(6)", "out", "SBC-3", "SBC-3 clause 5", { ...WM, obsolete: true }),
  op(0x0b, "seek6", "SEEK(6)", "none", "SBC-3", "SCSI-2", { ...M, obsolete: true }),
  op(0x12, "inquiry", "INQUIRY", "in", "SPC-4", "SPC-4 6.4"),
  op(0x15, "modeSelect6", "MODE SELECT(6)", "out", "SPC-4", "SPC-4 6.9", W),
  op(0x16, "reserve6", "RESERVE(6)", "none", "SPC-4", "SPC-2", OBS),
  op(0x17, "release6", "RELEASE(6)", "none", "SPC-4", "SPC-2", OBS),
  op(0x1a, "modeSense6", "MODE SENSE(6)", "in", "SPC-4", "SPC-4 6.11"),
  op(0x1b, "startStopUnit", "START STOP UNIT", "none", "MMC-6", "MMC-6 clause 6", M),
  op(0x1c, "receiveDiagnosticResults", "RECEIVE DIAGNOSTIC RESULTS", "in", "SPC-4", "SPC-4 clause 6"),
  op(0x1d, "sendDiagnostic", "SEND DIAGNOSTIC", "out", "SPC-4", "SPC-4 clause 6", WL),
  op(0x1e, "preventAllowMediumRemoval", "PREVENT ALLOW MEDIUM REMOVAL", "none", "MMC-6", "MMC-5 6.14"),
  op(0x23, "readFormatCapacities", "READ FORMAT CAPACITIES", "in", "MMC-6", "MMC-5 6.24", M),
  op(0x25, "readCapacity10", "READ CAPACITY", "in", "MMC-6", "MMC-5 6.19", M),
  op(0x28, "read10", "READ(10)", "in", "MMC-6", "MMC-5 6.15", M),
  op(0x2a, "write10", "WRITE(10)", "out", "MMC-6", "MMC-6 clause 6", WM),
  op(0x2b, "seek10", "SEEK(10)", "none", "MMC-6", "MMC-5 6.32", M),
  op(0x2e, "writeAndVerify10", "WRITE AND VERIFY(10)", "out", "MMC-6", "MMC-6 clause 6", WM),
  op(0x2f, "verify10", "VERIFY(10)", "out", "MMC-6", "MMC-6 clause 6", M),
  op(0x35, "synchronizeCache10", "SYNCHRONIZE CACHE(10)", "none", "MMC-6", "MMC-6 clause 6", WL),
  op(0x3b, "writeBuffer", "WRITE BUFFER", "out", "SPC-4", "SPC-4 clause 6", WL),
  op(0x3c, "readBuffer", "READ BUFFER", "in", "SPC-4", "SPC-4 clause 6"),
  op(0x42, "readSubChannel", "READ SUB-CHANNEL", "in", "MMC-6", "MMC-3", M),
  op(0x43, "readTocPmaAtip", "READ TOC/PMA/ATIP", "in", "MMC-6", "MMC-5 6.26", M),
  op(0x44, "readHeader", "READ HEADER", "in", "MMC-6", "MMC-2", { ...M, obsolete: true }),
  op(0x45, "playAudio10", "PLAY AUDIO(10)", "none", "MMC-6", "MMC-3", M),
  op(0x46, "getConfiguration", "GET CONFIGURATION", "in", "MMC-6", "MMC-5 6.6"),
  op(0x47, "playAudioMsf", "PLAY AUDIO MSF", "none", "MMC-6", "MMC-3", M),
  op(0x4a, "getEventStatusNotification", "GET EVENT STATUS NOTIFICATION", "in", "MMC-6", "MMC-5 6.7"),
  op(0x4b, "pauseResume", "PAUSE/RESUME", "none", "MMC-6", "MMC-3"),
  op(0x4c, "logSelect", "LOG SELECT", "out", "SPC-4", "SPC-4 clause 6", W),
  op(0x4d, "logSense", "LOG SENSE", "in", "SPC-4", "SPC-4 clause 6"),
  op(0x4e, "stopPlayScan", "STOP PLAY/SCAN", "none", "MMC-6", "MMC-3"),
  op(0x51, "readDiscInformation", "READ DISC INFORMATION", "in", "MMC-6", "MMC-5 6.22", M),
  op(0x52, "readTrackInformation", "READ TRACK INFORMATION", "in", "MMC-6", "MMC-5 6.27", M),
  op(0x53, "reserveTrack", "RESERVE TRACK", "none", "MMC-6", "MMC-5 6.31", WL),
  op(0x54, "sendOpcInformation", "SEND OPC INFORMATION", "out", "MMC-6", "MMC-5 6.36", WL),
  op(0x55, "modeSelect10", "MODE SELECT(10)", "out", "SPC-4", "SPC-4 6.10", W),
  op(0x56, "reserve10", "RESERVE(10)", "none", "SPC-4", "SPC-2", OBS),
  op(0x57, "release10", "RELEASE(10)", "none", "SPC-4", "SPC-2", OBS),
  op(0x58, "repairTrack", "REPAIR TRACK", "none", "MMC-6", "MMC-5 6.28", WL),
  op(0x5a, "modeSense10", "MODE SENSE(10)", "in", "SPC-4", "SPC-4 6.12"),
  op(0x5b, "closeTrackSession", "CLOSE TRACK/SESSION", "none", "MMC-6", "MMC-5 6.3", WL),
  op(0x5c, "readBufferCapacity", "READ BUFFER CAPACITY", "in", "MMC-6", "MMC-5 6.18"),
  op(0x5d, "sendCueSheet", "SEND CUE SHEET", "out", "MMC-6", "MMC-5 6.33", WM),
  op(0x5e, "persistentReserveIn", "PERSISTENT RESERVE IN", "in", "SPC-4", "SPC-4 clause 6"),
  op(0x5f, "persistentReserveOut", "PERSISTENT RESERVE OUT", "out", "SPC-4", "SPC-4 clause 6", W),
  op(0x7f, "variableLength", "VARIABLE LENGTH CDB", "none", "SPC-4", "SPC-4 clause 6"),
  op(0x83, "thirdPartyCopyOut", "EXTENDED COPY (THIRD-PARTY COPY OUT)", "out", "SPC-4", "SPC-4 clause 6", W),
  op(0x84, "thirdPartyCopyIn", "RECEIVE COPY RESULTS (THIRD-PARTY COPY IN)", "in", "SPC-4", "SPC-4 clause 6"),
  op(0x85, "ataPassThrough16", "ATA PASS-THROUGH(16)", "none", "SAT-3", "SAT-3 (ATA pass-through commands)", W),
  op(0x86, "accessControlIn", "ACCESS CONTROL IN", "in", "SPC-4", "SPC-4 clause 6"),
  op(0x87, "accessControlOut", "ACCESS CONTROL OUT", "out", "SPC-4", "SPC-4 clause 6", W),
  op(0x88, "read16", "READ(16)", "in", "SBC-3", "SBC-3 clause 5", M),
  op(0x8a, "write16", "WRITE(16)", "out", "SBC-3", "SBC-3 clause 5", WM),
  op(0x8c, "readAttribute", "READ ATTRIBUTE", "in", "SPC-4", "SPC-4 clause 6"),
  op(0x8d, "writeAttribute", "WRITE ATTRIBUTE", "out", "SPC-4", "SPC-4 clause 6", W),
  op(0x9e, "serviceActionIn16", "SERVICE ACTION IN(16)", "in", "SBC-3", "SBC-3 clause 5 (READ CAPACITY(16))", M),
  op(0x9f, "serviceActionOut16", "SERVICE ACTION OUT(16)", "out", "SBC-3", "SBC-3 clause 5", W),
  op(0xa0, "reportLuns", "REPORT LUNS", "in", "SPC-4", "SPC-4 clause 6"),
  op(0xa1, "blank", "BLANK", "none", "MMC-6", "MMC-5 6.2", WL),
  op(0xa2, "securityProtocolIn", "SECURITY PROTOCOL IN", "in", "SPC-4", "SPC-4 clause 6"),
  op(0xa3, "sendKey", "SEND KEY", "out", "MMC-6", "MMC-5 6.35", W),
  op(0xa4, "reportKey", "REPORT KEY", "in", "MMC-6", "MMC-5 6.29"),
  op(0xa5, "playAudio12", "PLAY AUDIO(12)", "none", "MMC-6", "MMC-3", M),
  op(0xa6, "loadUnloadMedium", "LOAD/UNLOAD MEDIUM", "none", "MMC-6", "MMC-5 6.10", M),
  op(0xa7, "setReadAhead", "SET READ AHEAD", "none", "MMC-6", "MMC-5 6.38"),
  op(0xa8, "read12", "READ(12)", "in", "MMC-6", "MMC-5 6.16", M),
  op(0xa9, "serviceActionOut12", "SERVICE ACTION OUT(12)", "out", "SPC-4", "SPC-4 clause 6", W),
  op(0xaa, "write12", "WRITE(12)", "out", "MMC-6", "MMC-6 clause 6", WM),
  op(0xab, "readMediaSerialNumber", "READ MEDIA SERIAL NUMBER (SERVICE ACTION IN(12))", "in", "SPC-4", "SPC-4 clause 6", M),
  op(0xac, "getPerformance", "GET PERFORMANCE", "in", "MMC-6", "MMC-5 6.8"),
  op(0xad, "readDiscStructure", "READ DISC STRUCTURE", "in", "MMC-6", "MMC-5 6.23", M),
  op(0xb5, "securityProtocolOut", "SECURITY PROTOCOL OUT", "out", "SPC-4", "SPC-4 clause 6", W),
  op(0xb6, "setStreaming", "SET STREAMING", "out", "MMC-6", "MMC-5 6.39", W),
  op(0xb9, "readCdMsf", "READ CD MSF", "in", "MMC-6", "MMC-5 6.21", M),
  op(0xba, "scan", "SCAN", "none", "MMC-6", "MMC-3", M),
  op(0xbb, "setCdSpeed", "SET CD SPEED", "none", "MMC-6", "MMC-5 6.37"),
  op(0xbc, "playCd", "PLAY CD", "none", "MMC-6", "MMC-2", { ...M, obsolete: true }),
  op(0xbd, "mechanismStatus", "MECHANISM STATUS", "in", "MMC-6", "MMC-5 6.11"),
  op(0xbe, "readCd", "READ CD", "in", "MMC-6", "MMC-5 6.20", M),
  op(0xbf, "sendDiscStructure", "SEND DISC STRUCTURE", "out", "MMC-6", "MMC-5 6.34", W),
];

const BY_CODE: ReadonlyMap<number, OpcodeInfo> = new Map(OPCODES.map((o) => [o.opcode, o]));
const BY_KEY: ReadonlyMap<string, OpcodeInfo> = new Map(OPCODES.map((o) => [o.key, o]));

/** The table row for an operation code, or undefined when neither SPC-4 nor MMC-6 names it. */
export function opcodeInfo(opcode: number): OpcodeInfo | undefined {
  return BY_CODE.get(opcode);
}

export function opcodeInfoByKey(key: string): OpcodeInfo | undefined {
  return BY_KEY.get(key);
}

/** Name for traces: the standard's name, or "opcode XXh" for codes neither standard names. */
export function opcodeName(opcode: number): string {
  return BY_CODE.get(opcode)?.name ?? `opcode ${opcode.toString(16).padStart(2, "0").toUpperCase()}h`;
}

/** True for commands that write to the medium or change persistent drive state (see file comment).
 * Unknown opcodes count as write-class, so a transport refusing writes to non-MMC devices fails safe. */
export function isWriteClassOpcode(opcode: number): boolean {
  return BY_CODE.get(opcode)?.writeClass ?? true;
}
