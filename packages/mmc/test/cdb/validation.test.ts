// Invalid input: builders refuse it with InvalidArgumentError naming the field; parsers refuse
// bad CDB fields with a CdbFieldError whose byte/bit is the SPC-4 field pointer the device
// server reports with ILLEGAL REQUEST / INVALID FIELD IN CDB.
import { fromHex } from "@discforge/bytes";
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";
import { describe, expect, it } from "vitest";
import * as m from "../../src/cdb/index.js";

function expectInvalid(fn: () => unknown, argument: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(InvalidArgumentError);
  expect((caught as InvalidArgumentError).argument).toMatch(argument);
}

function expectField(hex: string, byteOffset: number, bitNumber: number | undefined): m.CdbFieldError {
  let caught: unknown;
  try {
    m.decodeCdb(fromHex(hex));
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(m.CdbFieldError);
  expect(caught).toBeInstanceOf(MalformedDataError);
  const err = caught as m.CdbFieldError;
  expect({ byte: err.byteOffset, bit: err.bitNumber }).toEqual({ byte: byteOffset, bit: bitNumber });
  return err;
}

describe("build validation", () => {
  it("range-checks integers against their CDB field widths", () => {
    expectInvalid(() => m.buildRead10({ lba: 2 ** 32, transferLength: 1 }), /READ\(10\) lba/);
    expectInvalid(() => m.buildRead10({ lba: -1, transferLength: 1 }), /lba/);
    expectInvalid(() => m.buildRead10({ lba: 1.5, transferLength: 1 }), /lba/);
    expectInvalid(() => m.buildRead10({ lba: 0, transferLength: 0x10000 }), /transferLength/);
    expectInvalid(() => m.buildReadCd({ lba: 0, transferLength: 0x1000000, expectedSectorType: "mode1" }), /transferLength/);
    expectInvalid(() => m.buildRequestSense({ allocationLength: 256 }), /allocationLength/);
    expectInvalid(() => m.buildModeSense6({ pageCode: 0x40 }), /pageCode/);
    expectInvalid(() => m.buildModeSense10({ pageCode: 1, subpageCode: 256 }), /subpageCode/);
    expectInvalid(() => m.buildSetCdSpeed({ readSpeed: 0x10000 }), /readSpeed/);
    expectInvalid(() => m.buildReadDiscStructure({ formatCode: 0, agid: 4 }), /agid/);
    expectInvalid(() => m.buildReadCapacity16({ lba: 2 ** 53, pmi: true }), /lba/);
    expectInvalid(() => m.buildReadCdMsf({ expectedSectorType: "cdda", start: { minute: 0, second: 60, frame: 0 }, end: { minute: 1, second: 0, frame: 0 } }), /start.second/);
    expectInvalid(() => m.buildReadCdMsf({ expectedSectorType: "cdda", start: { minute: 1, second: 0, frame: 0 }, end: { minute: 0, second: 2, frame: 0 } }), /end/);
    expectInvalid(() => m.buildReadSubChannel({ format: "mediaCatalogNumber", trackNumber: 1 }), /trackNumber/);
    expectInvalid(() => m.buildReportLuns({ allocationLength: 15 }), /allocationLength/);
  });

  it("refuses data lengths beyond 4 GiB and bad block sizes", () => {
    expectInvalid(() => m.buildRead12({ lba: 0, transferLength: 0xffffffff }), /transferLength/);
    expectInvalid(() => m.buildRead10({ lba: 0, transferLength: 1 }, { blockSize: 0 }), /blockSize/);
    expect(m.buildRead10({ lba: 0, transferLength: 3 }, { blockSize: 2352 }).dataInLength).toBe(3 * 2352);
  });

  it("refuses unknown names in code tables", () => {
    expectInvalid(() => m.buildReadToc({ format: "bogus" as m.TocFormat }), /format/);
    expectInvalid(() => m.buildGetConfiguration({ requestType: "some" as m.ConfigurationRequestTypeName }), /requestType/);
    expectInvalid(() => m.buildCloseTrackSession({ closeFunction: "reserved" as m.CloseFunction }), /closeFunction/);
    expectInvalid(() => m.buildBlank({ blankingType: "everything" as m.BlankingType }), /blankingType/);
    expectInvalid(() => m.buildStartStopUnit({ powerCondition: "off" as m.PowerCondition }), /powerCondition/);
    expectInvalid(() => m.buildGetEventStatusNotification({ classes: { bogus: true } as never }), /classes/);
    expectInvalid(() => m.buildReserveTrack({ form: "both" } as never), /form/);
  });

  it("refuses reserved combinations", () => {
    expectInvalid(() => m.buildInquiry({ pageCode: 0x80 }), /pageCode/);
    expectInvalid(() => m.buildReadCapacity10({ lba: 5 }), /lba/);
    expectInvalid(() => m.buildReadToc({ format: "toc", trackSessionNumber: 100 }), /trackSessionNumber/);
    expectInvalid(() => m.buildReadToc({ format: "atip", trackSessionNumber: 1 }), /trackSessionNumber/);
    expectInvalid(() => m.buildReadToc({ format: "fullToc", trackSessionNumber: 0xaa }), /trackSessionNumber/);
    expectInvalid(() => m.buildBlank({ blankingType: "full", startAddress: 5 }), /startAddress/);
    expectInvalid(() => m.buildFormatUnit({ formatCode: 0 }), /formatCode/);
    expectInvalid(() => m.buildFormatUnit({ fmtData: false, cmpList: true }), /cmpList/);
    expectInvalid(() => m.buildFormatUnit({}, new Uint8Array(2)), /data/);
    expectInvalid(() => m.buildStartStopUnit({ powerCondition: "idle", loej: true }), /powerCondition/);
    expectInvalid(() => m.buildStartStopUnit({ fl: true, loej: true }), /fl/);
    expectInvalid(() => m.buildSendCueSheet({ cueSheetSize: 12 }), /cueSheetSize/);
    expectInvalid(() => m.buildSendCueSheet({}), /cueSheetSize/);
    expectInvalid(() => m.buildModeSelect10({}), /parameterListLength/);
  });

  it("checks data-out bytes against the CDB", () => {
    expectInvalid(() => m.buildModeSelect10({ parameterListLength: 8 }, new Uint8Array(9)), /data/);
    expectInvalid(() => m.buildSetStreaming({}, new Uint8Array(27)), /parameterListLength/);
    expectInvalid(() => m.buildSetStreaming({ parameterListLength: 28 }, new Uint8Array(27)), /data/);
    expectInvalid(() => m.buildSendOpcInformation({ parameterListLength: 8 }, new Uint8Array(4)), /data/);
    expectInvalid(() => m.buildSendCueSheet({ cueSheetSize: 16 }, new Uint8Array(8)), /data/);
    expectInvalid(() => m.buildWrite10({ lba: 0, transferLength: 2 }, new Uint8Array(2049)), /data/);
    expectInvalid(() => m.buildWrite12({ lba: 0, transferLength: 0 }, new Uint8Array(1)), /data/);
    expectInvalid(() => m.buildWriteAndVerify10({ lba: 0, transferLength: 1 }, new Uint8Array(0)), /data/);
    const req = m.buildModeSelect10({ parameterListLength: 8 });
    expect(req.dataOut).toBeUndefined();
    expect(m.attachDataOut(req, new Uint8Array(8)).dataOut).toHaveLength(8);
    expectInvalid(() => m.attachDataOut(req, new Uint8Array(7)), /dataOut/);
    expectInvalid(() => m.attachDataOut(m.buildInquiry(), new Uint8Array(1)), /dataOut/);
  });

  it("needs a sector size for a partial 'any' READ CD selection", () => {
    expectInvalid(() => m.buildReadCd({ lba: 0, transferLength: 1 }), /bytesPerSector/);
    expect(m.buildReadCd({ lba: 0, transferLength: 2 }, { bytesPerSector: 2048 }).dataInLength).toBe(4096);
    expect(m.buildReadCd({ lba: 0, transferLength: 1, sync: true, headerCodes: "all", edcEcc: true }).dataInLength).toBe(2352);
  });

  it("turns zero-length data phases into direction none", () => {
    expect(m.buildRead10({ lba: 0, transferLength: 0 })).not.toHaveProperty("dataInLength");
    expect(m.buildRead10({ lba: 0, transferLength: 0 }).direction).toBe("none");
    expect(m.buildInquiry({ allocationLength: 0 }).direction).toBe("none");
    expect(m.buildModeSelect10({ parameterListLength: 0 }).direction).toBe("none");
  });

  it("reports the data phase of decoded CDBs with a block size", () => {
    expect(m.cdbTransfer(m.decodeCdb(m.buildWrite10({ lba: 0, transferLength: 3 }).cdb), { blockSize: 2352 })).toEqual({ direction: "out", length: 3 * 2352 });
    expect(m.cdbTransfer(m.decodeCdb(m.buildFormatUnit().cdb))).toEqual({ direction: "out", length: undefined });
    expect(m.cdbTransfer(m.decodeCdb(m.buildReadCd({ lba: 0, transferLength: 1 }, { bytesPerSector: 2048 }).cdb))).toEqual({ direction: "in", length: undefined });
  });

  it("uses IMMED to pick a shorter timeout class", () => {
    expect(m.buildBlank({ blankingType: "full" }).timeoutClass).toBe("long");
    expect(m.buildBlank({ blankingType: "full", immed: true }).timeoutClass).toBe("media");
    expect(m.buildCloseTrackSession({ closeFunction: "closeSession" }).timeoutClass).toBe("long");
    expect(m.buildSynchronizeCache({ immed: true }).timeoutClass).toBe("media");
    expect(m.buildTestUnitReady().timeoutClass).toBe("short");
  });
});

describe("parse validation: field pointers", () => {
  it("points at NACA/LINK in the CONTROL byte", () => {
    expectField("00 00 00 00 00 04", 5, 2); // NACA
    expectField("28 00 00 00 00 00 00 00 01 01", 9, 0); // LINK
    expectField("be 00 00 00 00 00 00 00 01 10 00 20", 11, 5); // reserved
  });

  it("points at reserved bits and bytes", () => {
    expectField("00 00 01 00 00 00", 2, 0);
    expectField("12 02 00 00 24 00", 1, 1); // CMDDT
    expectField("28 20 00 00 00 00 00 00 01 00", 1, 5); // RDPROTECT
    expectField("a8 00 00 00 00 00 00 00 00 01 40 00", 10, 6);
    expectField("4a 01 00 00 01 00 00 00 08 00", 4, 0); // class bit 0
    expectField("4a 01 00 00 80 00 00 00 08 00", 4, 7); // class bit 7
  });

  it("points at reserved code values", () => {
    expectField("46 03 00 00 00 00 00 00 08 00", 1, 1); // RT 11b
    expectField("43 00 06 00 00 00 00 00 0c 00", 2, 3); // TOC format 6
    expectField("43 00 00 00 00 00 64 00 0c 00", 6, undefined); // track 100
    expectField("43 00 04 00 00 00 01 00 1c 00", 6, undefined); // number with ATIP
    expectField("51 03 00 00 00 00 00 08 00 00", 1, 2); // data type 3
    expectField("52 03 00 00 00 01 00 00 30 00", 1, 1); // address type 11b
    expectField("ad 02 00 00 00 00 00 00 08 04 00 00", 1, 3); // media type 2
    expectField("ac 13 00 00 00 00 00 00 00 01 00 00", 1, 1); // EXCEPT 11b
    expectField("ac 00 00 00 00 00 00 00 00 01 06 00", 10, undefined); // type 6
    expectField("ac 01 00 00 00 00 00 00 00 01 03 00", 1, 0); // data type with type 03h
    expectField("bb 02 ff ff ff ff 00 00 00 00 00 00", 1, 1); // rotational control 10b
    expectField("b6 00 00 00 00 00 00 00 01 00 1c 00", 8, undefined); // streaming type 1
    expectField("5b 00 07 00 00 00 00 00 00 00", 2, 2); // close function 111b
    expectField("a1 07 00 00 00 00 00 00 00 00 00 00", 1, 2); // blanking type 7
    expectField("a1 00 00 00 00 01 00 00 00 00 00 00", 2, 7); // address with full blank
    expectField("04 10 00 00 00 00", 1, 2); // format code 000b
    expectField("04 09 00 00 00 00", 1, 3); // CMPLIST without FMTDATA
    expectField("1b 00 00 00 40 00", 4, 7); // power condition 4h
    expectField("be 18 00 00 00 00 00 00 01 10 00 00", 1, 4); // sector type 110b
    expectField("be 00 00 00 00 00 00 00 01 16 00 00", 9, 2); // C2 11b
    expectField("be 00 00 00 00 00 00 00 01 10 03 00", 10, 2); // sub-channel 011b
    expectField("53 03 00 00 00 00 00 00 00 00", 1, 1); // RMZ with ARSV
    expectField("5d 00 00 00 00 00 00 00 0c 00", 6, undefined); // cue sheet size 12
    expectField("9e 11 00 00 00 00 00 00 00 00 00 00 00 20 00 00", 1, 4); // service action 11h
    expectField("9e 10 00 20 00 00 00 00 00 00 00 00 00 20 01 00", 2, 7); // LBA >= 2^53
    expectField("25 00 00 00 00 01 00 00 00 00", 2, 7); // LBA without PMI
    expectField("12 00 80 00 24 00", 2, 7); // page code without EVPD
    expectField("b9 00 00 00 02 00 00 01 00 10 00 00", 3, undefined); // READ CD MSF start after end
    expectField("b9 00 00 00 3c 00 00 3d 00 10 00 00", 4, undefined); // second 60
    expectField("b9 00 00 00 02 4b 00 03 00 10 00 00", 5, undefined); // frame 75
    expectField("42 00 40 04 00 00 00 00 30 00", 3, undefined); // sub-channel format 04h
    expectField("42 00 40 03 00 00 00 00 30 00", 6, undefined); // ISRC without a track
    expectField("a0 00 03 00 00 00 00 00 08 00 00 00", 2, undefined); // SELECT REPORT 03h
    expectField("a0 00 00 00 00 00 00 00 00 0f 00 00", 6, undefined); // allocation length 15
  });

  it("reports the command and the offset in the error", () => {
    const err = expectField("43 00 06 00 00 00 00 00 0c 00", 2, 3);
    expect(err.command).toBe("READ TOC/PMA/ATIP");
    expect(err.structure).toBe("READ TOC/PMA/ATIP CDB");
    expect(err.offset).toBe(2);
    expect(err.code).toBe("DF_MALFORMED_DATA");
  });

  it("distinguishes unsupported opcodes from bad fields", () => {
    for (const [hex, name] of [
      ["ff 00 00 00 00 00 00 00 00 00 00 00", undefined],
      ["02 00 00 00 00 00", undefined],
      ["a3 00 00 00 00 00 00 00 00 00 00 00", "SEND KEY"],
      ["4d 00 00 00 00 00 00 00 00 00", "LOG SENSE"],
    ] as const) {
      let caught: unknown;
      try {
        m.decodeCdb(fromHex(hex));
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(m.UnsupportedOpcodeError);
      expect((caught as m.UnsupportedOpcodeError).opcode).toBe(fromHex(hex)[0]);
      expect((caught as m.UnsupportedOpcodeError).commandName).toBe(name);
    }
  });

  it("refuses CDBs shorter than their group code", () => {
    expect(() => m.decodeCdb(new Uint8Array(0))).toThrow(m.CdbLengthError);
    expect(() => m.decodeCdb(fromHex("28 00 00 00 00 00"))).toThrow(m.CdbLengthError);
    try {
      m.parseReadCdCdb(fromHex("be 00 00 00 00 00 00 00 00 00"));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(m.CdbLengthError);
      expect((e as m.CdbLengthError).expectedLength).toBe(12);
      expect((e as m.CdbLengthError).actualLength).toBe(10);
    }
  });
});
