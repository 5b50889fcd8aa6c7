import { InvalidArgumentError } from "@discforge/errors";
import { describe, expect, it } from "vitest";
import { bit, bits, flag, uint } from "../../src/structures/codec.js";
import * as featureHelpers from "../../src/features/codec-util.js";

describe("shared codec helpers (src/structures/codec.ts)", () => {
  it("uint accepts every width up to 32 bits at its maximum and refuses one more", () => {
    for (let width = 1; width <= 32; width++) {
      const max = 2 ** width - 1;
      expect(uint("field", max, width)).toBe(max);
      expect(() => uint("field", max + 1, width)).toThrow(InvalidArgumentError);
    }
    // 31 bits: 1 << 31 is negative in 32-bit arithmetic; the maximum must still be 7FFFFFFFh.
    expect(uint("field", 0x7fff_ffff, 31)).toBe(0x7fff_ffff);
    expect(() => uint("field", -1, 8)).toThrow(InvalidArgumentError);
    expect(() => uint("field", 1.5, 8)).toThrow(InvalidArgumentError);
  });

  it("bit, bits and flag read and write the bit they name", () => {
    expect(bit(0b0000_1000, 3)).toBe(true);
    expect(bit(0b0000_1000, 2)).toBe(false);
    expect(bits(0b1011_0110, 5, 2)).toBe(0b1101);
    expect(flag(true, 7) | flag(false, 0) | flag(undefined, 1)).toBe(0x80);
  });

  it("the identification codecs use the same helpers, not copies", () => {
    expect(featureHelpers.uint).toBe(uint);
    expect(featureHelpers.bit).toBe(bit);
    expect(featureHelpers.bits).toBe(bits);
    expect(featureHelpers.flag).toBe(flag);
  });
});
