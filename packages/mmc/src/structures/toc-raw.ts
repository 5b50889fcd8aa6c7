/**
 * READ TOC/PMA/ATIP format 0010b, raw TOC (MMC-6 6.26.3.4), and format 0011b, PMA (6.26.3.5).
 * Both carry 11-byte Q sub-channel descriptors: session number, ADR/CONTROL, TNO, POINT,
 * MIN/SEC/FRAME, ZERO, PMIN/PSEC/PFRAME (binary, not BCD, as the drive converts them).
 * The raw TOC header holds first/last complete session; the PMA header is reserved.
 */
import { ByteWriter, type ByteReader, type Msf } from "@discforge/bytes";
import { fixedEntries, lengthPrefixed, u8At, uint, type Codec, type MaybeTruncated } from "./codec.js";

export interface QDescriptor {
  /** Session number (raw TOC); reserved in PMA descriptors. */
  readonly sessionNumber: number;
  readonly adr: number;
  readonly control: number;
  readonly tno: number;
  readonly point: number;
  readonly min: number;
  readonly sec: number;
  readonly frame: number;
  readonly zero: number;
  readonly pmin: number;
  readonly psec: number;
  readonly pframe: number;
}

export interface RawToc extends MaybeTruncated {
  readonly firstCompleteSession: number;
  readonly lastCompleteSession: number;
  readonly descriptors: readonly QDescriptor[];
}

export interface Pma extends MaybeTruncated {
  readonly descriptors: readonly QDescriptor[];
}

/** POINT values of mode-1 Q in the lead-in with a meaning of their own (Red Book / MMC-6 table 493). */
export const RAW_TOC_POINT = {
  /** PMIN = first track number, PSEC = disc type. */
  firstTrack: 0xa0,
  /** PMIN = last track number. */
  lastTrack: 0xa1,
  /** PMIN:PSEC:PFRAME = start of the lead-out. */
  leadOut: 0xa2,
  /** ADR 5: MIN:SEC:FRAME = start of the next possible program area, PMIN:PSEC:PFRAME = last possible lead-out start. */
  nextProgramArea: 0xb0,
  /** ADR 5: number of skip interval pointers / skip track assignments. */
  skipPointers: 0xb1,
  /** ADR 5: MIN = optimum recording power, PMIN:PSEC:PFRAME = start of the first lead-in of the disc. */
  firstLeadIn: 0xc0,
  /** ADR 5: copy of the ATIP special information 1. */
  atipCopy: 0xc1,
} as const;

export type QPointMeaning =
  | { readonly kind: "track"; readonly track: number; readonly start: Msf }
  | { readonly kind: "firstTrack"; readonly track: number; readonly discType: number }
  | { readonly kind: "lastTrack"; readonly track: number }
  | { readonly kind: "leadOut"; readonly start: Msf }
  | { readonly kind: "nextProgramArea"; readonly start: Msf; readonly lastPossibleLeadOut: Msf; readonly pointers: number }
  | { readonly kind: "firstLeadIn"; readonly optimumRecordingPower: number; readonly start: Msf }
  | { readonly kind: "other"; readonly point: number };

/** What a raw TOC descriptor's POINT says (ADR 1 and ADR 5 points are recognised). */
export function interpretQPoint(d: QDescriptor): QPointMeaning {
  const p: Msf = { minute: d.pmin, second: d.psec, frame: d.pframe };
  if (d.adr === 1) {
    if (d.point >= 1 && d.point <= 99) return { kind: "track", track: d.point, start: p };
    if (d.point === RAW_TOC_POINT.firstTrack) return { kind: "firstTrack", track: d.pmin, discType: d.psec };
    if (d.point === RAW_TOC_POINT.lastTrack) return { kind: "lastTrack", track: d.pmin };
    if (d.point === RAW_TOC_POINT.leadOut) return { kind: "leadOut", start: p };
  }
  if (d.adr === 5) {
    if (d.point === RAW_TOC_POINT.nextProgramArea) {
      return { kind: "nextProgramArea", start: { minute: d.min, second: d.sec, frame: d.frame }, lastPossibleLeadOut: p, pointers: d.zero };
    }
    if (d.point === RAW_TOC_POINT.firstLeadIn) return { kind: "firstLeadIn", optimumRecordingPower: d.min, start: p };
  }
  return { kind: "other", point: d.point };
}

function readQ(r: ByteReader, at: number): QDescriptor {
  const sessionNumber = u8At(r, at);
  const adrControl = u8At(r, at + 1);
  r.seek(at + 2);
  return {
    sessionNumber,
    adr: adrControl >>> 4,
    control: adrControl & 0x0f,
    tno: r.u8(),
    point: r.u8(),
    min: r.u8(),
    sec: r.u8(),
    frame: r.u8(),
    zero: r.u8(),
    pmin: r.u8(),
    psec: r.u8(),
    pframe: r.u8(),
  };
}

function writeQ(w: ByteWriter, d: QDescriptor): void {
  w.u8(uint("sessionNumber", d.sessionNumber, 8)).u8((uint("adr", d.adr, 4) << 4) | uint("control", d.control, 4));
  for (const [name, value] of [
    ["tno", d.tno],
    ["point", d.point],
    ["min", d.min],
    ["sec", d.sec],
    ["frame", d.frame],
    ["zero", d.zero],
    ["pmin", d.pmin],
    ["psec", d.psec],
    ["pframe", d.pframe],
  ] as const) {
    w.u8(uint(name, value, 8));
  }
}

function encodeList(header: [number, number], descriptors: readonly QDescriptor[]): Uint8Array {
  const size = 4 + descriptors.length * 11;
  uint("data length", size - 2, 16);
  const w = new ByteWriter(size);
  w.u16be(size - 2).u8(header[0]).u8(header[1]);
  for (const d of descriptors) writeQ(w, d);
  return w.bytes;
}

const RAW = "READ TOC format 2 (raw TOC)";
const PMA = "READ TOC format 3 (PMA)";

export const rawTocCodec: Codec<RawToc> = {
  structure: RAW,
  decode(bytes) {
    const { reader: r, truncated } = lengthPrefixed(bytes, RAW, 2, 4);
    return {
      firstCompleteSession: u8At(r, 2),
      lastCompleteSession: u8At(r, 3),
      descriptors: fixedEntries(r, 4, 11, (at) => readQ(r, at)),
      ...(truncated === undefined ? {} : { truncated }),
    };
  },
  encode: (v) =>
    encodeList([uint("firstCompleteSession", v.firstCompleteSession, 8), uint("lastCompleteSession", v.lastCompleteSession, 8)], v.descriptors),
};

export const pmaCodec: Codec<Pma> = {
  structure: PMA,
  decode(bytes) {
    const { reader: r, truncated } = lengthPrefixed(bytes, PMA, 2, 4);
    return {
      descriptors: fixedEntries(r, 4, 11, (at) => readQ(r, at)),
      ...(truncated === undefined ? {} : { truncated }),
    };
  },
  encode: (v) => encodeList([0, 0], v.descriptors),
};
