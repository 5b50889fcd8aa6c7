/**
 * Raw CD-ROM sectors as a drive returns them to READ CD (ECMA-130 14 "Sector structure"): the
 * 2352-byte Mode 1 sector built from 2048 bytes of user data, with its sync pattern (14.1), header
 * (14.2: MSF address in BCD and the mode byte), EDC (14.3, 14.5: CRC-32 over sync, header and
 * data), 8 zero bytes, and the Reed-Solomon product code (14.3, Annex A: P parity 172 bytes,
 * Q parity 104 bytes). Scrambling (Annex B) happens on the medium only: drives return the sector
 * descrambled, so it is not applied here.
 */
import { lbaToMsf, toBcd } from "@discforge/bytes";

export const CD_RAW_SECTOR = 2352;
export const CD_SYNC_BYTES = 12;
export const CD_HEADER_BYTES = 4;
/** Offsets inside a Mode 1 sector (ECMA-130 Figure 17). */
export const MODE1 = { header: 12, userData: 16, edc: 2064, zero: 2068, pParity: 2076, qParity: 2248 } as const;

/** 00h, ten FFh, 00h (ECMA-130 14.1). */
export const SYNC_PATTERN: Uint8Array = Uint8Array.of(0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00);

/**
 * EDC polynomial P(x) = (x^16 + x^15 + x^2 + 1)(x^16 + x^2 + x + 1)
 * = x^32 + x^31 + x^16 + x^15 + x^4 + x^3 + x + 1, processed least significant bit first (the
 * reflected form of 8001801Bh is D8018001h); initial value 0, no final inversion; stored LSB first.
 */
const EDC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i;
    for (let k = 0; k < 8; k++) r = r & 1 ? (r >>> 1) ^ 0xd8018001 : r >>> 1;
    t[i] = r >>> 0;
  }
  return t;
})();

/** EDC of `bytes` (ECMA-130 14.3). */
export function cdEdc(bytes: Uint8Array): number {
  let edc = 0;
  for (let i = 0; i < bytes.length; i++) edc = (edc >>> 8) ^ EDC_TABLE[(edc ^ bytes[i]!) & 0xff]!;
  return edc >>> 0;
}

/** GF(2^8) with the field generator x^8 + x^4 + x^3 + x^2 + 1 (ECMA-130 Annex A). */
const GF_DOUBLE = new Uint8Array(256); // a·α
const GF_SOLVE = new Uint8Array(256); // b -> a with a·(α+1) = b
for (let a = 0; a < 256; a++) {
  const d = ((a << 1) ^ (a & 0x80 ? 0x11d : 0)) & 0xff;
  GF_DOUBLE[a] = d;
  GF_SOLVE[a ^ d] = a;
}

/**
 * One family of RS codewords over the 2340 bytes from the header on. Each codeword has `length`
 * data bytes at `start + k·step` (modulo `wrap`) and two parity bytes V(length), V(length+1)
 * chosen so that Σ V(k) = 0 and Σ α^(length+1-k)·V(k) = 0 (ECMA-130 Annex A check matrices H_P,
 * H_Q). Both the MSB and the LSB byte of each 16-bit word form codewords of their own.
 */
function parity(s: Uint8Array, codewords: number, length: number, majorStep: number, step: number, wrap: number, out: number): void {
  const base = MODE1.header;
  for (let cw = 0; cw < codewords; cw++) {
    let at = (cw >> 1) * majorStep + (cw & 1);
    let sum = 0; // Σ V(k)
    let weighted = 0; // Σ α^(length-k)·V(k) by Horner's rule
    for (let k = 0; k < length; k++) {
      const v = s[base + at]!;
      sum ^= v;
      weighted = GF_DOUBLE[weighted ^ v]!;
      at += step;
      if (at >= wrap) at -= wrap;
    }
    // With V(length) = a, V(length+1) = b: a ^ b = sum, α·(weighted ^ a) ^ b = 0 in the second check.
    const a = GF_SOLVE[GF_DOUBLE[weighted]! ^ sum]!;
    s[base + out + cw] = a;
    s[base + out + codewords + cw] = a ^ sum;
  }
}

/** Writes P then Q parity of a sector whose header, data, EDC and zero bytes are in place. */
export function cdMode1Ecc(sector: Uint8Array): void {
  // P: 86 columns (43 words × 2 bytes) of 24 bytes, one row = 86 bytes.
  parity(sector, 86, 24, 2, 86, 86 * 24, MODE1.pParity - MODE1.header);
  // Q: 52 diagonals (26 words × 2 bytes) of 43 bytes over header..P parity, stepping 44 words.
  parity(sector, 52, 43, 86, 88, 52 * 43, MODE1.qParity - MODE1.header);
}

/** The 4-byte header of the sector at `lba`: absolute MSF (LBA + 150) in BCD and the mode. */
export function cdHeader(lba: number, mode: number): Uint8Array {
  const msf = lbaToMsf(lba);
  return Uint8Array.of(toBcd(msf.minute), toBcd(msf.second), toBcd(msf.frame), mode);
}

/** The complete 2352-byte Mode 1 sector holding `userData` (2048 bytes) at `lba`. */
export function cdMode1Sector(lba: number, userData: Uint8Array, out: Uint8Array = new Uint8Array(CD_RAW_SECTOR)): Uint8Array {
  if (userData.length !== 2048) throw new RangeError(`Mode 1 user data is 2048 bytes, got ${userData.length}`);
  out.set(SYNC_PATTERN, 0);
  out.set(cdHeader(lba, 1), MODE1.header);
  out.set(userData, MODE1.userData);
  const edc = cdEdc(out.subarray(0, MODE1.edc));
  out[MODE1.edc] = edc & 0xff;
  out[MODE1.edc + 1] = (edc >>> 8) & 0xff;
  out[MODE1.edc + 2] = (edc >>> 16) & 0xff;
  out[MODE1.edc + 3] = edc >>> 24;
  out.fill(0, MODE1.zero, MODE1.pParity);
  cdMode1Ecc(out);
  return out;
}
