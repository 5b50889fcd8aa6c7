/**
 * Sense data codec, SPC-4 4.5: fixed format (4.5.3, response codes 70h current / 71h deferred)
 * and descriptor format (4.5.2, 72h / 73h), both decoded into one normalised `SenseData`.
 * Sense-key specific fields follow SPC-4 4.5.2.4 (field pointer, actual retry count, progress
 * indication, segment pointer, unit attention queue overflow); MMC-6 uses the progress
 * indication for BLANK, FORMAT UNIT and CLOSE TRACK/SESSION with the Immed bit set.
 *
 * Short sense is normal in practice (drives and bridges cut it to the allocation length or to
 * what they bothered to fill). Policy:
 * - Fewer bytes than needed for the sense key, ASC and ASCQ (fixed: 14, descriptor: 4), or an
 *   unknown response code: MalformedDataError.
 * - Otherwise a value. Fields whose bytes are absent are `undefined`; `truncated` is true when the
 *   buffer ends before the length the sense data declares (or, for fixed format, before the 18
 *   standard bytes), and a descriptor cut off by the end is left out of `descriptors`.
 * Only bytes inside both the buffer and the declared length (8 + ADDITIONAL SENSE LENGTH) are read.
 */
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";
import { SENSE_DESCRIPTOR_TYPE, SENSE_RESPONSE_CODE } from "../tables/sense-descriptors.js";
import { SENSE_KEY } from "../tables/sense-keys.js";

const STRUCTURE = "sense data";

/** Sense-key specific information (SKSV set); which form applies depends on the sense key. */
export type SenseKeySpecific =
  | {
      /** ILLEGAL REQUEST: which byte (and bit) of the CDB or parameter list was wrong. */
      readonly kind: "field-pointer";
      /** C/D: true = the CDB, false = the parameter data sent with the command. */
      readonly inCdb: boolean;
      /** Bit 0-7 within the byte, when the drive gave it (BPV). */
      readonly bitPointer: number | undefined;
      readonly fieldPointer: number;
    }
  | { readonly kind: "actual-retry-count"; readonly count: number }
  | {
      /** NO SENSE / NOT READY: how far a long operation got, as progress/65536. */
      readonly kind: "progress";
      readonly progress: number;
      readonly fraction: number;
    }
  | {
      /** COPY ABORTED: where in the parameter list (SD=0) or segment descriptor (SD=1). */
      readonly kind: "segment-pointer";
      readonly inSegmentDescriptor: boolean;
      readonly bitPointer: number | undefined;
      readonly fieldPointer: number;
    }
  | { readonly kind: "unit-attention-overflow"; readonly overflow: boolean }
  /** Any other sense key: the three bytes as sent (SKSV bit included). */
  | { readonly kind: "raw"; readonly bytes: Uint8Array };

/** A progress report from an "Another progress indication" descriptor (0Ah). */
export interface OtherProgress {
  readonly senseKey: number;
  readonly asc: number;
  readonly ascq: number;
  readonly progress: number;
  readonly fraction: number;
}

export type SenseDescriptor =
  | { readonly type: 0x00; readonly kind: "information"; readonly valid: boolean; readonly value: number | undefined; readonly raw: Uint8Array }
  | { readonly type: 0x01; readonly kind: "command-specific"; readonly value: number | undefined; readonly raw: Uint8Array }
  | { readonly type: 0x02; readonly kind: "sense-key-specific"; readonly sksv: boolean; readonly value: SenseKeySpecific | undefined; readonly raw: Uint8Array }
  | { readonly type: 0x03; readonly kind: "fru"; readonly code: number; readonly raw: Uint8Array }
  | { readonly type: 0x04; readonly kind: "stream"; readonly filemark: boolean; readonly endOfMedium: boolean; readonly incorrectLength: boolean; readonly raw: Uint8Array }
  | { readonly type: 0x05; readonly kind: "block"; readonly incorrectLength: boolean; readonly raw: Uint8Array }
  | { readonly type: 0x0a; readonly kind: "another-progress"; readonly value: OtherProgress; readonly raw: Uint8Array }
  /** Every other type, and known types whose length is not the one the standard fixes. */
  | { readonly type: number; readonly kind: "other"; readonly raw: Uint8Array };

export type SenseFormat = "fixed" | "descriptor";

/** Decoded sense data, the same shape for both formats. */
export interface SenseData {
  readonly format: SenseFormat;
  /** 70h, 71h, 72h or 73h. */
  readonly responseCode: number;
  /** Deferred error (71h/73h): reports a failure of an earlier command, e.g. a buffered write. */
  readonly deferred: boolean;
  readonly senseKey: number;
  readonly asc: number;
  readonly ascq: number;
  /**
   * INFORMATION field, when valid (fixed: VALID bit; descriptor: descriptor 00h with VALID).
   * For MMC usually the LBA the error concerns. Undefined too when an 8-byte value exceeds
   * 2^53-1; `informationBytes` always has the raw field when present.
   */
  readonly information: number | undefined;
  readonly informationValid: boolean;
  readonly informationBytes: Uint8Array | undefined;
  /** COMMAND-SPECIFIC INFORMATION (fixed bytes 8-11, or descriptor 01h). */
  readonly commandSpecific: number | undefined;
  /** FIELD REPLACEABLE UNIT code; 0 = none given. Undefined when absent from the bytes. */
  readonly fru: number | undefined;
  /** Present only when SKSV is set. */
  readonly senseKeySpecific: SenseKeySpecific | undefined;
  readonly filemark: boolean;
  readonly endOfMedium: boolean;
  /** ILI: the requested length did not match the logical block length. */
  readonly incorrectLength: boolean;
  /** SDAT_OVFL: the device had more sense data than fit. */
  readonly senseDataOverflow: boolean;
  /** Descriptor format: every complete descriptor, in order. Fixed format: empty. */
  readonly descriptors: readonly SenseDescriptor[];
  /** Fixed format bytes 18 and on (additional sense bytes). Descriptor format: empty. */
  readonly additionalBytes: Uint8Array;
  /** Number of bytes that belong to the sense data and were present (8 + length, capped). */
  readonly length: number;
  /** The buffer ended before the declared or standard length; see the module comment. */
  readonly truncated: boolean;
}

// --- decoding -------------------------------------------------------------------------------

function u16(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}
function u32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) >>> 0) + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!);
}
/** Big-endian unsigned of 1..8 bytes, undefined when above 2^53-1. */
function uintBE(b: Uint8Array): number | undefined {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : undefined;
}

/** Interprets the three sense-key specific bytes (SKSV in bit 7 of the first). */
export function decodeSenseKeySpecific(senseKey: number, b: Uint8Array): SenseKeySpecific {
  if (b.length !== 3) throw new InvalidArgumentError("sense-key specific", `needs 3 bytes, got ${b.length}`);
  const b0 = b[0]!;
  const value = u16(b, 1);
  switch (senseKey & 0x0f) {
    case SENSE_KEY.illegalRequest:
      return { kind: "field-pointer", inCdb: (b0 & 0x40) !== 0, bitPointer: b0 & 0x08 ? b0 & 0x07 : undefined, fieldPointer: value };
    case SENSE_KEY.recoveredError:
    case SENSE_KEY.mediumError:
    case SENSE_KEY.hardwareError:
      return { kind: "actual-retry-count", count: value };
    case SENSE_KEY.noSense:
    case SENSE_KEY.notReady:
      return { kind: "progress", progress: value, fraction: value / 65536 };
    case SENSE_KEY.copyAborted:
      return { kind: "segment-pointer", inSegmentDescriptor: (b0 & 0x20) !== 0, bitPointer: b0 & 0x08 ? b0 & 0x07 : undefined, fieldPointer: value };
    case SENSE_KEY.unitAttention:
      return { kind: "unit-attention-overflow", overflow: (b0 & 0x01) !== 0 };
    default:
      return { kind: "raw", bytes: b.slice() };
  }
}

function decodeDescriptor(senseKey: number, raw: Uint8Array): SenseDescriptor {
  const type = raw[0]!;
  const len = raw[1]!;
  const other: SenseDescriptor = { type, kind: "other", raw };
  switch (type) {
    case SENSE_DESCRIPTOR_TYPE.information:
      if (len !== 0x0a) return other;
      return { type, kind: "information", valid: (raw[2]! & 0x80) !== 0, value: uintBE(raw.subarray(4, 12)), raw };
    case SENSE_DESCRIPTOR_TYPE.commandSpecificInformation:
      if (len !== 0x0a) return other;
      return { type, kind: "command-specific", value: uintBE(raw.subarray(4, 12)), raw };
    case SENSE_DESCRIPTOR_TYPE.senseKeySpecific: {
      if (len !== 0x06) return other;
      const sksv = (raw[4]! & 0x80) !== 0;
      return { type, kind: "sense-key-specific", sksv, value: sksv ? decodeSenseKeySpecific(senseKey, raw.slice(4, 7)) : undefined, raw };
    }
    case SENSE_DESCRIPTOR_TYPE.fieldReplaceableUnit:
      if (len !== 0x02) return other;
      return { type, kind: "fru", code: raw[3]!, raw };
    case SENSE_DESCRIPTOR_TYPE.streamCommands:
      if (len !== 0x02) return other;
      return { type, kind: "stream", filemark: (raw[3]! & 0x80) !== 0, endOfMedium: (raw[3]! & 0x40) !== 0, incorrectLength: (raw[3]! & 0x20) !== 0, raw };
    case SENSE_DESCRIPTOR_TYPE.blockCommands:
      if (len !== 0x02) return other;
      return { type, kind: "block", incorrectLength: (raw[3]! & 0x20) !== 0, raw };
    case SENSE_DESCRIPTOR_TYPE.anotherProgressIndication: {
      if (len !== 0x06) return other;
      const progress = u16(raw, 6);
      return { type, kind: "another-progress", value: { senseKey: raw[2]! & 0x0f, asc: raw[3]!, ascq: raw[4]!, progress, fraction: progress / 65536 }, raw };
    }
    default:
      return other;
  }
}

/** Decodes fixed or descriptor sense data. See the module comment for the short-data policy. */
export function decodeSense(bytes: Uint8Array): SenseData {
  if (bytes.length === 0) throw new MalformedDataError(STRUCTURE, 0, "empty");
  const responseCode = bytes[0]! & 0x7f;
  switch (responseCode) {
    case SENSE_RESPONSE_CODE.fixedCurrent:
    case SENSE_RESPONSE_CODE.fixedDeferred:
      return decodeFixed(bytes, responseCode);
    case SENSE_RESPONSE_CODE.descriptorCurrent:
    case SENSE_RESPONSE_CODE.descriptorDeferred:
      return decodeDescriptorFormat(bytes, responseCode);
    case SENSE_RESPONSE_CODE.vendorSpecific:
      throw new MalformedDataError(STRUCTURE, 0, "vendor specific sense data format (response code 7Fh)");
    default:
      throw new MalformedDataError(STRUCTURE, 0, `response code ${hex2(responseCode)}h is neither fixed (70h/71h) nor descriptor (72h/73h)`);
  }
}

function decodeFixed(bytes: Uint8Array, responseCode: number): SenseData {
  // The declared length counts only when byte 7 arrived; without it nothing past byte 7 can be trusted.
  if (bytes.length < 14) throw new MalformedDataError(STRUCTURE, bytes.length, `fixed format needs 14 bytes for sense key, ASC and ASCQ; got ${bytes.length}`);
  const declared = 8 + bytes[7]!;
  if (declared < 14) throw new MalformedDataError(STRUCTURE, 7, `fixed format additional sense length ${bytes[7]} leaves no room for ASC/ASCQ`);
  const end = Math.min(bytes.length, declared);
  const b2 = bytes[2]!;
  const informationValid = (bytes[0]! & 0x80) !== 0;
  const informationBytes = bytes.slice(3, 7);
  let senseKeySpecific: SenseKeySpecific | undefined;
  if (end >= 18 && (bytes[15]! & 0x80) !== 0) senseKeySpecific = decodeSenseKeySpecific(b2 & 0x0f, bytes.slice(15, 18));
  return {
    format: "fixed",
    responseCode,
    deferred: responseCode === SENSE_RESPONSE_CODE.fixedDeferred,
    senseKey: b2 & 0x0f,
    asc: bytes[12]!,
    ascq: bytes[13]!,
    information: informationValid ? u32(bytes, 3) : undefined,
    informationValid,
    informationBytes,
    commandSpecific: end >= 12 ? u32(bytes, 8) : undefined,
    fru: end >= 15 ? bytes[14]! : undefined,
    senseKeySpecific,
    filemark: (b2 & 0x80) !== 0,
    endOfMedium: (b2 & 0x40) !== 0,
    incorrectLength: (b2 & 0x20) !== 0,
    senseDataOverflow: (b2 & 0x10) !== 0,
    descriptors: [],
    additionalBytes: end > 18 ? bytes.slice(18, end) : new Uint8Array(0),
    length: end,
    truncated: bytes.length < declared || end < 18,
  };
}

function decodeDescriptorFormat(bytes: Uint8Array, responseCode: number): SenseData {
  if (bytes.length < 4) throw new MalformedDataError(STRUCTURE, bytes.length, `descriptor format needs 4 bytes for sense key, ASC and ASCQ; got ${bytes.length}`);
  const senseKey = bytes[1]! & 0x0f;
  const declared = bytes.length >= 8 ? 8 + bytes[7]! : 8;
  const end = Math.min(bytes.length, declared);
  let truncated = bytes.length < declared;
  const descriptors: SenseDescriptor[] = [];
  let at = 8;
  while (at < end) {
    if (at + 2 > end || at + 2 + bytes[at + 1]! > end) {
      truncated = true;
      break;
    }
    const size = 2 + bytes[at + 1]!;
    descriptors.push(decodeDescriptor(senseKey, bytes.slice(at, at + size)));
    at += size;
  }
  // SPC-4: if a type appears more than once the first one counts.
  const first = <K extends SenseDescriptor["kind"]>(kind: K) => descriptors.find((d) => d.kind === kind) as Extract<SenseDescriptor, { kind: K }> | undefined;
  const info = first("information");
  const csi = first("command-specific");
  const sks = first("sense-key-specific");
  const fru = first("fru");
  const stream = first("stream");
  const block = first("block");
  const informationValid = info?.valid ?? false;
  return {
    format: "descriptor",
    responseCode,
    deferred: responseCode === SENSE_RESPONSE_CODE.descriptorDeferred,
    senseKey,
    asc: bytes[2]!,
    ascq: bytes[3]!,
    information: informationValid ? info?.value : undefined,
    informationValid,
    informationBytes: info?.raw.slice(4, 12),
    commandSpecific: csi?.value,
    fru: fru?.code,
    senseKeySpecific: sks?.value,
    filemark: stream?.filemark ?? false,
    endOfMedium: stream?.endOfMedium ?? false,
    incorrectLength: (stream?.incorrectLength ?? false) || (block?.incorrectLength ?? false),
    senseDataOverflow: bytes.length > 4 && (bytes[4]! & 0x80) !== 0,
    descriptors,
    additionalBytes: new Uint8Array(0),
    length: end,
    truncated,
  };
}

/**
 * How far a long operation got (0..1), from the sense-key specific progress indication or an
 * "Another progress indication" descriptor; undefined when the sense carries neither.
 */
export function senseProgress(sense: SenseData): number | undefined {
  if (sense.senseKeySpecific?.kind === "progress") return sense.senseKeySpecific.fraction;
  for (const d of sense.descriptors) if (d.kind === "another-progress") return d.value.fraction;
  return undefined;
}

// --- encoding -------------------------------------------------------------------------------

/** Sense-key specific input for the encoders; the form must suit the sense key (not checked). */
export type SenseKeySpecificInput =
  | { readonly fieldPointer: number; readonly inCdb: boolean; readonly bitPointer?: number | undefined }
  | { readonly actualRetryCount: number }
  /** 0..65535; see `progressFromFraction`. */
  | { readonly progress: number }
  | { readonly segmentPointer: number; readonly inSegmentDescriptor: boolean; readonly bitPointer?: number | undefined }
  | { readonly overflow: boolean };

export interface SenseInput {
  readonly key: number;
  readonly asc: number;
  readonly ascq: number;
  readonly deferred?: boolean | undefined;
  /** Sets VALID (fixed) / adds descriptor 00h with VALID (descriptor). Fixed: 0..2^32-1. */
  readonly information?: number | undefined;
  readonly commandSpecific?: number | undefined;
  readonly fru?: number | undefined;
  readonly sks?: SenseKeySpecificInput | undefined;
  readonly filemark?: boolean | undefined;
  readonly endOfMedium?: boolean | undefined;
  readonly incorrectLength?: boolean | undefined;
}

export interface DescriptorSenseInput extends SenseInput {
  /** "Another progress indication" descriptors (0Ah). */
  readonly otherProgress?: readonly Omit<OtherProgress, "fraction">[] | undefined;
  /** Further descriptors, complete with type and length bytes, appended as given. */
  readonly extraDescriptors?: readonly Uint8Array[] | undefined;
}

/** Progress 0..1 as the 16-bit progress indication value (rounded down, capped at FFFFh). */
export function progressFromFraction(fraction: number): number {
  if (!(fraction >= 0 && fraction <= 1)) throw new InvalidArgumentError("fraction", `${fraction} is not within 0..1`);
  return Math.min(0xffff, Math.floor(fraction * 65536));
}

function checkUint(name: string, v: number, max: number): void {
  if (!Number.isInteger(v) || v < 0 || v > max) throw new InvalidArgumentError(name, `${v} is not an integer within 0..${max}`);
}

function checkCommon(s: SenseInput): void {
  checkUint("key", s.key, 0x0f);
  checkUint("asc", s.asc, 0xff);
  checkUint("ascq", s.ascq, 0xff);
  if (s.fru !== undefined) checkUint("fru", s.fru, 0xff);
}

/** The three sense-key specific bytes with SKSV set. */
export function encodeSenseKeySpecific(sks: SenseKeySpecificInput): Uint8Array {
  const out = new Uint8Array(3);
  let b0 = 0x80;
  let value = 0;
  if ("fieldPointer" in sks) {
    checkUint("sks.fieldPointer", sks.fieldPointer, 0xffff);
    if (sks.inCdb) b0 |= 0x40;
    if (sks.bitPointer !== undefined) {
      checkUint("sks.bitPointer", sks.bitPointer, 7);
      b0 |= 0x08 | sks.bitPointer;
    }
    value = sks.fieldPointer;
  } else if ("actualRetryCount" in sks) {
    checkUint("sks.actualRetryCount", sks.actualRetryCount, 0xffff);
    value = sks.actualRetryCount;
  } else if ("progress" in sks) {
    checkUint("sks.progress", sks.progress, 0xffff);
    value = sks.progress;
  } else if ("segmentPointer" in sks) {
    checkUint("sks.segmentPointer", sks.segmentPointer, 0xffff);
    if (sks.inSegmentDescriptor) b0 |= 0x20;
    if (sks.bitPointer !== undefined) {
      checkUint("sks.bitPointer", sks.bitPointer, 7);
      b0 |= 0x08 | sks.bitPointer;
    }
    value = sks.segmentPointer;
  } else {
    if (sks.overflow) b0 |= 0x01;
  }
  out[0] = b0;
  out[1] = value >>> 8;
  out[2] = value & 0xff;
  return out;
}

function putU32(out: Uint8Array, at: number, v: number): void {
  out[at] = v >>> 24;
  out[at + 1] = (v >>> 16) & 0xff;
  out[at + 2] = (v >>> 8) & 0xff;
  out[at + 3] = v & 0xff;
}
function putU64(out: Uint8Array, at: number, v: number): void {
  const big = BigInt(v);
  for (let i = 0; i < 8; i++) out[at + i] = Number((big >> BigInt(8 * (7 - i))) & 0xffn);
}

/** Fixed format sense data, 18 bytes (ADDITIONAL SENSE LENGTH 0Ah), SPC-4 4.5.3. */
export function encodeFixedSense(s: SenseInput): Uint8Array {
  checkCommon(s);
  const out = new Uint8Array(18);
  out[0] = (s.deferred ? SENSE_RESPONSE_CODE.fixedDeferred : SENSE_RESPONSE_CODE.fixedCurrent) | (s.information !== undefined ? 0x80 : 0);
  out[2] = s.key | (s.filemark ? 0x80 : 0) | (s.endOfMedium ? 0x40 : 0) | (s.incorrectLength ? 0x20 : 0);
  if (s.information !== undefined) {
    checkUint("information", s.information, 0xffffffff);
    putU32(out, 3, s.information);
  }
  out[7] = 10;
  if (s.commandSpecific !== undefined) {
    checkUint("commandSpecific", s.commandSpecific, 0xffffffff);
    putU32(out, 8, s.commandSpecific);
  }
  out[12] = s.asc;
  out[13] = s.ascq;
  out[14] = s.fru ?? 0;
  if (s.sks !== undefined) out.set(encodeSenseKeySpecific(s.sks), 15);
  return out;
}

/** Descriptor format sense data, SPC-4 4.5.2; descriptors in type order, then the extra ones. */
export function encodeDescriptorSense(s: DescriptorSenseInput): Uint8Array {
  checkCommon(s);
  const parts: Uint8Array[] = [];
  if (s.information !== undefined) {
    checkUint("information", s.information, Number.MAX_SAFE_INTEGER);
    const d = new Uint8Array(12);
    d[0] = SENSE_DESCRIPTOR_TYPE.information;
    d[1] = 0x0a;
    d[2] = 0x80;
    putU64(d, 4, s.information);
    parts.push(d);
  }
  if (s.commandSpecific !== undefined) {
    checkUint("commandSpecific", s.commandSpecific, Number.MAX_SAFE_INTEGER);
    const d = new Uint8Array(12);
    d[0] = SENSE_DESCRIPTOR_TYPE.commandSpecificInformation;
    d[1] = 0x0a;
    putU64(d, 4, s.commandSpecific);
    parts.push(d);
  }
  if (s.sks !== undefined) {
    const d = new Uint8Array(8);
    d[0] = SENSE_DESCRIPTOR_TYPE.senseKeySpecific;
    d[1] = 0x06;
    d.set(encodeSenseKeySpecific(s.sks), 4);
    parts.push(d);
  }
  if (s.fru !== undefined) parts.push(Uint8Array.of(SENSE_DESCRIPTOR_TYPE.fieldReplaceableUnit, 0x02, 0, s.fru));
  if (s.filemark || s.endOfMedium || s.incorrectLength) {
    parts.push(Uint8Array.of(SENSE_DESCRIPTOR_TYPE.streamCommands, 0x02, 0, (s.filemark ? 0x80 : 0) | (s.endOfMedium ? 0x40 : 0) | (s.incorrectLength ? 0x20 : 0)));
  }
  for (const p of s.otherProgress ?? []) {
    checkUint("otherProgress.senseKey", p.senseKey, 0x0f);
    checkUint("otherProgress.asc", p.asc, 0xff);
    checkUint("otherProgress.ascq", p.ascq, 0xff);
    checkUint("otherProgress.progress", p.progress, 0xffff);
    parts.push(Uint8Array.of(SENSE_DESCRIPTOR_TYPE.anotherProgressIndication, 0x06, p.senseKey, p.asc, p.ascq, 0, p.progress >>> 8, p.progress & 0xff));
  }
  for (const [i, d] of (s.extraDescriptors ?? []).entries()) {
    if (d.length < 2 || d.length !== 2 + d[1]!) throw new InvalidArgumentError(`extraDescriptors[${i}]`, `length byte says ${d.length >= 2 ? 2 + d[1]! : "?"} bytes, descriptor has ${d.length}`);
    parts.push(d);
  }
  const bodyLength = parts.reduce((n, p) => n + p.length, 0);
  if (bodyLength > 244) throw new InvalidArgumentError("descriptors", `${bodyLength} bytes exceed the 244 that fit in 252-byte sense data`);
  const out = new Uint8Array(8 + bodyLength);
  out[0] = s.deferred ? SENSE_RESPONSE_CODE.descriptorDeferred : SENSE_RESPONSE_CODE.descriptorCurrent;
  out[1] = s.key;
  out[2] = s.asc;
  out[3] = s.ascq;
  out[7] = bodyLength;
  let at = 8;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, "0");
}
