import { toHex } from "@discforge/bytes";
import { InvalidArgumentError } from "@discforge/errors";
import { describe, expect, it } from "vitest";
import {
  decodeModePage,
  encodeModePage,
  encodeModeSelectParameterList,
  errorRecoveryPageCodec,
  findModePage,
  modePageBytes,
  modePageName,
  modeParameterList10Codec,
  modeParameterList6Codec,
  MODE_PAGES,
  rawModePage,
  type ModeParameterList,
} from "../../src/structures/index.js";
import { checkGolden, expectMalformed, hex } from "./golden.js";

const page01 = hex(`
  01 0a        # page code 01h, page length 10
  80           # AWRE
  10           # read retry count 16
  00 00 00     # obsolete
  00           # EMCDR 0
  08           # write retry count 8
  00           # reserved
  00 00        # recovery time limit
`);

const sense10 = `
  00 1a        # mode data length 26 (28 bytes total)
  00           # medium type
  80           # device-specific parameter: WP
  00 00        # LONGLBA 0, reserved
  00 08        # block descriptor length 8
  00 000000 00 000800  # density 0, 0 blocks, reserved, block length 2048
  01 0a 80 10 00 00 00 00 08 00 00 00  # page 01h
`;

const senseValue: ModeParameterList = {
  mediumType: 0,
  writeProtected: true,
  deviceSpecificParameter: 0,
  longLba: false,
  blockDescriptors: [{ densityCode: 0, numberOfBlocks: 0, blockLength: 2048 }],
  pages: [{ ps: false, spf: false, pageCode: 1, subpageCode: 0, parameters: page01.slice(2) }],
};

describe("mode parameter lists (SPC-4 7.5.4-7.5.7)", () => {
  it("MODE SENSE (10) with a block descriptor and page 01h, both ways", () => {
    checkGolden(modeParameterList10Codec, sense10, senseValue);
  });

  it("MODE SENSE (6) header, no block descriptors, two pages including a sub-page page", () => {
    checkGolden(
      modeParameterList6Codec,
      `
      15           # mode data length 21 (22 bytes)
      00 00        # medium type, device-specific
      00           # block descriptor length 0
      81 0a 80 10 00 00 00 00 08 00 00 00  # page 01h with PS
      4a 01 00 02 aa bb                    # page 0Ah sub-page 01h (SPF), length 2
      `,
      {
        mediumType: 0,
        writeProtected: false,
        deviceSpecificParameter: 0,
        longLba: false,
        blockDescriptors: [],
        pages: [
          { ps: true, spf: false, pageCode: 1, subpageCode: 0, parameters: page01.slice(2) },
          { ps: false, spf: true, pageCode: 0x0a, subpageCode: 1, parameters: hex("aa bb") },
        ],
      },
    );
  });

  it("long LBA block descriptors in the (10) header", () => {
    checkGolden(
      modeParameterList10Codec,
      `
      00 16        # mode data length 22 (24 bytes)
      00 00        # medium type, device-specific
      01 00        # LONGLBA
      00 10        # block descriptor length 16
      00 00 00 01 00 00 00 00  # number of blocks 2^32
      05 000000    # density 5, reserved
      00 00 08 00  # block length 2048
      `,
      {
        mediumType: 0,
        writeProtected: false,
        deviceSpecificParameter: 0,
        longLba: true,
        blockDescriptors: [{ densityCode: 5, numberOfBlocks: 2 ** 32, blockLength: 2048 }],
        pages: [],
      },
    );
  });

  it("MODE SELECT form zeroes the mode data length and PS bits", () => {
    const value = { ...senseValue, pages: [{ ...senseValue.pages[0]!, ps: true }] };
    expect(toHex(encodeModeSelectParameterList(value, 10))).toBe(toHex(hex(sense10)).replace(/^001a/, "0000"));
    expect(toHex(encodeModeSelectParameterList({ ...senseValue, blockDescriptors: [] }, 6))).toBe(
      toHex(hex(`
        00 00 80 00                          # length reserved (0), medium type, WP, no block descriptors
        01 0a 80 10 00 00 00 00 08 00 00 00  # page 01h, PS clear
      `)),
    );
  });

  it("a response cut by the allocation length keeps the partial page and says so", () => {
    const full = hex(sense10);
    const cut = modeParameterList10Codec.decode(full.subarray(0, 20));
    expect(cut.truncated).toEqual({ declaredLength: 28, availableLength: 20 });
    expect(cut.pages).toHaveLength(1);
    expect(cut.pages[0]!.truncated).toEqual({ declaredLength: 12, availableLength: 4 });
    expect(toHex(cut.pages[0]!.parameters)).toBe("8010");
    // the page header reports its declared length so the page codec sees a truncated page
    const page = errorRecoveryPageCodec.decode(modePageBytes({ ...cut.pages[0]!, parameters: page01.slice(2, 8) }));
    expect(page.truncated).toEqual({ declaredLength: 12, availableLength: 8 });
    expect(page.writeRetryCount).toBeUndefined();
  });

  it("rejects headers and block descriptor lengths that cannot be", () => {
    expectMalformed(() => modeParameterList10Codec.decode(hex("00")), "mode parameter list (10)");
    expectMalformed(() => modeParameterList10Codec.decode(hex("00 05 00 00 00 00 00 00")), "mode parameter list (10)");
    expectMalformed(() => modeParameterList10Codec.decode(hex("00 0a 00 00 00 00 00 03 00 00 00 00")), "mode parameter list (10)");
    expectMalformed(() => modeParameterList6Codec.decode(hex("02 00 00")), "mode parameter list (6)");
  });

  it("page helpers: find, re-frame, encode, names from the table", () => {
    const list = modeParameterList10Codec.decode(hex(sense10));
    const p = findModePage(list, 1);
    expect(p).toBeDefined();
    expect(toHex(modePageBytes(p!))).toBe(toHex(page01));
    expect(rawModePage(page01)).toEqual(p);
    expect(toHex(encodeModePage(p!))).toBe(toHex(page01));
    expect(() => rawModePage(page01.subarray(0, 5))).toThrow(InvalidArgumentError);
    expect(modePageName(0x2a)).toBe("MM Capabilities and Mechanical Status");
    expect(modePageName(0x0a, 1)).toBe("Control Extension");
    expect(modePageName(0x33)).toBe("page 33h");
    expect(MODE_PAGES.find((x) => x.pageCode === 0x05)?.length).toBe(0x32);
  });

  it("encoder rejects out-of-range fields and LONGLBA on the (6) form", () => {
    expect(() => modeParameterList6Codec.encode({ ...senseValue, longLba: true })).toThrow(InvalidArgumentError);
    expect(() => modeParameterList10Codec.encode({ ...senseValue, mediumType: 256 })).toThrow(InvalidArgumentError);
    expect(() =>
      modeParameterList10Codec.encode({ ...senseValue, blockDescriptors: [{ densityCode: 0, numberOfBlocks: 1 << 24, blockLength: 2048 }] }),
    ).toThrow(InvalidArgumentError);
  });
});

describe("typed view of a page list", () => {
  it("decodes known pages, keeps unknown and broken ones raw with the reason", () => {
    const list = modeParameterList10Codec.decode(hex(sense10));
    const decoded = decodeModePage(list.pages[0]!);
    expect(decoded.kind).toBe("errorRecovery");
    expect(decoded.kind === "errorRecovery" && decoded.page.writeRetryCount).toBe(8);
    const unknown = { ps: false, spf: false, pageCode: 0x0e, subpageCode: 0, parameters: new Uint8Array(14) };
    expect(decodeModePage(unknown)).toEqual({ kind: "raw", page: unknown });
    const broken = { ps: false, spf: false, pageCode: 0x05, subpageCode: 0, parameters: new Uint8Array(10) };
    const result = decodeModePage(broken);
    expect(result.kind).toBe("raw");
    expect(result.kind === "raw" && result.error?.structure).toBe("mode page 05h (Write Parameters)");
  });
});

describe("inconsistent lengths", () => {
  it("block descriptors past the mode data, or a page header split in complete data, are malformed", () => {
    expectMalformed(() => modeParameterList10Codec.decode(hex("00 0e 00 00 00 00 00 10 00 00 00 00 00 00 08 00")), "mode parameter list (10)");
    // mode data length covers one byte of a second page header: not a cut, a broken list
    expectMalformed(() => modeParameterList6Codec.decode(hex("0a 00 00 00  01 04 00 00 00 00  05")), "mode page list");
    // the same byte cut by the allocation length is simply left out
    const cut = modeParameterList6Codec.decode(hex("0b 00 00 00  01 04 00 00 00 00  05"));
    expect(cut.pages).toHaveLength(1);
    expect(cut.truncated).toEqual({ declaredLength: 12, availableLength: 11 });
  });
});
