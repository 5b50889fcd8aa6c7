import { fromHex, toHex } from "@discforge/bytes";
import { MalformedDataError } from "@discforge/errors";
import { describe, expect, it } from "vitest";
import {
  DECODED_FEATURE_CODES,
  FEATURE,
  FEATURE_TABLE,
  decodeFeatureDescriptor,
  encodeFeatureDescriptor,
  featureDescriptorCodec,
  type FeatureDescriptor,
} from "../../src/features/index.js";

interface Vector {
  readonly title: string;
  readonly hex: string;
  readonly value: FeatureDescriptor;
}

// One golden vector per feature not already covered by the full drive response.
const VECTORS: readonly Vector[] = [
  {
    title: "Write Protect (0004h)",
    hex: `00 04 07 04   # code, version 1 / persistent / current, length 4
          0f 00 00 00   # DWP, WDCB, SPWP, SSWPP`,
    value: { kind: "writeProtect", code: 4, version: 1, persistent: true, current: true, dwp: true, wdcb: true, spwp: true, sswpp: true },
  },
  {
    title: "Formattable (0023h) with every bit",
    hex: `00 23 09 08   # version 2, current
          8f 00 00 00   # FRF, RENoSA, Expand, QCert, Cert
          01 00 00 00   # RRM`,
    value: { kind: "formattable", code: 0x23, version: 2, persistent: false, current: true, frf: true, reNoSa: true, expand: true, qCert: true, cert: true, rrm: true },
  },
  {
    title: "Write Once (0025h)",
    hex: `00 25 01 08   # current
          00 00 08 00   # logical block size 2048
          00 20         # blocking 32
          00 00         # PP clear`,
    value: { kind: "writeOnce", code: 0x25, version: 0, persistent: false, current: true, logicalBlockSize: 2048, blocking: 32, pp: false },
  },
  {
    title: "CD-RW CAV Write (0027h)",
    hex: `00 27 01 04  00 00 00 00`,
    value: { kind: "cdRwCavWrite", code: 0x27, version: 0, persistent: false, current: true },
  },
  {
    title: "Enhanced Defect Reporting (0029h)",
    hex: `00 29 05 04   # version 1, current
          01            # DRT-DM
          04            # 4 DBI cache zones
          01 00         # 256 entries`,
    value: { kind: "enhancedDefectReporting", code: 0x29, version: 1, persistent: false, current: true, drtDm: true, dbiCacheZones: 4, numberOfEntries: 256 },
  },
  {
    title: "CD-RW Media Write Support (0037h)",
    hex: `00 37 01 04   # current
          00            # reserved
          06            # subtypes 1 and 2
          00 00`,
    value: { kind: "cdRwMediaWriteSupport", code: 0x37, version: 0, persistent: false, current: true, subtypesSupported: 6 },
  },
  {
    title: "BD-R POW (0038h)",
    hex: `00 38 00 04  00 00 00 00`,
    value: { kind: "bdRPow", code: 0x38, version: 0, persistent: false, current: false },
  },
  {
    title: "DVD+RW Dual Layer (003Ah)",
    hex: `00 3a 00 04   # not current
          01            # write
          03            # quick start, close only
          00 00`,
    value: { kind: "dvdPlusRwDualLayer", code: 0x3a, version: 0, persistent: false, current: false, write: true, quickStart: true, closeOnly: true },
  },
  {
    title: "BD Read (0040h)",
    hex: `00 40 05 1c   # version 1, current, length 28
          01 00 00 00   # BCA, reserved
          00 06 00 00 00 00 00 00   # BD-RE class 0 versions 1-2
          00 02 00 00 00 00 00 00   # BD-R class 0 version 1
          00 02 00 00 00 00 00 00   # BD-ROM class 0 version 1`,
    value: {
      kind: "bdRead", code: 0x40, version: 1, persistent: false, current: true, bca: true,
      bdReReadSupport: [6, 0, 0, 0], bdRReadSupport: [2, 0, 0, 0], bdRomReadSupport: [2, 0, 0, 0],
    },
  },
  {
    title: "BD Write (0041h)",
    hex: `00 41 05 14   # version 1, current, length 20
          01 00 00 00   # SVNR, reserved
          00 06 00 00 00 00 00 00   # BD-RE class 0 versions 1-2
          00 02 00 00 00 00 00 00   # BD-R class 0 version 1`,
    value: { kind: "bdWrite", code: 0x41, version: 1, persistent: false, current: true, svnr: true, bdReWriteSupport: [6, 0, 0, 0], bdRWriteSupport: [2, 0, 0, 0] },
  },
  {
    title: "S.M.A.R.T. (0101h)",
    hex: `01 01 03 04  01 00 00 00   # PP`,
    value: { kind: "smart", code: 0x101, version: 0, persistent: true, current: true, pp: true },
  },
  {
    title: "Embedded Changer (0102h)",
    hex: `01 02 03 04   # persistent, current
          14 00 00      # SCC, SDP
          04            # highest slot number 4`,
    value: { kind: "embeddedChanger", code: 0x102, version: 0, persistent: true, current: true, scc: true, sdp: true, highestSlotNumber: 4 },
  },
  {
    title: "Microcode Upgrade (0104h)",
    hex: `01 04 07 04  01 00 00 00   # version 1, M5`,
    value: { kind: "microcodeUpgrade", code: 0x104, version: 1, persistent: true, current: true, m5: true },
  },
  {
    title: "DVD CSS (0106h)",
    hex: `01 06 01 04  00 00 00 01   # CSS version 1`,
    value: { kind: "dvdCss", code: 0x106, version: 0, persistent: false, current: true, cssVersion: 1 },
  },
  {
    title: "Media Serial Number (0109h)",
    hex: `01 09 01 00`,
    value: { kind: "mediaSerialNumber", code: 0x109, version: 0, persistent: false, current: true },
  },
  {
    title: "DVD CPRM (010Bh)",
    hex: `01 0b 01 04  00 00 00 01   # CPRM version 1`,
    value: { kind: "dvdCprm", code: 0x10b, version: 0, persistent: false, current: true, cprmVersion: 1 },
  },
  {
    title: "AACS (010Dh)",
    hex: `01 0d 09 04   # version 2, current
          01            # BNG
          10            # block count for binding nonce 16
          04            # 4 AGIDs
          01            # AACS version 1`,
    value: { kind: "aacs", code: 0x10d, version: 2, persistent: false, current: true, bng: true, blockCountForBindingNonce: 16, numberOfAgids: 4, aacsVersion: 1 },
  },
  {
    title: "HD DVD Read (0050h)",
    hex: `00 50 01 04   # current
          01 00         # HD DVD-R
          01 00         # HD DVD-RAM`,
    value: { kind: "hdDvdRead", code: 0x50, version: 0, persistent: false, current: true, hdDvdR: true, hdDvdRam: true },
  },
  {
    title: "HD DVD Write (0051h)",
    hex: `00 51 00 04  01 00 00 00   # HD DVD-R only`,
    value: { kind: "hdDvdWrite", code: 0x51, version: 0, persistent: false, current: false, hdDvdR: true, hdDvdRam: false },
  },
  {
    title: "Hybrid Disc (0080h)",
    hex: `00 80 01 04  01 00 00 00   # RI`,
    value: { kind: "hybridDisc", code: 0x80, version: 0, persistent: false, current: true, ri: true },
  },
  {
    title: "CD Audio External Play (0103h)",
    hex: `01 03 01 04   # current
          07 00         # scan, SCM, SV
          01 00         # 256 volume levels`,
    value: { kind: "cdAudioExternalPlay", code: 0x103, version: 0, persistent: false, current: true, scan: true, scm: true, sv: true, numberOfVolumeLevels: 256 },
  },
  {
    title: "Disc Control Blocks (010Ah)",
    hex: `01 0a 01 08   # current, 2 entries
          46 44 43 00   # "FDC\0": format DCB
          53 44 43 00   # "SDC\0": session DCB`,
    value: { kind: "discControlBlocks", code: 0x10a, version: 0, persistent: false, current: true, supportedDcbEntries: [0x46444300, 0x53444300] },
  },
  {
    title: "DVD CSS Managed Recording (010Eh)",
    hex: `01 0e 01 04  08 00 00 00   # 8 scramble extent entries`,
    value: { kind: "dvdCssManagedRecording", code: 0x10e, version: 0, persistent: false, current: true, maxScrambleExtentEntries: 8 },
  },
  {
    title: "SecurDisc (0113h)",
    hex: `01 13 01 04  00 00 00 00`,
    value: { kind: "securDisc", code: 0x113, version: 0, persistent: false, current: true },
  },
  {
    title: "Incremental Streaming Writable (0021h) with TRIO, ARSV and 4 link sizes",
    hex: `00 21 0d 08   # version 3, current
          ff ff         # all data block types
          07            # TRIO, ARSV, BUF
          04            # 4 link sizes
          00 07 10 20   # 0, 7, 16, 32`,
    value: {
      kind: "incrementalStreamingWritable", code: 0x21, version: 3, persistent: false, current: true,
      dataBlockTypesSupported: 0xffff, trio: true, arsv: true, buf: true, linkSizes: [0, 7, 16, 32],
    },
  },
];

describe("feature descriptor golden vectors", () => {
  for (const v of VECTORS) {
    it(`decodes and encodes ${v.title}`, () => {
      const bytes = fromHex(v.hex);
      expect(decodeFeatureDescriptor(bytes)).toEqual(v.value);
      expect(toHex(encodeFeatureDescriptor(v.value))).toBe(toHex(bytes));
      expect(featureDescriptorCodec.decode(featureDescriptorCodec.encode(v.value))).toEqual(v.value);
    });
  }

  it("decodes every feature the issue lists into named fields", () => {
    const required = [
      0x0000, 0x0001, 0x0002, 0x0003, 0x0010, 0x001d, 0x001e, 0x001f, 0x0020, 0x0021, 0x0023, 0x0024, 0x0025, 0x0026, 0x0027,
      0x0028, 0x0029, 0x002a, 0x002b, 0x002c, 0x002d, 0x002e, 0x002f, 0x0033, 0x0037, 0x0038, 0x003a, 0x003b, 0x0040, 0x0041,
      0x0100, 0x0105, 0x0107, 0x0108, 0x0109, 0x010c,
    ];
    for (const code of required) expect(DECODED_FEATURE_CODES, `feature ${code.toString(16)}h`).toContain(code);
    for (const code of DECODED_FEATURE_CODES) expect(FEATURE_TABLE.some((f) => f.code === code)).toBe(true);
  });
});

describe("feature descriptor edge cases", () => {
  it("rejects a header shorter than 4 bytes and a body that disagrees with ADDITIONAL LENGTH", () => {
    expect(() => decodeFeatureDescriptor(fromHex("0001 03"))).toThrow(MalformedDataError);
    expect(() => decodeFeatureDescriptor(fromHex("0001 03 08 00000002"), 100)).toThrow(/offset 103/);
  });

  it("keeps reserved codes raw and the header bits intact", () => {
    expect(decodeFeatureDescriptor(fromHex("0150 3f 04 01020304"))).toEqual({
      kind: "raw", code: 0x150, version: 15, persistent: true, current: true, data: fromHex("01020304"),
    });
  });

  it("refuses to encode a kind under another feature's code", () => {
    expect(() =>
      encodeFeatureDescriptor({ kind: "dvdPlusR", code: FEATURE.dvdPlusRw, version: 0, persistent: false, current: true, write: true }),
    ).toThrow(/code/);
  });

  it("refuses out-of-range encoder fields", () => {
    const core = { kind: "core", code: 1, version: 16, persistent: false, current: false, physicalInterfaceStandard: 1, inq2: false, dbe: false } as const;
    expect(() => encodeFeatureDescriptor(core)).toThrow(/version/);
    expect(() =>
      encodeFeatureDescriptor({ kind: "firmwareInformation", code: 0x10c, version: 0, persistent: true, current: true, century: "2", year: "09", month: "06", day: "12", hour: "10", minute: "32", second: "05" }),
    ).toThrow(/century/);
  });

  it("pads the drive serial number to a multiple of 4 with spaces", () => {
    const bytes = encodeFeatureDescriptor({ kind: "driveSerialNumber", code: 0x108, version: 0, persistent: true, current: true, serialNumber: "ABCDE" });
    expect(toHex(bytes)).toBe("01080308" + "4142434445202020");
  });
});
