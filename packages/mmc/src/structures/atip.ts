/**
 * READ TOC/PMA/ATIP format 0100b, ATIP (MMC-6 6.26.3.6): the pre-groove information of CD-R/RW.
 *
 * Byte 4: indicative target writing power (bits 6-4), DDCD (bit 3), reference speed (2-0);
 * byte 5: URU (bit 6); byte 6: disc type (bit 6, 0 = CD-R, 1 = CD-RW), disc sub-type (5-3),
 * A1/A2/A3 valid (2-0); 8-10 start time of lead-in (M/S/F); 12-14 last possible start time of
 * lead-out; 16-18 A1, 20-22 A2, 24-26 A3, 28-30 S4 values. Drives may stop after the lead-out
 * time; the A/S values then decode as undefined.
 */
import { ByteWriter, type ByteReader, type Msf } from "@discforge/bytes";
import { InvalidArgumentError } from "@discforge/errors";
import { bit, bits, flag, lengthPrefixed, u8At, uint, type Codec, type MaybeTruncated } from "./codec.js";

export interface Atip extends MaybeTruncated {
  readonly indicativeTargetWritingPower: number;
  readonly ddcd: boolean;
  readonly referenceSpeed: number;
  /** Unrestricted Use disc. */
  readonly uru: boolean;
  /** 0 = CD-R, 1 = CD-RW. */
  readonly discType: number;
  readonly discSubType: number;
  readonly a1Valid: boolean;
  readonly a2Valid: boolean;
  readonly a3Valid: boolean;
  /** ATIP start time of lead-in: with minute >= 90 this is a lead-in (negative) address; frame 0..74 names the manufacturer in the ATIP code list. */
  readonly leadInStart: Msf;
  readonly lastPossibleLeadOutStart: Msf;
  /** 3 bytes each. */
  readonly a1?: Uint8Array;
  readonly a2?: Uint8Array;
  readonly a3?: Uint8Array;
  readonly s4?: Uint8Array;
}

const STRUCTURE = "READ TOC format 4 (ATIP)";

function msfAt(r: ByteReader, at: number): Msf {
  r.seek(at);
  return { minute: r.u8(), second: r.u8(), frame: r.u8() };
}

function decode(bytes: Uint8Array): Atip {
  const { reader: r, truncated } = lengthPrefixed(bytes, STRUCTURE, 2, 16);
  const b4 = u8At(r, 4);
  const b6 = u8At(r, 6);
  const opt = (name: "a1" | "a2" | "a3" | "s4", at: number): Partial<Atip> =>
    r.bytes.length >= at + 3 ? { [name]: r.seek(at).bytesView(3).slice() } : {};
  return {
    indicativeTargetWritingPower: bits(b4, 6, 4),
    ddcd: bit(b4, 3),
    referenceSpeed: bits(b4, 2, 0),
    uru: bit(u8At(r, 5), 6),
    discType: bits(b6, 6, 6),
    discSubType: bits(b6, 5, 3),
    a1Valid: bit(b6, 2),
    a2Valid: bit(b6, 1),
    a3Valid: bit(b6, 0),
    leadInStart: msfAt(r, 8),
    lastPossibleLeadOutStart: msfAt(r, 12),
    ...opt("a1", 16),
    ...opt("a2", 20),
    ...opt("a3", 24),
    ...opt("s4", 28),
    ...(truncated === undefined ? {} : { truncated }),
  };
}

function writeMsf(w: ByteWriter, name: string, msf: Msf): void {
  w.u8(uint(`${name}.minute`, msf.minute, 8)).u8(uint(`${name}.second`, msf.second, 8)).u8(uint(`${name}.frame`, msf.frame, 8)).skip(1);
}

function encode(v: Atip): Uint8Array {
  const values = [v.a1, v.a2, v.a3, v.s4];
  let last = -1;
  values.forEach((x, i) => {
    if (x !== undefined) last = i;
  });
  const size = 16 + (last + 1) * 4;
  const w = new ByteWriter(size);
  w.u16be(size - 2).skip(2);
  // Bit 7 of byte 4 and of byte 6 are fixed at 1, bit 7 of byte 5 at 0 (ATIP special information layout).
  w.u8(0x80 | (uint("indicativeTargetWritingPower", v.indicativeTargetWritingPower, 3) << 4) | flag(v.ddcd, 3) | uint("referenceSpeed", v.referenceSpeed, 3));
  w.u8(flag(v.uru, 6));
  w.u8(0x80 | (uint("discType", v.discType, 1) << 6) | (uint("discSubType", v.discSubType, 3) << 3) | flag(v.a1Valid, 2) | flag(v.a2Valid, 1) | flag(v.a3Valid, 0));
  w.skip(1);
  writeMsf(w, "leadInStart", v.leadInStart);
  writeMsf(w, "lastPossibleLeadOutStart", v.lastPossibleLeadOutStart);
  for (let i = 0; i <= last; i++) {
    const x = values[i] ?? new Uint8Array(3);
    if (x.length !== 3) throw new InvalidArgumentError(["a1", "a2", "a3", "s4"][i]!, `must be 3 bytes, got ${x.length}`);
    w.raw(x).skip(1);
  }
  return w.bytes;
}

export const atipCodec: Codec<Atip> = { structure: STRUCTURE, decode, encode };
