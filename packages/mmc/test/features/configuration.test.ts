import { fromHex, toHex } from "@discforge/bytes";
import { MalformedDataError } from "@discforge/errors";
import { describe, expect, it } from "vitest";
import {
  CONFIGURATION_REQUEST_TYPE,
  FEATURE,
  PROFILE,
  configurationCodec,
  findFeature,
  findFeatureByCode,
  firmwareDate,
  hasFeature,
  selectFeatures,
  supportedProfiles,
  type FeatureDescriptor,
} from "../../src/features/index.js";

// A DVD±RW recorder (ATAPI) with a blank DVD+R loaded, shaped like a real drive's full response.
const DVD_WRITER_WITH_DVD_PLUS_R = `
  00 00 01 34   # data length: 308 bytes follow
  00 00         # reserved
  00 1b         # current profile: DVD+R
  00 00 03 30   # Profile List, version 0, persistent, current, 48 bytes
    00 12 00 00   # DVD-RAM
    00 11 00 00   # DVD-R sequential
    00 15 00 00   # DVD-R DL sequential
    00 14 00 00   # DVD-RW sequential
    00 13 00 00   # DVD-RW restricted overwrite
    00 1a 00 00   # DVD+RW
    00 1b 01 00   # DVD+R, CurrentP
    00 2b 00 00   # DVD+R DL
    00 10 00 00   # DVD-ROM
    00 09 00 00   # CD-R
    00 0a 00 00   # CD-RW
    00 08 00 00   # CD-ROM
  00 01 0b 08   # Core, version 2, persistent, current
    00 00 00 02   # physical interface: ATAPI
    03 00 00 00   # INQ2, DBE
  00 02 07 04   # Morphing, version 1, persistent, current
    02 00 00 00   # OCEvent
  00 03 03 04   # Removable Medium, version 0, persistent, current
    29 00 00 00   # tray (001b), eject, lock
  00 10 01 08   # Random Readable, version 0, current
    00 00 08 00   # logical block size 2048
    00 10         # blocking 16
    01 00         # PP
  00 1d 00 00   # Multi-Read, not current (no CD loaded)
  00 1e 08 04   # CD Read, version 2, not current
    03 00 00 00   # C2 flags, CD-Text
  00 1f 09 04   # DVD Read, version 2, current
    01 00 01 00   # MULTI110; DVD-R dual layer readable
  00 20 04 0c   # Random Writable, version 1, not current
    00 23 05 3f   # last LBA 2295103
    00 00 08 00   # logical block size 2048
    00 10         # blocking 16
    01 00         # PP
  00 21 08 08   # Incremental Streaming Writable, version 2, not current
    01 01         # data block types 0 and 8
    01            # BUF
    02            # 2 link sizes
    07 10 00 00   # link sizes 7 and 16, pad
  00 23 04 08   # Formattable, version 1, not current
    00 00 00 00 00 00 00 00
  00 24 04 04   # Hardware Defect Management, version 1
    80 00 00 00   # SSA
  00 26 00 00   # Restricted Overwrite
  00 28 04 04   # MRW, version 1
    07 00 00 00   # DVD+ write, DVD+ read, CD write
  00 2a 04 04   # DVD+RW, version 1, not current
    01 00 00 00   # write
  00 2b 01 04   # DVD+R, version 0, current
    01 00 00 00   # write
  00 2c 04 04   # Rigid Restricted Overwrite, version 1
    0b 00 00 00   # DSDG, Intermediate, Blank
  00 2d 08 04   # CD Track at Once, version 2
    5e 00         # BUF, R-W raw, R-W pack, test write, CD-RW
    3f ff         # data types supported
  00 2e 04 04   # CD Mastering, version 1
    7f            # BUF, SAO, raw MS, raw, test write, CD-RW, R-W
    00 ff ff      # maximum cue sheet length 65535
  00 2f 08 04   # DVD-R/-RW Write, version 2
    4e 00 00 00   # BUF, RDL, test write, DVD-RW SL
  00 33 00 08   # Layer Jump Recording, version 0
    00 00 00 01   # 1 link size
    10 00 00 00   # link size 16, pad
  00 3b 00 04   # DVD+R DL, version 0
    01 00 00 00   # write
  01 00 03 00   # Power Management, persistent, current
  01 05 07 04   # Timeout, version 1, persistent, current
    01 00 02 00   # Group 3, unit length 512
  01 07 13 04   # Real Time Streaming, version 4, persistent, current
    1f 00 00 00   # RBCB, SCS, MP2A, WSPD, SW
  01 08 03 0c   # Drive Serial Number, persistent, current
    4b 34 46 39 38 42 31 35 31 39 20 20   # "K4F98B1519"
  01 0c 03 10   # Firmware Information, persistent, current
    32 30 30 39 30 36 31 32 31 30 33 32 30 35 00 00   # 2009-06-12 10:32:05
  ff 10 00 04   # vendor-specific feature FF10h
    de ad be ef
`;

describe("GET CONFIGURATION response: DVD±RW drive with DVD+R loaded", () => {
  const bytes = fromHex(DVD_WRITER_WITH_DVD_PLUS_R);
  const config = configurationCodec.decode(bytes);

  it("decodes the header and every descriptor in order", () => {
    expect(bytes.length).toBe(312);
    expect(config.currentProfile).toBe(PROFILE.dvdPlusR);
    expect(config.truncated).toBeUndefined();
    expect(config.features.map((f) => f.code)).toEqual([
      0x0000, 0x0001, 0x0002, 0x0003, 0x0010, 0x001d, 0x001e, 0x001f, 0x0020, 0x0021, 0x0023, 0x0024, 0x0026, 0x0028, 0x002a,
      0x002b, 0x002c, 0x002d, 0x002e, 0x002f, 0x0033, 0x003b, 0x0100, 0x0105, 0x0107, 0x0108, 0x010c, 0xff10,
    ]);
  });

  it("decodes the profile list with the current flag", () => {
    const profiles = supportedProfiles(config);
    expect(profiles).toHaveLength(12);
    expect(profiles.filter((p) => p.current)).toEqual([{ profile: 0x001b, current: true }]);
    expect(profiles[0]).toEqual({ profile: 0x0012, current: false });
  });

  it("decodes named fields", () => {
    expect(findFeature(config, "core")).toEqual({
      kind: "core", code: 1, version: 2, persistent: true, current: true, physicalInterfaceStandard: 2, inq2: true, dbe: true,
    });
    expect(findFeature(config, "morphing")).toMatchObject({ version: 1, ocEvent: true, async: false });
    expect(findFeature(config, "removableMedium")).toMatchObject({
      loadingMechanismType: 1, load: false, eject: true, preventJumper: false, dbml: false, lock: true,
    });
    expect(findFeature(config, "randomReadable")).toMatchObject({ current: true, logicalBlockSize: 2048, blocking: 16, pp: true });
    expect(findFeature(config, "multiRead")).toMatchObject({ current: false, persistent: false, version: 0 });
    expect(findFeature(config, "cdRead")).toMatchObject({ version: 2, current: false, dap: false, c2Flags: true, cdText: true });
    expect(findFeature(config, "dvdRead")).toMatchObject({ multi110: true, dualLayerDvdRw: false, dualLayerDvdR: true });
    expect(findFeature(config, "randomWritable")).toMatchObject({ lastLba: 2295103, logicalBlockSize: 2048, blocking: 16, pp: true });
    expect(findFeature(config, "incrementalStreamingWritable")).toMatchObject({
      dataBlockTypesSupported: 0x0101, trio: false, arsv: false, buf: true, linkSizes: [7, 16],
    });
    expect(findFeature(config, "formattable")).toMatchObject({ version: 1, frf: false, cert: false, rrm: false });
    expect(findFeature(config, "hardwareDefectManagement")).toMatchObject({ ssa: true });
    expect(findFeature(config, "mrw")).toMatchObject({ dvdPlusWrite: true, dvdPlusRead: true, cdWrite: true });
    expect(findFeature(config, "dvdPlusRw")).toMatchObject({ current: false, write: true, quickStart: false, closeOnly: false });
    expect(findFeature(config, "dvdPlusR")).toMatchObject({ current: true, write: true });
    expect(findFeature(config, "rigidRestrictedOverwrite")).toMatchObject({ dsdg: true, dsdr: false, intermediate: true, blank: true });
    expect(findFeature(config, "cdTrackAtOnce")).toMatchObject({
      buf: true, rwRaw: true, rwPack: true, testWrite: true, cdRw: true, rwSubcode: false, dataTypeSupported: 0x3fff,
    });
    expect(findFeature(config, "cdMastering")).toMatchObject({
      buf: true, sao: true, rawMs: true, raw: true, testWrite: true, cdRw: true, rw: true, maximumCueSheetLength: 65535,
    });
    expect(findFeature(config, "dvdMinusRWrite")).toMatchObject({ buf: true, rdl: true, testWrite: true, dvdRwSl: true });
    expect(findFeature(config, "layerJumpRecording")).toMatchObject({ linkSizes: [16] });
    expect(findFeature(config, "dvdPlusRDualLayer")).toMatchObject({ write: true });
    expect(findFeature(config, "powerManagement")).toMatchObject({ persistent: true, current: true });
    expect(findFeature(config, "timeout")).toMatchObject({ version: 1, group3: true, unitLength: 512 });
    expect(findFeature(config, "realTimeStreaming")).toMatchObject({ version: 4, rbcb: true, scs: true, mp2a: true, wspd: true, sw: true });
    expect(findFeature(config, "driveSerialNumber")).toMatchObject({ serialNumber: "K4F98B1519" });
    expect(findFeature(config, "firmwareInformation")).toMatchObject({
      century: "20", year: "09", month: "06", day: "12", hour: "10", minute: "32", second: "05",
    });
  });

  it("reads the firmware date", () => {
    const fw = findFeature(config, "firmwareInformation");
    expect(fw && firmwareDate(fw)?.toISOString()).toBe("2009-06-12T10:32:05.000Z");
    expect(fw && firmwareDate({ ...fw, month: "13" })).toBeUndefined();
    expect(fw && firmwareDate({ ...fw, day: "  " })).toBeUndefined();
  });

  it("keeps the vendor-specific feature raw with its header bits", () => {
    expect(findFeatureByCode(config, 0xff10)).toEqual({
      kind: "raw", code: 0xff10, version: 0, persistent: false, current: false, data: fromHex("deadbeef"),
    });
  });

  it("re-encodes to the same bytes", () => {
    expect(toHex(configurationCodec.encode(config))).toBe(toHex(bytes));
  });

  it("answers feature queries", () => {
    expect(hasFeature(config, FEATURE.dvdPlusR, true)).toBe(true);
    expect(hasFeature(config, FEATURE.dvdPlusRw, true)).toBe(false);
    expect(hasFeature(config, FEATURE.dvdPlusRw)).toBe(true);
    expect(hasFeature(config, FEATURE.bdRead)).toBe(false);
  });

  it("selects features per request type as a drive answers", () => {
    const all = config.features;
    expect(selectFeatures(all, CONFIGURATION_REQUEST_TYPE.all, 0x0100).map((f) => f.code)).toEqual([0x0100, 0x0105, 0x0107, 0x0108, 0x010c, 0xff10]);
    expect(selectFeatures(all, CONFIGURATION_REQUEST_TYPE.current, 0x0020).map((f) => f.code)).toEqual([0x002b, 0x0100, 0x0105, 0x0107, 0x0108, 0x010c]);
    expect(selectFeatures(all, CONFIGURATION_REQUEST_TYPE.one, 0x002f).map((f) => f.code)).toEqual([0x002f]);
    expect(selectFeatures(all, CONFIGURATION_REQUEST_TYPE.one, 0x0040)).toEqual([]);
  });

  it("decodes a response cut by the allocation length, dropping the partial descriptor", () => {
    const cut = configurationCodec.decode(bytes.subarray(0, 8 + 52 + 12 + 3));
    expect(cut.truncated).toEqual({ declaredLength: 312, availableLength: 75 });
    expect(cut.features.map((f) => f.code)).toEqual([0x0000, 0x0001]);
    // The 8-byte header alone, as read by a probe with allocation length 8.
    const probe = configurationCodec.decode(bytes.subarray(0, 8));
    expect(probe).toEqual({ currentProfile: 0x1b, features: [], truncated: { declaredLength: 312, availableLength: 8 } });
  });
});

describe("GET CONFIGURATION response: malformed and odd data", () => {
  it("rejects a buffer shorter than the feature header", () => {
    expect(() => configurationCodec.decode(fromHex("00000004 0000 00"))).toThrow(MalformedDataError);
  });

  it("rejects a data length that does not cover the header", () => {
    expect(() => configurationCodec.decode(fromHex("00000003 0000 0008"))).toThrow(/data length 3/);
  });

  it("rejects a descriptor that overruns a complete response", () => {
    // data length 12: header + 8 bytes, but the descriptor claims 8 body bytes (needs 12).
    const bad = fromHex("0000000c 0000 0008  0001 0b 08  00000002");
    try {
      configurationCodec.decode(bad);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MalformedDataError);
      expect((e as MalformedDataError).offset).toBe(8);
      expect((e as MalformedDataError).structure).toBe("GET CONFIGURATION response");
    }
  });

  it("rejects 1-3 stray bytes after the last descriptor", () => {
    expect(() => configurationCodec.decode(fromHex("00000006 0000 0008 0000"))).toThrow(MalformedDataError);
  });

  it("keeps a profile list with an odd length raw, with the reason", () => {
    const c = configurationCodec.decode(fromHex("0000000b 0000 0008  0000 03 03  000801"));
    expect(c.features[0]).toEqual({
      kind: "raw", code: 0, version: 0, persistent: true, current: true, data: fromHex("000801"),
      problem: "additional length 3 is not a multiple of 4",
    });
  });

  it("keeps a link-size list that overruns its descriptor raw", () => {
    const c = configurationCodec.decode(fromHex("00000010 0000 0009  0021 08 08  0001 00 09 07 00 00 00"));
    expect(c.features[0]).toMatchObject({ kind: "raw", code: 0x21, problem: "9 link sizes declared, 4 byte(s) present" });
  });

  it("decodes older, shorter versions with absent fields as 0/false", () => {
    // Core version 0 (MMC-3): 4-byte body without the INQ2/DBE byte.
    const c = configurationCodec.decode(fromHex("0000000c 0000 0008  0001 03 04  00000001"));
    expect(c.features[0]).toEqual({
      kind: "core", code: 1, version: 0, persistent: true, current: true, physicalInterfaceStandard: 1, inq2: false, dbe: false,
    });
    // DVD Read version 0: no body at all.
    const d = configurationCodec.decode(fromHex("00000008 0000 0010  001f 01 00"));
    expect(d.features[0]).toMatchObject({ kind: "dvdRead", multi110: false, dualLayerDvdR: false });
  });

  it("keeps bytes a newer version adds in `extra` and writes them back", () => {
    const bytes = fromHex("00000010 0000 0008  0002 0b 08  03000000 aabbccdd");
    const c = configurationCodec.decode(bytes);
    expect(c.features[0]).toEqual({
      kind: "morphing", code: 2, version: 2, persistent: true, current: true, ocEvent: true, async: true, extra: fromHex("aabbccdd"),
    });
    expect(toHex(configurationCodec.encode(c))).toBe(toHex(bytes));
  });

  it("keeps a known feature too short for any version raw", () => {
    const c = configurationCodec.decode(fromHex("0000000c 0000 0000  0010 00 04  00000800"));
    expect(c.features[0]).toMatchObject({ kind: "raw", code: 0x10, problem: "additional length 4, needs at least 8" });
  });

  it("round-trips an encoder-built response (what the emulated drive sends)", () => {
    const features: FeatureDescriptor[] = [
      { kind: "profileList", code: 0, version: 0, persistent: true, current: true, profiles: [{ profile: 0x43, current: true }, { profile: 0x41, current: false }] },
      { kind: "core", code: 1, version: 2, persistent: true, current: true, physicalInterfaceStandard: 7, inq2: true, dbe: false },
      { kind: "raw", code: 0x0142, version: 0, persistent: false, current: true, data: new Uint8Array(4) },
    ];
    const bytes = configurationCodec.encode({ currentProfile: 0x43, features });
    expect(toHex(bytes.subarray(0, 8))).toBe("0000002400000043");
    expect(configurationCodec.decode(bytes)).toEqual({ currentProfile: 0x43, features });
  });
});
