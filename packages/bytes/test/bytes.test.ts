import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { MalformedDataError, InvalidArgumentError } from "@discforge/errors";
import * as b from "../src/index.js";

describe("endian integers", () => {
  it("writes golden big/little-endian bytes", () => {
    const buf = new Uint8Array(8);
    b.writeU16BE(buf, 0, 0x1234);
    b.writeU16LE(buf, 2, 0x1234);
    b.writeU24BE(buf, 4, 0xabcdef);
    expect(b.toHex(buf)).toBe("12343412abcdef00");
    const w = new Uint8Array(16);
    b.writeU32BE(w, 0, 0xdeadbeef);
    b.writeU32LE(w, 4, 0xdeadbeef);
    b.writeU64BE(w, 8, 2 ** 40 + 5);
    expect(b.toHex(w)).toBe("deadbeefefbeadde0000010000000005");
    expect(b.readU32BE(w, 0)).toBe(0xdeadbeef);
    expect(b.readU32LE(w, 4)).toBe(0xdeadbeef);
    expect(b.readU64BE(w, 8)).toBe(2 ** 40 + 5);
    expect(b.readU24LE(new Uint8Array([1, 2, 3]), 0)).toBe(0x030201);
  });

  it("reads signed 32-bit values", () => {
    const buf = new Uint8Array(4);
    b.writeI32BE(buf, 0, -150);
    expect(b.toHex(buf)).toBe("ffffff6a");
    expect(b.readI32BE(buf, 0)).toBe(-150);
  });

  it("round-trips every width for random values", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (v32, v64) => {
        const buf = new Uint8Array(8);
        b.writeU32LE(buf, 0, v32);
        expect(b.readU32LE(buf, 0)).toBe(v32);
        b.writeU32BE(buf, 4, v32);
        expect(b.readU32BE(buf, 4)).toBe(v32);
        b.writeU64LEBig(buf, 0, v64);
        expect(b.readU64LEBig(buf, 0)).toBe(v64);
        b.writeU64BEBig(buf, 0, v64);
        expect(b.readU64BEBig(buf, 0)).toBe(v64);
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses out-of-range values and short buffers with typed errors", () => {
    const buf = new Uint8Array(3);
    expect(() => b.writeU16BE(buf, 0, 0x10000)).toThrow(InvalidArgumentError);
    expect(() => b.writeU8(buf, 0, -1)).toThrow(InvalidArgumentError);
    expect(() => b.writeU32BE(buf, 0, 1)).toThrow(InvalidArgumentError);
    expect(() => b.readU32BE(buf, 0)).toThrow(MalformedDataError);
    expect(() => b.readU16LE(buf, 2)).toThrow(MalformedDataError);
    expect(() => b.readU64BE(new Uint8Array(8).fill(0xff), 0)).toThrow(MalformedDataError);
  });
});

describe("ISO 9660 both-endian fields (ECMA-119 7.2.3, 7.3.3)", () => {
  it("writes LE then BE", () => {
    const buf = new Uint8Array(12);
    b.writeBoth16(buf, 0, 0x0800);
    b.writeBoth32(buf, 4, 0x12345678);
    expect(b.toHex(buf)).toBe("0008080078563412" + "12345678");
    b.writeBoth32(buf, 4, 0xfedcba98);
    b.writeBoth16(buf, 0, 0xffff);
    expect(b.toHex(buf)).toBe("ffffffff98badcfe" + "fedcba98");
    expect(b.readBoth16(buf, 0)).toBe(0xffff);
    expect(b.readBoth32(buf, 4)).toBe(0xfedcba98);
  });
  it("refuses values and offsets that do not fit, writing nothing", () => {
    const buf = new Uint8Array(8);
    expect(() => b.writeBoth32(buf, 0, 2 ** 32)).toThrow(InvalidArgumentError);
    expect(() => b.writeBoth32(buf, 0, -1)).toThrow(InvalidArgumentError);
    expect(() => b.writeBoth32(buf, 1, 0)).toThrow(/overruns an? 8-byte buffer/);
    expect(() => b.writeBoth16(buf, 0, 0x10000)).toThrow(InvalidArgumentError);
    expect(() => b.writeBoth16(buf, 5, 0)).toThrow(/overruns/);
    expect([...buf]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });
  it("reports a mismatch as malformed data with the offset", () => {
    const buf = b.fromHex("00 08 08 01");
    try {
      b.readBoth16(buf, 0, "Logical Block Size");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MalformedDataError);
      expect((e as MalformedDataError).structure).toBe("Logical Block Size");
      expect((e as MalformedDataError).offset).toBe(0);
    }
    const r = new b.ByteReader(b.fromHex("ff ff 01 00 00 00 00 00 00 02"), "PVD", 100, 2);
    expect(() => r.both32()).toThrow(/PVD at offset 102: both-endian mismatch/);
  });
});

describe("padded strings", () => {
  it("pads with spaces and trims on read", () => {
    const buf = new Uint8Array(8);
    b.writePadded(buf, 0, 8, "ABC");
    expect(b.toHex(buf)).toBe("4142432020202020");
    expect(b.readPadded(buf, 0, 8)).toBe("ABC");
    expect(b.readPadded(b.fromHex("41 00 00"), 0, 3)).toBe("A");
  });
  it("refuses too-long and non-ASCII text", () => {
    expect(() => b.writePadded(new Uint8Array(2), 0, 2, "ABC")).toThrow(InvalidArgumentError);
    expect(() => b.writePadded(new Uint8Array(4), 0, 4, "é")).toThrow(InvalidArgumentError);
  });
  it("classifies d- and a-characters", () => {
    expect(b.isDChars("ABC_09")).toBe(true);
    expect(b.isDChars("abc")).toBe(false);
    expect(b.isAChars("HELLO WORLD!")).toBe(true);
    expect(b.isAChars("a")).toBe(false);
  });
  it("encodes UTF-16BE", () => {
    expect(b.toHex(b.encodeUtf16BE("Aé"))).toBe("004100e9");
    expect(b.decodeUtf16BE(b.fromHex("0041 00e9"))).toBe("Aé");
    expect(() => b.decodeUtf16BE(new Uint8Array(3))).toThrow(MalformedDataError);
  });
});

describe("BCD and MSF (MMC-6 LBA/MSF relation)", () => {
  it("converts BCD", () => {
    expect(b.toBcd(59)).toBe(0x59);
    expect(b.fromBcd(0x74)).toBe(74);
    expect(() => b.fromBcd(0x1a)).toThrow(MalformedDataError);
    expect(() => b.toBcd(100)).toThrow(InvalidArgumentError);
  });
  it("maps LBA 0 to 00:02:00 and the lead-in to negative LBAs", () => {
    expect(b.lbaToMsf(0)).toEqual({ minute: 0, second: 2, frame: 0 });
    expect(b.lbaToMsf(-150)).toEqual({ minute: 0, second: 0, frame: 0 });
    expect(b.lbaToMsf(359_847)).toEqual({ minute: 79, second: 59, frame: 72 });
    expect(b.msfToLba({ minute: 97, second: 26, frame: 0 })).toBe(-11_700);
    expect(b.formatMsf(b.lbaToMsf(404_849))).toBe("89:59:74");
    expect(() => b.lbaToMsf(404_850)).toThrow(InvalidArgumentError);
  });
  it("round-trips every addressable LBA sample", () => {
    fc.assert(
      fc.property(fc.integer({ min: -45_150, max: 404_849 }), (lba) => {
        expect(b.msfToLba(b.lbaToMsf(lba))).toBe(lba);
      }),
      { numRuns: 5000 },
    );
  });
});

describe("cursors", () => {
  it("reads fields in order and names the structure on overrun", () => {
    const r = new b.ByteReader(b.fromHex("01 0203 040506 0708090a"), "Test Structure", 1000);
    expect(r.u8()).toBe(1);
    expect(r.u16be()).toBe(0x0203);
    expect(r.u24be()).toBe(0x040506);
    expect(r.u32le()).toBe(0x0a090807);
    expect(r.remaining).toBe(0);
    expect(() => r.u8()).toThrow(/Test Structure at offset 1010: needs 1 byte/);
  });
  it("writes fields in order", () => {
    const w = new b.ByteWriter(12);
    w.u8(0x46).u16be(0x1234).u32le(1).padded(5, "AB");
    expect(b.toHex(w.bytes)).toBe("46123401000000414220202000".slice(0, 24));
    expect(w.offset).toBe(12);
  });
});

describe("hex and CRC", () => {
  it("parses hex with separators and comments", () => {
    expect(b.toHex(b.fromHex("12 34 # comment\n56:78"))).toBe("12345678");
    expect(() => b.fromHex("123")).toThrow(InvalidArgumentError);
  });
  it("dumps hex with offsets and ASCII", () => {
    expect(b.hexDump(b.fromHex("4142430a"), { baseOffset: 16 })).toBe("00000010  41 42 43 0a" + " ".repeat(36) + "  |ABC.|");
  });
  it("computes CRC-16/CCITT as ECMA-167 7.2.6 (check value of '123456789' with init 0 is 0x31C3)", () => {
    expect(b.crc16Ccitt(new TextEncoder().encode("123456789"))).toBe(0x31c3);
    expect(b.crc16Ccitt(new Uint8Array(0))).toBe(0);
  });
});
