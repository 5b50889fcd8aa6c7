import { toHex } from "@discforge/bytes";
import { InvalidArgumentError } from "@discforge/errors";
import { describe, expect, it } from "vitest";
import {
  bufferCapacityBlocksCodec,
  bufferCapacityBytesCodec,
  CAPACITY_DESCRIPTOR_TYPE,
  formatCapacitiesCodec,
  formatSpeed,
  formatTypeName,
  formatUnitParametersCodec,
  FORMAT_TYPES,
  kbpsToX,
  ONE_X_KBPS,
  performanceCodec,
  readCapacityCodec,
  streamingDescriptorForSpeed,
  streamingPerformanceDescriptorCodec,
  writeSpeedPerformanceCodec,
  xToKbps,
} from "../../src/structures/index.js";
import { checkGolden, expectMalformed, hex } from "./golden.js";

describe("READ FORMAT CAPACITIES (MMC-6 6.24.3)", () => {
  it("unformatted DVD+RW offering the basic format", () => {
    checkGolden(
      formatCapacitiesCodec,
      `
      00 00 00     # reserved
      10           # capacity list length 16
      00 23 05 40  # current/maximum: 2295104 blocks
      01           # descriptor type 01b: unformatted
      00 08 00     # block length 2048
      00 23 05 40  # formattable: 2295104 blocks
      98           # format type 26h (DVD+RW basic format)
      00 00 00     # type-dependent parameter
      `,
      {
        current: { numberOfBlocks: 2295104, descriptorType: CAPACITY_DESCRIPTOR_TYPE.unformatted, blockLength: 2048 },
        formattable: [{ numberOfBlocks: 2295104, formatType: 0x26, typeDependentParameter: 0 }],
      },
    );
  });

  it("no medium; cut short; impossible list length", () => {
    const noMedia = formatCapacitiesCodec.decode(hex("00 00 00 08 00 00 00 00 03 00 08 00"));
    expect(noMedia.current.descriptorType).toBe(CAPACITY_DESCRIPTOR_TYPE.noMedia);
    const full = formatCapacitiesCodec.encode({
      current: { numberOfBlocks: 1, descriptorType: 2, blockLength: 2048 },
      formattable: [
        { numberOfBlocks: 1, formatType: 0x00, typeDependentParameter: 2048 },
        { numberOfBlocks: 2, formatType: 0x30, typeDependentParameter: 0x3000 },
      ],
    });
    const cut = formatCapacitiesCodec.decode(full.subarray(0, 24));
    expect(cut.formattable).toHaveLength(1);
    expect(cut.truncated).toEqual({ declaredLength: 28, availableLength: 24 });
    expectMalformed(() => formatCapacitiesCodec.decode(hex("00 00 00 00")), "READ FORMAT CAPACITIES response");
    expectMalformed(() => formatCapacitiesCodec.decode(hex("00 00 00 10 00 00")));
  });
});

describe("FORMAT UNIT parameter list (MMC-6 6.5.3)", () => {
  it("DVD+RW basic format, FOV + IMMED", () => {
    checkGolden(
      formatUnitParametersCodec,
      `
      00           # reserved
      82           # FOV, IMMED
      00 08        # format descriptor length 8
      ff ff ff ff  # number of blocks: all
      98           # format type 26h, sub-type 0
      00 00 00     # type-dependent parameter
      `,
      { fov: true, dpry: false, dcrt: false, stpf: false, tryOut: false, immed: true, vs: false, descriptor: { numberOfBlocks: 0xffffffff, formatType: 0x26, formatSubType: 0, typeDependentParameter: 0 } },
    );
  });

  it("BD-R SRM+POW (type 32h sub-type 00b) and BD-RE quick certification (30h/11b)", () => {
    checkGolden(
      formatUnitParametersCodec,
      "00 00 00 08  00 00 00 00  c8  00 30 00  # 32h/00b, spare 12288",
      { fov: false, dpry: false, dcrt: false, stpf: false, tryOut: false, immed: false, vs: false, descriptor: { numberOfBlocks: 0, formatType: 0x32, formatSubType: 0, typeDependentParameter: 0x3000 } },
    );
    const bd = formatUnitParametersCodec.encode({
      fov: true, dpry: false, dcrt: true, stpf: false, tryOut: false, immed: true, vs: false,
      descriptor: { numberOfBlocks: 11826176, formatType: 0x30, formatSubType: 3, typeDependentParameter: 0 },
    });
    expect(toHex(bd)).toBe("00a2000800b47400c3000000"); // FOV DCRT IMMED, 11826176 blocks, 30h/11b
  });

  it("initialization pattern descriptor is kept raw; bad descriptor length is malformed", () => {
    const withPattern = hex("00 88 00 08  00 01 00 02 ab cd  00 00 10 00 00 00 08 00");
    const v = formatUnitParametersCodec.decode(withPattern);
    expect(toHex(v.initializationPattern!)).toBe("00010002abcd");
    expect(v.descriptor.numberOfBlocks).toBe(0x1000);
    expect(formatUnitParametersCodec.encode(v)).toEqual(withPattern);
    expectMalformed(() => formatUnitParametersCodec.decode(hex("00 00 00 10 00 00 00 00 00 00 00 00")), "FORMAT UNIT parameter list");
    expectMalformed(() => formatUnitParametersCodec.decode(hex("00 00 00 08 00 00 00 00")));
  });

  it("format type names as data", () => {
    expect(formatTypeName(0x26)).toBe("DVD+RW Basic Format");
    expect(formatTypeName(0x31)).toBe("BD-RE Full Format without Spare Areas");
    expect(formatTypeName(0x3f)).toBe("format type 3Fh");
    expect(new Set(FORMAT_TYPES.map((t) => t.code)).size).toBe(FORMAT_TYPES.length);
  });
});

describe("READ BUFFER CAPACITY (MMC-6 6.20.3) and READ CAPACITY", () => {
  it("byte form", () => {
    checkGolden(
      bufferCapacityBytesCodec,
      `
      00 0a 00 00  # data length 10, reserved
      00 20 00 00  # length of buffer 2 MiB
      00 1f 00 00  # blank length 1984 KiB
      `,
      { lengthOfBuffer: 0x200000, blankLengthOfBuffer: 0x1f0000 },
    );
  });

  it("block form needs the BLOCK bit", () => {
    checkGolden(
      bufferCapacityBlocksCodec,
      `
      00 0a        # data length 10
      00 01        # reserved, BLOCK
      00 00 00 00  # reserved
      00 00 03 e0  # available length 992 blocks
      `,
      { availableLengthOfBuffer: 992 },
    );
    expectMalformed(() => bufferCapacityBlocksCodec.decode(hex("00 0a 00 00 00 00 00 00 00 00 03 e0")), "READ BUFFER CAPACITY response (BLOCK=1)");
  });

  it("READ CAPACITY (10)", () => {
    checkGolden(readCapacityCodec, "00 23 05 3f  # last LBA 2295103\n 00 00 08 00  # block length 2048", { lastLogicalBlockAddress: 2295103, blockLength: 2048 });
    expectMalformed(() => readCapacityCodec.decode(hex("00 23 05 3f 00 00 08")), "READ CAPACITY (10) response");
  });
});

describe("GET PERFORMANCE (MMC-6 6.8.3)", () => {
  it("type 00h nominal performance", () => {
    checkGolden(
      performanceCodec,
      `
      00 00 00 14  # performance data length 20
      02 00 00 00  # Write, Except 0
      00 00 00 00  # start LBA 0
      00 00 15 a4  # start performance 5540 kB/s
      00 23 05 3f  # end LBA
      00 00 56 90  # end performance 22160 kB/s
      `,
      { write: true, except: false, descriptors: [{ startLba: 0, startPerformance: 5540, endLba: 2295103, endPerformance: 22160 }] },
    );
  });

  it("type 00h exceptions", () => {
    checkGolden(
      performanceCodec,
      `
      00 00 00 10  # performance data length 16
      01 00 00 00  # Write 0, Except 1
      00 00 10 00 00 64  # LBA 4096, 10 ms
      00 00 20 00 00 c8  # LBA 8192, 20 ms
      `,
      { write: false, except: true, descriptors: [{ lba: 4096, time: 100 }, { lba: 8192, time: 200 }] },
    );
  });

  it("type 03h write speed descriptors", () => {
    checkGolden(
      writeSpeedPerformanceCodec,
      `
      00 00 00 24  # performance data length 36
      00 00 00 00  # reserved
      02 00 00 00  # WRC 0, RDD 0, Exact, MRW 0
      00 23 05 3f  # end LBA
      00 00 56 90  # read speed 22160
      00 00 56 90  # write speed 22160
      0a 00 00 00  # WRC 01b (CAV), Exact
      00 23 05 3f  # end LBA
      00 00 56 90  # read speed 22160
      00 00 2b 48  # write speed 11080
      `,
      {
        descriptors: [
          { wrc: 0, rdd: false, exact: true, mrw: false, endLba: 2295103, readSpeed: 22160, writeSpeed: 22160 },
          { wrc: 1, rdd: false, exact: true, mrw: false, endLba: 2295103, readSpeed: 22160, writeSpeed: 11080 },
        ],
      },
    );
    const d = { wrc: 0, rdd: false, exact: false, mrw: false, endLba: 1, readSpeed: 2, writeSpeed: 3 };
    const cut = writeSpeedPerformanceCodec.decode(writeSpeedPerformanceCodec.encode({ descriptors: [d, d] }).subarray(0, 30));
    expect(cut).toEqual({ descriptors: [d], truncated: { declaredLength: 40, availableLength: 30 } });
    expectMalformed(() => writeSpeedPerformanceCodec.decode(hex("00 00 00 24 00 00")), "GET PERFORMANCE response (type 03h, write speed)");
  });

  it("speed conversions, kB = 1000 bytes", () => {
    expect(ONE_X_KBPS).toEqual({ cd: 176.4, dvd: 1385, bd: 4495.5 });
    expect(kbpsToX(8467, "cd")).toBe(48);
    expect(kbpsToX(7056, "cd")).toBe(40);
    expect(kbpsToX(22160, "dvd")).toBe(16);
    expect(kbpsToX(3324, "dvd")).toBe(2.4);
    expect(kbpsToX(17980, "bd")).toBe(4);
    expect(xToKbps(16, "dvd")).toBe(22160);
    expect(xToKbps(48, "cd")).toBe(8468);
    expect(xToKbps(1, "cd")).toBe(177);
    expect(xToKbps(2, "bd")).toBe(8991);
    expect(formatSpeed(22160, "dvd")).toBe("16x (22160 kB/s)");
    expect(() => kbpsToX(-1, "cd")).toThrow(InvalidArgumentError);
  });
});

describe("SET STREAMING performance descriptor (MMC-6 6.39.3.1)", () => {
  it("8x DVD write request", () => {
    checkGolden(
      streamingPerformanceDescriptorCodec,
      `
      00 00 00 00  # WRC 0, RDD 0, Exact 0, RA 0, reserved
      00 00 00 00  # start LBA 0
      00 23 05 3f  # end LBA 2295103
      00 00 56 90  # read size 22160 kB
      00 00 03 e8  # read time 1000 ms
      00 00 2b 48  # write size 11080 kB
      00 00 03 e8  # write time 1000 ms
      `,
      streamingDescriptorForSpeed(0, 2295103, 22160, 11080),
    );
    expect(streamingPerformanceDescriptorCodec.encode({ ...streamingDescriptorForSpeed(0, 1, 1, 1, { exact: true, cav: true }), rdd: true, ra: true })[0]).toBe(0x0f);
    expectMalformed(() => streamingPerformanceDescriptorCodec.decode(new Uint8Array(27)), "SET STREAMING performance descriptor");
  });
});
