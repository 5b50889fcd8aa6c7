/**
 * One opcode table drives CDB decoding: decodeCdb() looks the operation code up in OPCODES
 * (tables/opcodes.ts) and hands the bytes to that command's parser, returning a discriminated
 * union on `op`. A device server (the emulated drive) dispatches on `op`; every failure is one
 * of the typed errors in ./errors.ts, mapped by the caller to CHECK CONDITION sense.
 */
import { opcodeInfo, type OpcodeInfo } from "../tables/opcodes.js";
import { parseBlankCdb } from "./blank.js";
import { parseCloseTrackSessionCdb } from "./close-track-session.js";
import { CdbLengthError, UnsupportedOpcodeError } from "./errors.js";
import { parseFormatUnitCdb } from "./format-unit.js";
import { parseGetConfigurationCdb } from "./get-configuration.js";
import { parseGetEventStatusNotificationCdb } from "./get-event-status-notification.js";
import { parseGetPerformanceCdb } from "./get-performance.js";
import { parseInquiryCdb } from "./inquiry.js";
import { parseMechanismStatusCdb } from "./mechanism-status.js";
import { parseModeSelect10Cdb, parseModeSelect6Cdb } from "./mode-select.js";
import { parseModeSense10Cdb, parseModeSense6Cdb } from "./mode-sense.js";
import { parsePreventAllowMediumRemovalCdb } from "./prevent-allow-medium-removal.js";
import { parseReadBufferCapacityCdb } from "./read-buffer-capacity.js";
import { parseReadCapacity10Cdb, parseReadCapacity16Cdb } from "./read-capacity.js";
import { parseReadCdMsfCdb } from "./read-cd-msf.js";
import { parseReadCdCdb, readCdBytesPerSector } from "./read-cd.js";
import { parseReadDiscInformationCdb } from "./read-disc-information.js";
import { parseReadDiscStructureCdb } from "./read-disc-structure.js";
import { parseReadFormatCapacitiesCdb } from "./read-format-capacities.js";
import { parseReadTocCdb } from "./read-toc.js";
import { parseReadTrackInformationCdb } from "./read-track-information.js";
import { parseReadSubChannelCdb } from "./read-sub-channel.js";
import { parseRead10Cdb, parseRead12Cdb } from "./read.js";
import { parseReportLunsCdb } from "./report-luns.js";
import { parseRequestSenseCdb } from "./request-sense.js";
import { parseReserveTrackCdb } from "./reserve-track.js";
import { parseSeek10Cdb } from "./seek.js";
import { parseSendCueSheetCdb } from "./send-cue-sheet.js";
import { parseSendOpcInformationCdb } from "./send-opc-information.js";
import { parseSetCdSpeedCdb } from "./set-cd-speed.js";
import { parseSetStreamingCdb } from "./set-streaming.js";
import { parseStartStopUnitCdb } from "./start-stop-unit.js";
import { parseSynchronizeCacheCdb } from "./synchronize-cache.js";
import { parseTestUnitReadyCdb } from "./test-unit-ready.js";
import { parseVerify10Cdb, parseWriteAndVerify10Cdb } from "./verify.js";
import { parseWrite10Cdb, parseWrite12Cdb } from "./write.js";

/** Parser of every command decodeCdb() understands, keyed by its `op`. */
export const CDB_PARSERS = {
  testUnitReady: parseTestUnitReadyCdb,
  requestSense: parseRequestSenseCdb,
  formatUnit: parseFormatUnitCdb,
  inquiry: parseInquiryCdb,
  modeSelect6: parseModeSelect6Cdb,
  modeSense6: parseModeSense6Cdb,
  startStopUnit: parseStartStopUnitCdb,
  preventAllowMediumRemoval: parsePreventAllowMediumRemovalCdb,
  readFormatCapacities: parseReadFormatCapacitiesCdb,
  readCapacity10: parseReadCapacity10Cdb,
  read10: parseRead10Cdb,
  write10: parseWrite10Cdb,
  seek10: parseSeek10Cdb,
  writeAndVerify10: parseWriteAndVerify10Cdb,
  verify10: parseVerify10Cdb,
  synchronizeCache10: parseSynchronizeCacheCdb,
  readSubChannel: parseReadSubChannelCdb,
  readTocPmaAtip: parseReadTocCdb,
  getConfiguration: parseGetConfigurationCdb,
  getEventStatusNotification: parseGetEventStatusNotificationCdb,
  readDiscInformation: parseReadDiscInformationCdb,
  readTrackInformation: parseReadTrackInformationCdb,
  reserveTrack: parseReserveTrackCdb,
  sendOpcInformation: parseSendOpcInformationCdb,
  modeSelect10: parseModeSelect10Cdb,
  modeSense10: parseModeSense10Cdb,
  closeTrackSession: parseCloseTrackSessionCdb,
  readBufferCapacity: parseReadBufferCapacityCdb,
  sendCueSheet: parseSendCueSheetCdb,
  readCapacity16: parseReadCapacity16Cdb,
  reportLuns: parseReportLunsCdb,
  blank: parseBlankCdb,
  read12: parseRead12Cdb,
  write12: parseWrite12Cdb,
  getPerformance: parseGetPerformanceCdb,
  readDiscStructure: parseReadDiscStructureCdb,
  setStreaming: parseSetStreamingCdb,
  readCdMsf: parseReadCdMsfCdb,
  setCdSpeed: parseSetCdSpeedCdb,
  mechanismStatus: parseMechanismStatusCdb,
  readCd: parseReadCdCdb,
} as const;

export type DecodableOp = keyof typeof CDB_PARSERS;

/** Opcode-table keys whose decoded `op` differs (a service action picked out of a shared opcode). */
const OP_BY_TABLE_KEY: Readonly<Record<string, DecodableOp>> = {
  ...Object.fromEntries(Object.keys(CDB_PARSERS).map((k) => [k, k as DecodableOp])),
  serviceActionIn16: "readCapacity16",
};

export type DecodedCdb = {
  [K in DecodableOp]: {
    readonly op: K;
    /** The opcode table row: name, direction, writeClass, timeout class, clause. */
    readonly info: OpcodeInfo;
    readonly params: ReturnType<(typeof CDB_PARSERS)[K]>;
  };
}[DecodableOp];

/** Operation codes decodeCdb() accepts. */
export const DECODABLE_OPCODES: readonly number[] = Object.freeze(
  [...new Set(Object.keys(OP_BY_TABLE_KEY).flatMap((key) => [...opcodesForKey(key)]))].sort((a, b) => a - b),
);

function opcodesForKey(key: string): number[] {
  const out: number[] = [];
  for (let code = 0; code < 256; code++) if (opcodeInfo(code)?.key === key) out.push(code);
  return out;
}

/**
 * Decodes a CDB into its command and typed fields.
 * @throws UnsupportedOpcodeError for operation codes (or service actions) not decoded here,
 *   CdbLengthError for a CDB shorter than its command, CdbFieldError for an invalid field.
 */
export function decodeCdb(cdb: Uint8Array): DecodedCdb {
  if (cdb.length === 0) throw new CdbLengthError("CDB", 6, 0);
  const code = cdb[0]!;
  const info = opcodeInfo(code);
  if (info === undefined) throw new UnsupportedOpcodeError(code, undefined);
  const op = OP_BY_TABLE_KEY[info.key];
  if (op === undefined) throw new UnsupportedOpcodeError(code, info.name);
  const parse = CDB_PARSERS[op] as (cdb: Uint8Array) => DecodedCdb["params"];
  return { op, info, params: parse(cdb) } as DecodedCdb;
}

/** The data phase a decoded CDB asks for: what a device server expects to send or receive. */
export interface CdbTransfer {
  readonly direction: "none" | "in" | "out";
  /** Bytes; undefined when the CDB alone does not fix it (FORMAT UNIT's list, READ CD of unknown sectors). */
  readonly length: number | undefined;
}

export interface CdbTransferOptions {
  /** Logical block size for READ/WRITE/VERIFY transfers; defaults to 2048. */
  readonly blockSize?: number;
}

/**
 * Direction and size of the data phase of a decoded CDB, so a device server can check what the
 * transport carries against what the command announces (allocation lengths are maxima: the
 * device sends at most that many bytes).
 */
export function cdbTransfer(decoded: DecodedCdb, options: CdbTransferOptions = {}): CdbTransfer {
  const blockSize = options.blockSize ?? 2048;
  const none: CdbTransfer = { direction: "none", length: 0 };
  const dataIn = (length: number): CdbTransfer => (length === 0 ? none : { direction: "in", length });
  const dataOut = (length: number | undefined): CdbTransfer => (length === 0 ? none : { direction: "out", length });
  switch (decoded.op) {
    case "testUnitReady":
    case "startStopUnit":
    case "preventAllowMediumRemoval":
    case "seek10":
    case "synchronizeCache10":
    case "reserveTrack":
    case "closeTrackSession":
    case "blank":
    case "setCdSpeed":
      return none;
    case "read10":
    case "read12":
      return dataIn(decoded.params.transferLength * blockSize);
    case "write10":
    case "write12":
    case "writeAndVerify10":
      return dataOut(decoded.params.transferLength * blockSize);
    case "verify10":
      return decoded.params.bytchk ? dataOut(decoded.params.transferLength * blockSize) : none;
    case "readCd": {
      const perSector = readCdBytesPerSector(decoded.params);
      return perSector === undefined ? { direction: "in", length: undefined } : dataIn(perSector * decoded.params.transferLength);
    }
    case "readCdMsf": {
      const p = decoded.params;
      const frames = (m: { minute: number; second: number; frame: number }) => (m.minute * 60 + m.second) * 75 + m.frame;
      const perSector = readCdBytesPerSector(p);
      return perSector === undefined ? { direction: "in", length: undefined } : dataIn(perSector * (frames(p.end) - frames(p.start)));
    }
    case "readCapacity10":
      return dataIn(8);
    case "getPerformance":
      return dataIn(8 + 16 * decoded.params.maxDescriptors);
    case "modeSelect6":
    case "modeSelect10":
    case "setStreaming":
    case "sendOpcInformation":
      return dataOut(decoded.params.parameterListLength);
    case "sendCueSheet":
      return dataOut(decoded.params.cueSheetSize);
    case "formatUnit":
      return decoded.params.fmtData ? { direction: "out", length: undefined } : none;
    default:
      return dataIn(decoded.params.allocationLength);
  }
}
