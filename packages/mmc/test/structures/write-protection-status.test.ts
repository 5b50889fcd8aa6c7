import { describe, expect, it } from "vitest";
import { BD_STRUCTURE_FORMAT, DVD_STRUCTURE_FORMAT } from "../../src/cdb/index.js";
import { isWriteProtected, WRITE_PROTECTION_STATUS_FORMAT, writeProtectionStatusCodec } from "../../src/structures/index.js";
import { checkGolden, expectMalformed, hex } from "./golden.js";

const STRUCTURE = "READ DISC STRUCTURE C0h (write protection status)";

describe("READ DISC STRUCTURE C0h write protection status (MMC-6 6.23)", () => {
  it("is the format code both media types name", () => {
    expect(WRITE_PROTECTION_STATUS_FORMAT).toBe(0xc0);
    expect(DVD_STRUCTURE_FORMAT.writeProtectionStatus).toBe(WRITE_PROTECTION_STATUS_FORMAT);
    expect(BD_STRUCTURE_FORMAT.writeProtectionStatus).toBe(WRITE_PROTECTION_STATUS_FORMAT);
  });

  it("no protection", () => {
    const status = { mswi: false, cwp: false, pwp: false, swpp: false };
    checkGolden(writeProtectionStatusCodec, "00 06 00 00  # data length 6, reserved\n 00  # no bit set\n 00 00 00  # reserved", status);
    expect(isWriteProtected(status)).toBe(false);
  });

  it("each bit in its place", () => {
    const cases: Array<[string, { mswi: boolean; cwp: boolean; pwp: boolean; swpp: boolean }]> = [
      ["08", { mswi: true, cwp: false, pwp: false, swpp: false }], // bit 3 MSWI
      ["04", { mswi: false, cwp: true, pwp: false, swpp: false }], // bit 2 CWP
      ["02", { mswi: false, cwp: false, pwp: true, swpp: false }], // bit 1 PWP
      ["01", { mswi: false, cwp: false, pwp: false, swpp: true }], // bit 0 SWPP
      ["0f", { mswi: true, cwp: true, pwp: true, swpp: true }],
    ];
    for (const [byte, status] of cases) {
      checkGolden(writeProtectionStatusCodec, `00 06 00 00  ${byte}  00 00 00`, status);
      expect(isWriteProtected(status)).toBe(true);
    }
  });

  it("ignores reserved bits and bytes, and drive padding past the length", () => {
    expect(writeProtectionStatusCodec.decode(hex("00 06 00 00  f2  ff ff ff  ee ee"))).toEqual({ mswi: false, cwp: false, pwp: true, swpp: false });
  });

  it("a reply cut after the status byte still decodes, marked truncated", () => {
    expect(writeProtectionStatusCodec.decode(hex("00 06 00 00  04"))).toEqual({
      mswi: false, cwp: true, pwp: false, swpp: false,
      truncated: { declaredLength: 8, availableLength: 5 },
    });
  });

  it("refuses replies without the status byte", () => {
    expectMalformed(() => writeProtectionStatusCodec.decode(hex("00 06 00 00")), STRUCTURE);
    expectMalformed(() => writeProtectionStatusCodec.decode(hex("00 02 00 00  01")), STRUCTURE);
    expectMalformed(() => writeProtectionStatusCodec.decode(hex("00")), STRUCTURE);
  });
});
