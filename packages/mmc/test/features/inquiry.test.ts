import { fromHex, toHex } from "@discforge/bytes";
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";
import { describe, expect, it } from "vitest";
import {
  VERSION_DESCRIPTOR,
  deviceIdentificationCodec,
  interpretDesignator,
  isMmcDevice,
  mayReceiveWrites,
  standardInquiryCodec,
  supportedVpdPagesCodec,
  unitSerialNumberCodec,
  versionDescriptorName,
} from "../../src/features/index.js";

const ascii = (s: string): string => toHex(Uint8Array.from(s, (c) => c.charCodeAt(0)));

// 96-byte standard INQUIRY data of an ATAPI DVD writer.
const DVD_WRITER_INQUIRY = `
  05            # qualifier 0, device type 05h (MMC)
  80            # RMB
  05            # version: SPC-3
  32            # NormACA, HiSup, response data format 2
  5b            # additional length 91
  00            # SCCS ACC TPGS 3PC Protect: none
  00            # EncServ MultiP MChngr Addr16: none
  00            # WBus16 Sync CmdQue: none
  ${ascii("HL-DT-ST")}            # vendor
  ${ascii("DVDRAM GH24NSD1 ")}    # product
  ${ascii("LG00")}                # revision
  ${ascii("20140612")} 000000000000000000000000   # vendor specific (20 bytes)
  00 00         # clocking/QAS/IUS, reserved
  04 e0         # version descriptor: MMC-6
  04 60         # SPC-4
  16 00         # ATA/ATAPI-7
  0000 0000 0000 0000 0000   # unused descriptors
  ${"00".repeat(22)}         # reserved 74-95
`;

describe("standard INQUIRY data", () => {
  const bytes = fromHex(DVD_WRITER_INQUIRY);

  it("decodes a 96-byte response", () => {
    expect(bytes.length).toBe(96);
    const inq = standardInquiryCodec.decode(bytes);
    expect(inq).toMatchObject({
      peripheralQualifier: 0,
      peripheralDeviceType: 5,
      removable: true,
      luCong: false,
      version: 5,
      normAca: true,
      hiSup: true,
      responseDataFormat: 2,
      sccs: false,
      tpgs: 0,
      cmdQue: false,
      vendor: "HL-DT-ST",
      product: "DVDRAM GH24NSD1",
      revision: "LG00",
      clocking: 0,
      versionDescriptors: [VERSION_DESCRIPTOR.mmc6, VERSION_DESCRIPTOR.spc4, VERSION_DESCRIPTOR.ataAtapi7],
    });
    expect(toHex(inq.vendorSpecific)).toBe(ascii("20140612") + "00".repeat(12));
    expect(inq.vendorSpecificTrailer.length).toBe(0);
    expect(inq.truncated).toBeUndefined();
    expect(toHex(standardInquiryCodec.encode(inq))).toBe(toHex(bytes));
  });

  it("decodes every flag bit at its place", () => {
    const b = bytes.slice();
    b[1] = 0xc0; // RMB, LU_CONG
    b[5] = 0xf9; // SCCS, ACC, TPGS 3, 3PC, Protect
    b[6] = 0x79; // EncServ, VS, MultiP, MChngr, Addr16
    b[7] = 0x33; // WBus16, Sync, CmdQue, VS
    b[56] = 0x0f; // clocking 3, QAS, IUS
    const inq = standardInquiryCodec.decode(b);
    expect(inq).toMatchObject({
      removable: true, luCong: true, sccs: true, acc: true, tpgs: 3, thirdPartyCopy: true, protect: true,
      encServ: true, vendorSpecificBit6: true, multiP: true, mChngr: true, addr16: true,
      wBus16: true, sync: true, cmdQue: true, vendorSpecificBit7: true, clocking: 3, qas: true, ius: true,
    });
    expect(toHex(standardInquiryCodec.encode(inq))).toBe(toHex(b));
  });

  it("decodes the 36 bytes an allocation length of 36 returns, marking the cut", () => {
    const inq = standardInquiryCodec.decode(bytes.subarray(0, 36));
    expect(inq.truncated).toEqual({ declaredLength: 96, availableLength: 36 });
    expect(inq.product).toBe("DVDRAM GH24NSD1");
    expect(inq.versionDescriptors).toEqual([]);
    expect(inq.vendorSpecific.length).toBe(0);
  });

  it("round-trips the 36-byte short form exactly", () => {
    const short = bytes.slice(0, 36);
    short[4] = 31;
    const inq = standardInquiryCodec.decode(short);
    expect(inq.truncated).toBeUndefined();
    expect(toHex(standardInquiryCodec.encode(inq))).toBe(toHex(short));
  });

  it("rejects data shorter than the 36 mandatory bytes", () => {
    expect(() => standardInquiryCodec.decode(bytes.subarray(0, 35))).toThrow(MalformedDataError);
    const lying = bytes.slice(0, 40);
    lying[4] = 20; // declares only 25 bytes
    expect(() => standardInquiryCodec.decode(lying)).toThrow(/36 are mandatory/);
    expect(() => standardInquiryCodec.decode(new Uint8Array(3))).toThrow(MalformedDataError);
  });

  it("keeps vendor-specific bytes after byte 95", () => {
    const long = new Uint8Array(100);
    long.set(bytes);
    long[4] = 95;
    long.set([1, 2, 3, 4], 96);
    const inq = standardInquiryCodec.decode(long);
    expect(toHex(inq.vendorSpecificTrailer)).toBe("01020304");
    expect(toHex(standardInquiryCodec.encode(inq))).toBe(toHex(long));
  });

  it("refuses invalid encoder input", () => {
    const inq = standardInquiryCodec.decode(bytes);
    expect(() => standardInquiryCodec.encode({ ...inq, vendor: "TOO-LONG-VENDOR" })).toThrow(InvalidArgumentError);
    expect(() => standardInquiryCodec.encode({ ...inq, versionDescriptors: [1, 2, 3, 4, 5, 6, 7, 8, 9] })).toThrow(InvalidArgumentError);
    expect(() => standardInquiryCodec.encode({ ...inq, peripheralDeviceType: 32 })).toThrow(InvalidArgumentError);
  });

  it("allows writes only to a connected MMC device", () => {
    const inq = standardInquiryCodec.decode(bytes);
    expect(isMmcDevice(inq)).toBe(true);
    expect(mayReceiveWrites(inq)).toBe(true);
    expect(mayReceiveWrites({ peripheralQualifier: 0, peripheralDeviceType: 0x00 })).toBe(false); // a hard disk
    expect(mayReceiveWrites({ peripheralQualifier: 0, peripheralDeviceType: 0x01 })).toBe(false); // a tape
    expect(mayReceiveWrites({ peripheralQualifier: 1, peripheralDeviceType: 0x05 })).toBe(false); // not connected
    expect(mayReceiveWrites({ peripheralQualifier: 3, peripheralDeviceType: 0x1f })).toBe(false); // no logical unit
  });

  it("names version descriptors by family", () => {
    expect(versionDescriptorName(0x04e0)).toBe("MMC-6 (no version claimed)");
    expect(versionDescriptorName(0x0434)).toBe("MMC-5 (version 0434h)");
    expect(versionDescriptorName(0x0460)).toBe("SPC-4 (no version claimed)");
    expect(versionDescriptorName(0x1600)).toBe("ATA/ATAPI-7 (no version claimed)");
    expect(versionDescriptorName(0x7777)).toBe("unknown standard (version 7777h)");
    expect(versionDescriptorName(0)).toBe("none");
  });
});

describe("VPD pages", () => {
  it("Supported VPD Pages (00h)", () => {
    const bytes = fromHex(`
      05        # qualifier 0, MMC
      00        # page code
      00 03     # page length
      00 80 83  # pages 00h, 80h, 83h`);
    const page = supportedVpdPagesCodec.decode(bytes);
    expect(page).toEqual({ peripheralQualifier: 0, peripheralDeviceType: 5, pages: [0x00, 0x80, 0x83] });
    expect(toHex(supportedVpdPagesCodec.encode(page))).toBe(toHex(bytes));
    expect(supportedVpdPagesCodec.decode(bytes.subarray(0, 5))).toEqual({
      peripheralQualifier: 0, peripheralDeviceType: 5, pages: [0x00], truncated: { declaredLength: 7, availableLength: 5 },
    });
  });

  it("Unit Serial Number (80h), leading spaces kept", () => {
    const bytes = fromHex(`05 80 00 0c  ${ascii("  K4F98B1519")}`);
    const page = unitSerialNumberCodec.decode(bytes);
    expect(page.serialNumber).toBe("  K4F98B1519");
    expect(toHex(unitSerialNumberCodec.encode(page))).toBe(toHex(bytes));
  });

  it("rejects a page with the wrong page code or a short header", () => {
    expect(() => unitSerialNumberCodec.decode(fromHex("05 83 00 00"))).toThrow(/page code 83h, expected 80h/);
    expect(() => supportedVpdPagesCodec.decode(fromHex("05 00 00"))).toThrow(MalformedDataError);
  });

  const DEVICE_ID = `
    05 83 00 44                 # MMC, page 83h, page length 68
    02 01 00 18                 # ASCII, LU, T10 vendor ID, 24 bytes
      ${ascii("HL-DT-ST")} ${ascii("DVDRAM GH24NSD1 ")}
    01 03 00 08                 # binary, LU, NAA, 8 bytes
      50 01 23 45 67 89 ab cd   # NAA 5 (IEEE registered)
    01 02 00 08                 # binary, LU, EUI-64, 8 bytes
      00 11 22 33 44 55 66 77
    53 a8 00 0c                 # protocol 5, UTF-8; PIV, target device, SCSI name string, 12 bytes
      ${ascii("naa.50012345")}
  `;

  it("Device Identification (83h): designation descriptors", () => {
    const bytes = fromHex(DEVICE_ID);
    const page = deviceIdentificationCodec.decode(bytes);
    expect(page.descriptors).toHaveLength(4);
    expect(page.descriptors[0]).toMatchObject({ protocolIdentifier: 0, codeSet: 2, piv: false, association: 0, designatorType: 1 });
    expect(page.descriptors[3]).toMatchObject({ protocolIdentifier: 5, codeSet: 3, piv: true, association: 2, designatorType: 8 });
    expect(page.descriptors.map(interpretDesignator)).toEqual([
      { kind: "t10VendorId", vendor: "HL-DT-ST", vendorSpecific: "DVDRAM GH24NSD1" },
      { kind: "naa", naa: 5, hex: "500123456789abcd" },
      { kind: "eui64", hex: "0011223344556677" },
      { kind: "scsiName", name: "naa.50012345" },
    ]);
    expect(toHex(deviceIdentificationCodec.encode(page))).toBe(toHex(bytes));
  });

  it("Device Identification: a cut page keeps complete descriptors; an overrun inside the page is malformed", () => {
    const bytes = fromHex(DEVICE_ID);
    const cut = deviceIdentificationCodec.decode(bytes.subarray(0, 4 + 28 + 6));
    expect(cut.descriptors).toHaveLength(1);
    expect(cut.truncated).toEqual({ declaredLength: 72, availableLength: 38 });
    const bad = fromHex("05 83 00 06  01 03 00 08 50 01");
    expect(() => deviceIdentificationCodec.decode(bad)).toThrow(MalformedDataError);
  });

  it("interprets other designators as text or binary", () => {
    const base = { protocolIdentifier: 0, piv: false, association: 0 };
    expect(interpretDesignator({ ...base, codeSet: 1, designatorType: 0, designator: fromHex("0102") })).toEqual({ kind: "binary", hex: "0102" });
    expect(interpretDesignator({ ...base, codeSet: 2, designatorType: 0, designator: fromHex(ascii("abc ")) })).toEqual({ kind: "text", text: "abc" });
  });
});
