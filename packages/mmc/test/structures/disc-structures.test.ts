import { toHex } from "@discforge/bytes";
import { describe, expect, it } from "vitest";
import {
  bdDiscInformationCodec,
  blankMediaSpecific,
  discStructureListCodec,
  DVD_BOOK_TYPE,
  dvdAdipInformationCodec,
  dvdCopyrightCodec,
  dvdManufacturingInformationCodec,
  dvdMinusManufacturerId,
  dvdPhysicalFormatCodec,
  dvdPreRecordedInformationCodec,
  dvdPreRecordedWithManufacturer,
  jumpIntervalSizeCodec,
  layerBoundaryInformationCodec,
  manualLayerJumpAddressCodec,
  mediaIdentifier,
  rawDiscStructureCodec,
  remappingAddressCodec,
  shiftedMiddleAreaStartAddressCodec,
  type BdDiscInformationUnit,
  type DvdAdipInformation,
} from "../../src/structures/index.js";
import { ascii, checkGolden, concat, expectMalformed, hex } from "./golden.js";

describe("DVD format 00h physical format information (MMC-6 6.23.3.2.1)", () => {
  const head = hex(`
    08 02 00 00  # data length 2050, reserved
    a1           # book type Ah (DVD+R), part version 1
    0f           # disc size 120 mm, maximum rate not specified
    02           # 1 layer, parallel track path, layer type: recordable
    10           # linear density 1, track density 0
    00 03 00 00  # starting PSN 030000h
    00 26 05 3f  # end PSN of data area
    00 00 00 00  # end PSN in layer 0
    00           # no BCA
  `);
  const value = {
    bookType: DVD_BOOK_TYPE.dvdPlusR,
    partVersion: 1,
    discSize: 0,
    maximumRate: 15,
    numberOfLayers: 1,
    oppositeTrackPath: false,
    layerType: 2,
    linearDensity: 1,
    trackDensity: 0,
    startingPhysicalSector: 0x030000,
    endPhysicalSector: 0x26053f,
    endPhysicalSectorInLayer0: 0,
    bca: false,
    mediaSpecific: blankMediaSpecific(),
  };

  it("single-layer DVD+R, full 2052-byte response", () => {
    checkGolden(dvdPhysicalFormatCodec, concat(head, new Uint8Array(2031)), value);
  });

  it("dual layer, opposite track path; cut to 24 bytes by the allocation length", () => {
    const dl = dvdPhysicalFormatCodec.encode({ ...value, bookType: DVD_BOOK_TYPE.dvdPlusRDl, numberOfLayers: 2, oppositeTrackPath: true, endPhysicalSectorInLayer0: 0x22d7ff, bca: true });
    expect(toHex(dl.subarray(4, 21))).toBe("e10f3210000300000026053f0022d7ff80");
    const cut = dvdPhysicalFormatCodec.decode(dl.subarray(0, 24));
    expect(cut.truncated).toEqual({ declaredLength: 2052, availableLength: 24 });
    expect(cut.numberOfLayers).toBe(2);
    expect(cut.mediaSpecific).toHaveLength(3);
    expectMalformed(() => dvdPhysicalFormatCodec.decode(dl.subarray(0, 20)), "READ DISC STRUCTURE DVD 00h (physical format information)");
  });
});

describe("DVD formats 01h, 04h, 0Eh, 11h (MMC-6 6.23.3.2)", () => {
  it("01h copyright", () => {
    checkGolden(dvdCopyrightCodec, "00 06 00 00  01  fe  00 00  # CSS, playable in region 1 only", {
      copyrightProtectionSystemType: 1,
      regionManagementInformation: 0xfe,
    });
  });

  it("any other format kept raw behind the checked header", () => {
    checkGolden(rawDiscStructureCodec, "00 07 00 00  # data length 7, reserved\n 01 02 03 04 05  # format data as sent", { data: hex("01 02 03 04 05") });
    checkGolden(rawDiscStructureCodec, "00 02 00 00  # header only: no format data", { data: new Uint8Array(0) });
    expect(rawDiscStructureCodec.decode(hex("00 07 00 00  01 02"))).toEqual({ data: hex("01 02"), truncated: { declaredLength: 9, availableLength: 6 } });
  });

  it("04h manufacturing information kept raw", () => {
    checkGolden(dvdManufacturingInformationCodec, "00 06 00 00  de ad be ef", { data: hex("de ad be ef") });
  });

  it("0Eh DVD-R pre-recorded information and its manufacturer ID", () => {
    const bytes = concat(
      hex("00 2a 00 00  # data length 42, reserved"),
      hex("01 00 00 00 00 00 00 00  # field 1"),
      hex("02 00 00 00 00 00 00 00  # field 2"),
      hex("03"), ascii("MCC 03"), hex("00  # field 3: manufacturer ID part 1"),
      hex("04"), ascii("RG20  "), hex("00  # field 4: part 2"),
      hex("05 00 00 00 00 00 00 00  # field 5"),
    );
    const expected = dvdPreRecordedWithManufacturer("MCC 03RG20");
    checkGolden(dvdPreRecordedInformationCodec, bytes, expected);
    expect(dvdMinusManufacturerId(expected)).toBe("MCC 03RG20");
    expect(mediaIdentifier({ kind: "dvd-pre-recorded", structure: expected })?.text).toBe("MCC 03RG20");
    expect(dvdMinusManufacturerId({ fields: expected.fields.slice(0, 3) })).toBeUndefined();
  });

  it("11h ADIP of DVD+R and the media ID", () => {
    const data = new Uint8Array(256);
    data.set(hex("a1 0f 02 10"), 0); // category +R / version 1, 120 mm, layer info, densities
    data.set(ascii("RICOHJPN"), 19); // disc manufacturer ID
    data.set(ascii("R03"), 27); // media type ID
    data[30] = 2; // product revision
    const bytes = concat(hex("01 02 00 00  # data length 258"), data);
    const value: DvdAdipInformation = {
      discCategory: 0xa,
      version: 1,
      discSize: 0,
      maximumRate: 0xf,
      manufacturerId: "RICOHJPN",
      mediaTypeId: "R03",
      productRevision: 2,
      data,
    };
    checkGolden(dvdAdipInformationCodec, bytes, value);
    expect(mediaIdentifier({ kind: "dvd+adip", structure: value })).toEqual({ manufacturerId: "RICOHJPN", mediaTypeId: "R03", productRevision: 2, text: "RICOHJPN/R03" });
    expectMalformed(() => dvdAdipInformationCodec.decode(bytes.subarray(0, 30)), "READ DISC STRUCTURE DVD 11h (ADIP information)");
    // space padding as received survives a decode/encode
    const spaced = bytes.slice();
    spaced.set(ascii("CMC MAG "), 4 + 19);
    const decoded = dvdAdipInformationCodec.decode(spaced);
    expect(decoded.manufacturerId).toBe("CMC MAG");
    expect(dvdAdipInformationCodec.encode(decoded)).toEqual(spaced);
    expect(dvdAdipInformationCodec.encode({ ...decoded, manufacturerId: "MKM" }).subarray(23, 31)).toEqual(hex("4d 4b 4d 00 00 00 00 00"));
  });
});

describe("DVD dual-layer formats 20h-24h", () => {
  it("20h layer boundary information", () => {
    checkGolden(
      layerBoundaryInformationCodec,
      `
      00 0a 00 00  # data length 10, reserved
      80 00 00 00  # INIT STATUS (boundary fixed), reserved
      00 1f d8 00  # L0 data zone capacity 2086912
      `,
      { initStatus: true, l0DataZoneCapacity: 2086912 },
    );
  });

  it("21h..24h", () => {
    checkGolden(shiftedMiddleAreaStartAddressCodec, "00 0a 00 00 00 00 00 00 00 1f d8 00", { initStatus: false, shiftedMiddleAreaStartAddress: 2086912 });
    checkGolden(jumpIntervalSizeCodec, "00 0a 00 00 00 00 00 00 00 00 40 00  # 16384 sectors", { jumpIntervalSize: 16384 });
    checkGolden(manualLayerJumpAddressCodec, "00 0a 00 00 00 00 00 00 00 10 00 00", { manualLayerJumpAddress: 0x100000 });
    checkGolden(remappingAddressCodec, "00 0a 00 00 00 00 00 00 00 00 00 10", { remappingAddress: 16 });
    const cut = layerBoundaryInformationCodec.decode(hex("00 0a 00 00 80 00 00 00 00 1f d8 00 ff ff").subarray(0, 12));
    expect(cut.truncated).toBeUndefined();
    expectMalformed(() => layerBoundaryInformationCodec.decode(hex("00 0a 00 00 80 00 00 00 00 1f")));
  });
});

describe("format FFh disc structure list", () => {
  it("entries with SDS/RDS and lengths", () => {
    checkGolden(
      discStructureListCodec,
      `
      00 0e 00 00  # data length 14
      00 40 08 02  # format 00h, RDS, length 2050
      01 40 00 06  # format 01h, RDS, length 6
      11 c0 01 02  # format 11h, SDS + RDS, length 258
      `,
      {
        entries: [
          { formatCode: 0x00, sds: false, rds: true, structureLength: 2050 },
          { formatCode: 0x01, sds: false, rds: true, structureLength: 6 },
          { formatCode: 0x11, sds: true, rds: true, structureLength: 258 },
        ],
      },
    );
  });
});

describe("BD format 00h disc information", () => {
  const unit: BdDiscInformationUnit = {
    diFormat: 1,
    unitsPerBlock: 1,
    layerInBlock: 0,
    legacy: 0,
    sequenceNumber: 0,
    continuation: false,
    bytesInUse: 0x62,
    discTypeId: "BDR",
    discSize: 0,
    discClass: 0,
    discVersion: 2,
    numberOfLayers: 1,
    layerType: 2,
    hybridAndChannel: 0x01,
    polarity: 0,
    bca: 1,
    maximumTransferRate: 0,
    lastUserDataPsn: 0x00dd9fff,
    firstAun: 0x00100000,
    lastAun: 0x00dd9ffe,
    formatDependent: new Uint8Array(68),
    identification: { manufacturerId: "VERBAT", mediaTypeId: "IMe", timestamp: 0, productRevision: 1 },
  };

  it("one BD-R unit, both ways, and the media ID", () => {
    const bytes = concat(
      hex(`
        00 72 00 00  # data length 114, reserved
        44 49        # "DI"
        01           # DI format 1
        08           # 1 unit per block, layer 0
        00 00        # legacy, sequence number 0
        62           # continuation 0, 98 bytes in use
        00           # reserved
      `),
      ascii("BDR"), // disc type identifier
      hex(`
        02           # 120 mm, class 0, version 2
        12           # 1 layer, layer type 2
        01           # no hybrid layers, channel bit length 1
        00 00        # polarity, reserved
        01 00        # BCA, maximum transfer rate
        00 00        # reserved
        00 dd 9f ff  # last user data PSN
        00 10 00 00  # first AUN
        00 dd 9f fe  # last AUN
      `),
      new Uint8Array(68), // format-dependent contents 32..99
      ascii("VERBAT"), // disc manufacturer ID 100..105
      ascii("IMe"), // media type ID 106..108
      hex("00 00  # time stamp\n 01  # product revision"),
    );
    checkGolden(bdDiscInformationCodec, bytes, { units: [unit] });
    expect(mediaIdentifier({ kind: "bd-disc-information", structure: { units: [unit] } })?.text).toBe("VERBAT/IMe");
  });

  it("stops at a block without the DI signature, states a cut unit", () => {
    const one = bdDiscInformationCodec.encode({ units: [unit, { ...unit, sequenceNumber: 1 }] });
    expect(bdDiscInformationCodec.decode(one).units).toHaveLength(2);
    const cut = bdDiscInformationCodec.decode(one.subarray(0, 4 + 112 + 50));
    expect(cut.units).toHaveLength(1);
    expect(cut.truncated).toEqual({ declaredLength: 4 + 224, availableLength: 4 + 162 });
    const garbage = one.slice();
    garbage[4 + 112] = 0;
    expect(bdDiscInformationCodec.decode(garbage).units).toHaveLength(1);
    const { identification: _dropped, ...romUnit } = unit;
    const rom = bdDiscInformationCodec.encode({ units: [{ ...romUnit, discTypeId: "BDO", formatDependent: new Uint8Array(32) }] });
    expect(rom).toHaveLength(4 + 64);
    expect(bdDiscInformationCodec.decode(rom).units[0]!.identification).toBeUndefined();
  });
});
