/**
 * Sense data the emulated drive returns: fixed format (SPC-4 4.5.3) with the sense-key specific
 * field used for field pointers (4.5.2.4.2) and progress indication (4.5.2.4.4).
 *
 * A refused command is a normal reply: handlers throw a `Refusal`, the dispatcher turns it into
 * CHECK CONDITION. Nothing here escapes `execute()` as an exception.
 */
import { SENSE_KEY, encodeFixedSense, type SenseKeySpecificInput } from "@discforge/mmc";


export interface SenseCode {
  readonly key: number;
  readonly asc: number;
  readonly ascq: number;
}

const sc = (key: number, asc: number, ascq: number): SenseCode => ({ key, asc, ascq });
const K = SENSE_KEY;

/** The conditions the emulator reports, with their ASC/ASCQ (T10 asc-num list, MMC-6 Annex F). */
export const SENSE = {
  noSense: sc(K.noSense, 0x00, 0x00),
  becomingReady: sc(K.notReady, 0x04, 0x01),
  formatInProgress: sc(K.notReady, 0x04, 0x04),
  operationInProgress: sc(K.notReady, 0x04, 0x07),
  longWriteInProgress: sc(K.notReady, 0x04, 0x08),
  lossOfStreaming: sc(K.mediumError, 0x0c, 0x09),
  writeError: sc(K.mediumError, 0x0c, 0x00),
  unrecoveredReadError: sc(K.mediumError, 0x11, 0x00),
  invalidOpcode: sc(K.illegalRequest, 0x20, 0x00),
  lbaOutOfRange: sc(K.illegalRequest, 0x21, 0x00),
  invalidAddressForWrite: sc(K.illegalRequest, 0x21, 0x02),
  invalidFieldInCdb: sc(K.illegalRequest, 0x24, 0x00),
  invalidFieldInParameterList: sc(K.illegalRequest, 0x26, 0x00),
  parameterListLengthError: sc(K.illegalRequest, 0x1a, 0x00),
  writeProtected: sc(K.dataProtect, 0x27, 0x00),
  notReadyToReadyChange: sc(K.unitAttention, 0x28, 0x00),
  powerOnReset: sc(K.unitAttention, 0x29, 0x00),
  modeParametersChanged: sc(K.unitAttention, 0x2a, 0x01),
  commandSequenceError: sc(K.illegalRequest, 0x2c, 0x00),
  incompatibleMediumInstalled: sc(K.illegalRequest, 0x30, 0x00),
  cannotReadUnknownFormat: sc(K.mediumError, 0x30, 0x01),
  cannotReadIncompatibleFormat: sc(K.illegalRequest, 0x30, 0x02),
  cannotWriteIncompatibleFormat: sc(K.illegalRequest, 0x30, 0x05),
  cannotFormatIncompatible: sc(K.illegalRequest, 0x30, 0x06),
  mediumNotFormatted: sc(K.notReady, 0x30, 0x10),
  savingNotSupported: sc(K.illegalRequest, 0x39, 0x00),
  mediumNotPresent: sc(K.notReady, 0x3a, 0x00),
  mediumNotPresentTrayClosed: sc(K.notReady, 0x3a, 0x01),
  mediumNotPresentTrayOpen: sc(K.notReady, 0x3a, 0x02),
  mediumRemovalPrevented: sc(K.illegalRequest, 0x53, 0x02),
  invalidTrackMode: sc(K.illegalRequest, 0x64, 0x00),
  sessionFixationError: sc(K.mediumError, 0x72, 0x00),
  emptyOrPartiallyWrittenReservedTrack: sc(K.illegalRequest, 0x72, 0x04),
  noMoreTrackReservationsAllowed: sc(K.illegalRequest, 0x72, 0x05),
  blankCheckEndOfData: sc(K.blankCheck, 0x00, 0x05),
  /** SPC-5: the command was ended because it ran past its time limit (page 1Dh TMOE here). */
  commandTimeoutDuringProcessing: sc(K.abortedCommand, 0x2e, 0x02),
} as const satisfies Record<string, SenseCode>;

/** Where in the CDB or parameter list the bad field is (SPC-4 4.5.2.4.2). */
export interface FieldPointer {
  readonly inCdb: boolean;
  readonly byte: number;
  /** Bit within the byte, when one bit is at fault. */
  readonly bit?: number;
}

export interface SenseDetail {
  readonly code: SenseCode;
  readonly field?: FieldPointer;
  /** Progress 0..65535 of a long operation (sense-key specific, NOT READY). */
  readonly progress?: number;
  /** INFORMATION field (e.g. the LBA at fault), valid bit set when present. */
  readonly information?: number;
}

/** A command refused with CHECK CONDITION. Thrown by handlers, caught by the dispatcher only. */
export class Refusal {
  constructor(readonly detail: SenseDetail) {}
}

export function refuse(code: SenseCode, extra: Omit<SenseDetail, "code"> = {}): never {
  throw new Refusal({ code, ...extra });
}
export function badCdbField(byte: number, bit?: number): never {
  throw new Refusal({ code: SENSE.invalidFieldInCdb, field: bit === undefined ? { inCdb: true, byte } : { inCdb: true, byte, bit } });
}
export function badParameter(byte: number, bit?: number): never {
  throw new Refusal({ code: SENSE.invalidFieldInParameterList, field: bit === undefined ? { inCdb: false, byte } : { inCdb: false, byte, bit } });
}

/** Fixed-format sense data, 18 bytes (SPC-4 4.5.3), through the mmc package's sense encoder. */
export function senseBytes(d: SenseDetail): Uint8Array {
  const sks: SenseKeySpecificInput | undefined = d.field
    ? { fieldPointer: d.field.byte, inCdb: d.field.inCdb, ...(d.field.bit === undefined ? {} : { bitPointer: d.field.bit }) }
    : d.progress !== undefined
      ? { progress: Math.max(0, Math.min(0xffff, Math.floor(d.progress))) }
      : undefined;
  return encodeFixedSense({ key: d.code.key, asc: d.code.asc, ascq: d.code.ascq, information: d.information === undefined ? undefined : d.information >>> 0, sks });
}

export function senseName(code: SenseCode): string {
  for (const [name, c] of Object.entries(SENSE)) if (c.key === code.key && c.asc === code.asc && c.ascq === code.ascq) return name;
  return `${code.key.toString(16)}/${code.asc.toString(16).padStart(2, "0")}/${code.ascq.toString(16).padStart(2, "0")}`;
}
