import { describe, expect, it } from "vitest";
import {
  FEATURE_TABLE,
  PROFILE,
  PROFILE_TABLE,
  featureName,
  identifyMedia,
  mediaFamilyOf,
  profileInfo,
  profileName,
  supportsTestWrite,
} from "../../src/features/index.js";

describe("feature code table", () => {
  it("names every MMC-6 feature code", () => {
    const expected: Record<number, string> = {
      0x0000: "Profile List", 0x0001: "Core", 0x0002: "Morphing", 0x0003: "Removable Medium", 0x0004: "Write Protect",
      0x0010: "Random Readable", 0x001d: "Multi-Read", 0x001e: "CD Read", 0x001f: "DVD Read", 0x0020: "Random Writable",
      0x0021: "Incremental Streaming Writable", 0x0022: "Sector Erasable", 0x0023: "Formattable",
      0x0024: "Hardware Defect Management", 0x0025: "Write Once", 0x0026: "Restricted Overwrite", 0x0027: "CD-RW CAV Write",
      0x0028: "MRW", 0x0029: "Enhanced Defect Reporting", 0x002a: "DVD+RW", 0x002b: "DVD+R",
      0x002c: "Rigid Restricted Overwrite", 0x002d: "CD Track at Once", 0x002e: "CD Mastering", 0x002f: "DVD-R/-RW Write",
      0x0033: "Layer Jump Recording", 0x0034: "LJ Rigid Restricted Overwrite", 0x0035: "Stop Long Operation",
      0x0037: "CD-RW Media Write Support", 0x0038: "BD-R Pseudo-Overwrite (POW)", 0x003a: "DVD+RW Dual Layer",
      0x003b: "DVD+R Dual Layer", 0x0040: "BD Read", 0x0041: "BD Write", 0x0042: "Timely Safe Recording (TSR)",
      0x0050: "HD DVD Read", 0x0051: "HD DVD Write", 0x0052: "HD DVD-RW Fragment Recording", 0x0080: "Hybrid Disc",
      0x0100: "Power Management", 0x0101: "S.M.A.R.T.", 0x0102: "Embedded Changer", 0x0103: "CD Audio External Play",
      0x0104: "Microcode Upgrade", 0x0105: "Timeout", 0x0106: "DVD CSS", 0x0107: "Real Time Streaming",
      0x0108: "Drive Serial Number", 0x0109: "Media Serial Number", 0x010a: "Disc Control Blocks", 0x010b: "DVD CPRM",
      0x010c: "Firmware Information", 0x010d: "AACS", 0x010e: "DVD CSS Managed Recording", 0x0110: "VCPS",
      0x0113: "SecurDisc", 0x0142: "OSSC",
    };
    for (const [code, name] of Object.entries(expected)) expect(featureName(Number(code))).toBe(name);
    expect(new Set(FEATURE_TABLE.map((f) => f.code)).size).toBe(FEATURE_TABLE.length);
  });

  it("names reserved and vendor-specific codes", () => {
    expect(featureName(0x01ff)).toBe("Reserved feature 01FFh");
    expect(featureName(0xff00)).toBe("Vendor-specific feature FF00h");
    expect(featureName(0xffff)).toBe("Vendor-specific feature FFFFh");
  });
});

describe("profile table", () => {
  it("names every MMC-6 profile", () => {
    const expected: Record<number, string> = {
      0x0000: "No current profile", 0x0001: "Non-removable disk", 0x0002: "Removable disk", 0x0003: "Magneto-optical erasable",
      0x0004: "Optical write once", 0x0005: "AS-MO", 0x0008: "CD-ROM", 0x0009: "CD-R", 0x000a: "CD-RW", 0x0010: "DVD-ROM",
      0x0011: "DVD-R sequential recording", 0x0012: "DVD-RAM", 0x0013: "DVD-RW restricted overwrite",
      0x0014: "DVD-RW sequential recording", 0x0015: "DVD-R DL sequential recording", 0x0016: "DVD-R DL layer jump recording",
      0x0017: "DVD-RW DL", 0x0018: "DVD-Download disc recording", 0x001a: "DVD+RW", 0x001b: "DVD+R", 0x002a: "DVD+RW DL",
      0x002b: "DVD+R DL", 0x0040: "BD-ROM", 0x0041: "BD-R sequential recording (SRM)", 0x0042: "BD-R random recording (RRM)",
      0x0043: "BD-RE", 0x0050: "HD DVD-ROM", 0x0051: "HD DVD-R", 0x0052: "HD DVD-RAM", 0x0053: "HD DVD-RW",
      0x0058: "HD DVD-R DL", 0x005a: "HD DVD-RW DL", 0xffff: "Non-conforming (no standard profile)",
    };
    for (const [code, name] of Object.entries(expected)) expect(profileName(Number(code))).toBe(name);
    expect(profileName(0x0030)).toBe("Reserved profile 0030h");
    expect(new Set(PROFILE_TABLE.map((p) => p.code)).size).toBe(PROFILE_TABLE.length);
  });

  it("records the media family and recording method", () => {
    expect(profileInfo(PROFILE.cdR)).toMatchObject({ family: "CD", kind: "write-once", recording: "sequential" });
    expect(profileInfo(PROFILE.dvdPlusRw)).toMatchObject({ family: "DVD", kind: "rewritable", recording: "random" });
    expect(profileInfo(PROFILE.dvdMinusRwRestrictedOverwrite)).toMatchObject({ recording: "restricted-overwrite" });
    expect(profileInfo(PROFILE.bdRe)).toMatchObject({ family: "BD", kind: "rewritable" });
    expect(profileInfo(PROFILE.hdDvdRDualLayer)).toMatchObject({ family: "HD DVD", dualLayer: true });
    expect(profileInfo(PROFILE.dvdRom)).toMatchObject({ kind: "rom", recording: "read-only" });
  });
});

describe("media identification", () => {
  it("allows test write only on CD-R/RW and sequential DVD-R/RW", () => {
    const simulating = PROFILE_TABLE.filter((p) => p.testWrite && !p.legacy).map((p) => p.code);
    expect(simulating).toEqual([0x0009, 0x000a, 0x0011, 0x0014, 0x0015, 0x0016]);
    for (const p of [PROFILE.dvdPlusR, PROFILE.dvdPlusRw, PROFILE.dvdPlusRDualLayer, PROFILE.bdRSequential, PROFILE.bdRe, PROFILE.dvdRam]) {
      expect(supportsTestWrite(p)).toBe(false);
    }
    expect(supportsTestWrite(0x1234)).toBe(false);
  });

  it("identifies a medium from its profile", () => {
    expect(identifyMedia(PROFILE.dvdPlusR)).toEqual({
      profile: 0x1b, name: "DVD+R", family: "DVD", known: true, writable: true, rewritable: false, sequential: true, testWrite: false, dualLayer: false,
    });
    expect(identifyMedia(PROFILE.cdRw)).toMatchObject({ family: "CD", writable: true, rewritable: true, testWrite: true });
    expect(identifyMedia(PROFILE.bdRom)).toMatchObject({ family: "BD", writable: false });
    expect(identifyMedia(0x0099)).toMatchObject({ known: false, writable: false, family: "none" });
    expect(mediaFamilyOf(PROFILE.hdDvdRam)).toBe("HD DVD");
    expect(mediaFamilyOf(0x7777)).toBe("none");
  });
});
