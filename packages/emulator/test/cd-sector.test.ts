/**
 * Raw Mode 1 sectors checked against a second, deliberately naive implementation written from
 * ECMA-130 directly: bit-serial EDC division by the polynomial's listed terms, and the P/Q parity
 * solved from the Annex A check matrices with word-indexed vectors and log/antilog arithmetic.
 */
import { describe, expect, it } from "vitest";
import { toHex } from "@discforge/bytes";
import { CD_RAW_SECTOR, MODE1, cdEdc, cdMode1Sector } from "../src/cd/sector.js";

// ---- Reference implementation -----------------------------------------------------------------

/** x^32 + x^31 + x^16 + x^15 + x^4 + x^3 + x + 1, bit i of the mask = coefficient of x^(31-i) when shifting LSB first. */
const EDC_TERMS = [31, 16, 15, 4, 3, 1, 0];
function refEdc(bytes: Uint8Array): number {
  // LSB-first shift register: the coefficient of x^k sits in bit (31 - k) of the reflected register.
  let reflectedPoly = 0;
  for (const k of EDC_TERMS) reflectedPoly |= 1 << (31 - k);
  let reg = 0;
  for (const byte of bytes) {
    for (let bit = 0; bit < 8; bit++) {
      const inBit = (byte >> bit) & 1;
      const out = (reg ^ inBit) & 1;
      reg >>>= 1;
      if (out) reg ^= reflectedPoly;
    }
  }
  return reg >>> 0;
}

const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d; // x^8 + x^4 + x^3 + x^2 + 1
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255]!;
}
const mul = (a: number, b: number) => (a === 0 || b === 0 ? 0 : EXP[LOG[a]! + LOG[b]!]!);
const div = (a: number, b: number) => (a === 0 ? 0 : EXP[LOG[a]! + 255 - LOG[b]!]!);
const alphaPow = (n: number) => EXP[n % 255]!;

/** Parity bytes (V[n], V[n+1]) making Σ V = 0 and Σ α^(n+1-k) V(k) = 0. */
function solve(data: number[]): [number, number] {
  const n = data.length;
  let s0 = 0;
  let s1 = 0;
  data.forEach((v, k) => {
    s0 ^= v;
    s1 ^= mul(alphaPow(n + 1 - k), v);
  });
  // a + b = s0, α·a + b = s1  →  a = (s0 + s1)/(α + 1)
  const a = div(s0 ^ s1, 1 ^ 2);
  return [a, a ^ s0];
}

/** ECMA-130 Annex A with the 2340 bytes from the header seen as 1170 words, MSB and LSB planes. */
function refSector(lba: number, user: Uint8Array): Uint8Array {
  const s = new Uint8Array(CD_RAW_SECTOR);
  s.set([0x00, ...new Array<number>(10).fill(0xff), 0x00], 0);
  const abs = lba + 150;
  const bcd = (n: number) => Math.floor(n / 10) * 16 + (n % 10);
  s.set([bcd(Math.floor(abs / 4500)), bcd(Math.floor(abs / 75) % 60), bcd(abs % 75), 1], 12);
  s.set(user, 16);
  const edc = refEdc(s.subarray(0, 2064));
  new DataView(s.buffer).setUint32(2064, edc, true);
  const byteOf = (word: number, plane: number) => 12 + 2 * word + plane;
  for (let plane = 0; plane < 2; plane++) {
    // P vectors: N_p = 0..42, elements M_p = 0..23 at word 43·M_p + N_p; parity words 1032 + N_p, 1075 + N_p.
    for (let np = 0; np < 43; np++) {
      const data = Array.from({ length: 24 }, (_, mp) => s[byteOf(43 * mp + np, plane)]!);
      const [a, b] = solve(data);
      s[byteOf(43 * 24 + np, plane)] = a;
      s[byteOf(43 * 25 + np, plane)] = b;
    }
    // Q vectors: N_q = 0..25, elements M_q = 0..42 at word (44·M_q + 43·N_q) mod 1118; parity 1118 + N_q, 1144 + N_q.
    for (let nq = 0; nq < 26; nq++) {
      const data = Array.from({ length: 43 }, (_, mq) => s[byteOf((44 * mq + 43 * nq) % 1118, plane)]!);
      const [a, b] = solve(data);
      s[byteOf(1118 + nq, plane)] = a;
      s[byteOf(1144 + nq, plane)] = b;
    }
  }
  return s;
}

function pseudoRandom(seed: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

// ---- Tests ----------------------------------------------------------------------------------------

describe("ECMA-130 Mode 1 sector", () => {
  it("the all-zero block at LBA 0 (MSF 00:02:00): sync, header, EDC and parity as the reference computes them", () => {
    const s = cdMode1Sector(0, new Uint8Array(2048));
    expect(toHex(s.subarray(0, 16))).toBe(
      "00ffffffffffffffffffff00" + // sync
        "000200" + // header MSF 00:02:00 (BCD)
        "01", // mode 1
    );
    expect(toHex(s.subarray(MODE1.zero, MODE1.pParity))).toBe("0000000000000000");
    expect(toHex(s)).toBe(toHex(refSector(0, new Uint8Array(2048))));
    // The zero block still has a non-zero EDC: the sync and header are covered.
    expect(cdEdc(s.subarray(0, MODE1.edc))).not.toBe(0);
  });

  it("random blocks at several addresses match the reference byte for byte", () => {
    for (const [i, lba] of [16, 1234, 75 * 60 * 10 + 37, 359_846].entries()) {
      const user = pseudoRandom(i + 7, 2048);
      expect(toHex(cdMode1Sector(lba, user))).toBe(toHex(refSector(lba, user)));
    }
  });

  it("EDC is the CRC of its coverage: dividing sync+header+data+EDC leaves no remainder", () => {
    const s = cdMode1Sector(500, pseudoRandom(3, 2048));
    expect(refEdc(s.subarray(0, MODE1.zero))).toBe(0);
    expect(cdEdc(pseudoRandom(9, 100))).toBe(refEdc(pseudoRandom(9, 100)));
  });

  it("a flipped data byte breaks the EDC and the P and Q checks", () => {
    const good = cdMode1Sector(42, pseudoRandom(5, 2048));
    const bad = good.slice();
    bad[MODE1.userData + 100]! ^= 0x10;
    expect(toHex(refSector(42, bad.subarray(16, 2064)).subarray(MODE1.edc))).not.toBe(toHex(bad.subarray(MODE1.edc)));
  });

  it("refuses user data of the wrong size", () => {
    expect(() => cdMode1Sector(0, new Uint8Array(2047))).toThrow(RangeError);
  });
});
