/** Golden vectors for the ISO 9660 / SUSP / RRIP codecs, one comment per field. */
import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "@discforge/bytes";
import { MalformedDataError } from "@discforge/errors";
import {
  decodeCE,
  decodeEntries,
  decodeLongDateTime,
  decodePX,
  decodeShortDateTime,
  decodeSLInto,
  decodeTF,
  DirectoryRecordCodec,
  encodeCE,
  encodeER,
  encodeLongDateTime,
  encodeNM,
  encodePN,
  encodePX,
  encodeShortDateTime,
  encodeSL,
  encodeSP,
  encodeTerminator,
  encodeTF,
  mapIsoNames,
  mapJolietNames,
  newSymlinkState,
  PathTableCodec,
  symlinkTarget,
  VolumeDescriptorCodec,
  RRIP_IDENTIFIERS,
} from "../src/index.js";

const hex = (s: string): string => s.replace(/\s+|\/\/[^\n]*/g, "");
const date = new Date(Date.UTC(2024, 4, 6, 7, 8, 9, 120));

describe("ECMA-119 dates", () => {
  it("9.1.5 seven-byte form", () => {
    expect(toHex(encodeShortDateTime(date))).toBe(
      hex(`7c // 124 years since 1900
           05 // May
           06 // day
           07 08 09 // 07:08:09
           00 // GMT offset 0 (we always write UTC)`),
    );
    // Offset +8 (two hours east): 09:08:09 local is 07:08:09 UTC.
    expect(decodeShortDateTime(fromHex("7c0506090809" + "08"), 0)?.toISOString()).toBe("2024-05-06T07:08:09.000Z");
    expect(decodeShortDateTime(new Uint8Array(7), 0)).toBeUndefined();
  });
  it("8.4.26.1 seventeen-byte form", () => {
    expect(toHex(encodeLongDateTime(date))).toBe(toHex(new TextEncoder().encode("2024050607080912")) + "00");
    expect(toHex(encodeLongDateTime(undefined))).toBe("30".repeat(16) + "00");
    expect(decodeLongDateTime(encodeLongDateTime(date), 0)?.getTime()).toBe(date.getTime());
    expect(() => decodeLongDateTime(fromHex("41".repeat(16) + "00"), 0)).toThrow(MalformedDataError);
  });
});

describe("ECMA-119 9.1 directory record", () => {
  const record = {
    extendedAttributeLength: 0,
    extent: 0x1234,
    dataLength: 5000,
    recorded: new Date(Date.UTC(2024, 4, 6, 7, 8, 9)),
    flags: 0x02,
    fileUnitSize: 0,
    interleaveGap: 0,
    volumeSequenceNumber: 1,
    identifier: new TextEncoder().encode("AB"),
    systemUse: fromHex("5252050181"),
  };
  const golden = hex(`2a // LEN_DR 42: 33 + 2 + 1 pad + 5 system use + 1 to make it even
    00 // extended attribute record length
    34120000 00001234 // extent, both-endian
    88130000 00001388 // data length 5000, both-endian
    7c0506070809 00 // recorded 2024-05-06 07:08:09 UTC
    02 // flags: directory
    00 00 // file unit size, interleave gap
    0100 0001 // volume sequence number 1, both-endian
    02 // LEN_FI
    4142 // "AB"
    00 // padding byte (LEN_FI even)
    5252050181 // system use: an RR entry
    00 // pad to even length`);
  it("encodes", () => expect(toHex(DirectoryRecordCodec.encode(record))).toBe(golden));
  it("decodes what it encodes", () => {
    const r = DirectoryRecordCodec.decode(fromHex(golden), 0)!;
    expect(r.extent).toBe(0x1234);
    expect(r.dataLength).toBe(5000);
    expect(r.flags).toBe(2);
    expect(toHex(r.identifier)).toBe("4142");
    expect(toHex(r.systemUse)).toBe("525205018100");
  });
  it("rejects a both-endian mismatch and a record running past its extent", () => {
    const bad = fromHex(golden);
    bad[9] = 0x35;
    expect(() => DirectoryRecordCodec.decode(bad, 0)).toThrow(/both-endian mismatch/);
    expect(() => DirectoryRecordCodec.decode(fromHex(golden).subarray(0, 40), 0)).toThrow(MalformedDataError);
  });
});

describe("ECMA-119 9.4 path table record", () => {
  it("L and M byte orders", () => {
    const out = new Uint8Array(20);
    const rec = { extendedAttributeLength: 0, extent: 0x17, parent: 1, identifier: new TextEncoder().encode("DIR") };
    expect(PathTableCodec.encodeInto(rec, true, out, 0)).toBe(12);
    expect(toHex(out.subarray(0, 12))).toBe(hex(`03 // LEN_DI
      00 // extended attribute length
      17000000 // extent, little-endian (L table)
      0100 // parent number 1
      444952 // "DIR"
      00 // pad: odd identifier length`));
    PathTableCodec.encodeInto(rec, false, out, 0);
    expect(toHex(out.subarray(0, 12))).toBe("030000000017" + "0001" + "444952" + "00");
    // Root (identifier 00, its own parent), then "DIR" under it.
    const table = fromHex("01001700000001000000" + "030018000000010044495200");
    expect(PathTableCodec.decodeTable(table, true).map((r) => [r.extent, r.parent, toHex(r.identifier)])).toEqual([
      [0x17, 1, "00"],
      [0x18, 1, "444952"],
    ]);
  });
  it("rejects a parent number that refers forward", () => {
    expect(() => PathTableCodec.decodeTable(fromHex("01001700000002000000"), true)).toThrow(/parent number 2/);
  });
});

describe("ECMA-119 8 volume descriptors", () => {
  it("terminator", () => expect(toHex(encodeTerminator().subarray(0, 8))).toBe("ff" + "4344303031" + "01" + "00"));
  it("round-trips a primary descriptor and checks identifier text", () => {
    const root = DirectoryRecordCodec.decode(
      DirectoryRecordCodec.encode({ extendedAttributeLength: 0, extent: 20, dataLength: 2048, recorded: undefined, flags: 2, fileUnitSize: 0, interleaveGap: 0, volumeSequenceNumber: 1, identifier: Uint8Array.of(0), systemUse: new Uint8Array(0) }),
      0,
    )!;
    const text = { systemId: "LINUX", volumeId: "MY_DISC", volumeSetId: "SET", publisherId: "PUB", dataPreparerId: "PREP", applicationId: "APP", copyrightFileId: "COPY.TXT;1", abstractFileId: "ABS.TXT;1", bibliographicFileId: "BIB.TXT;1" };
    const d = { type: 1 as const, version: 1, volumeFlags: 0, escapeSequences: new Uint8Array(32), ...text, volumeSpaceSize: 300, volumeSetSize: 1, volumeSequenceNumber: 1, logicalBlockSize: 2048, pathTableSize: 10, lPathTable: 19, optionalLPathTable: 0, mPathTable: 20, optionalMPathTable: 0, root, created: date, modified: date, expires: undefined, effective: undefined, fileStructureVersion: 1, applicationUse: new Uint8Array(512) };
    const bytes = VolumeDescriptorCodec.encode(d, "single");
    expect(toHex(bytes.subarray(0, 7))).toBe("01" + "4344303031" + "01");
    expect(toHex(bytes.subarray(80, 88))).toBe("2c010000" + "0000012c"); // volume space size 300
    expect(toHex(bytes.subarray(140, 144))).toBe("13000000"); // L path table at 19, LE
    expect(toHex(bytes.subarray(148, 152))).toBe("00000014"); // M path table at 20, BE
    const back = VolumeDescriptorCodec.decode(bytes, 16);
    expect({ ...back, root: undefined, escapeSequences: undefined, applicationUse: undefined }).toMatchObject({ ...text, volumeSpaceSize: 300, pathTableSize: 10 });
    const joliet = VolumeDescriptorCodec.encode({ ...d, type: 2, escapeSequences: Uint8Array.of(0x25, 0x2f, 0x45, ...new Uint8Array(29)), volumeId: "Ünï" }, "ucs2");
    expect(toHex(joliet.subarray(40, 48))).toBe("00dc006e00ef0020"); // UCS-2BE, space padded
    expect(VolumeDescriptorCodec.decode(joliet, 17).volumeId).toBe("Ünï");
  });
});

describe("SUSP 1.12 entries", () => {
  it("SP", () => expect(toHex(encodeSP())).toBe(hex("5350 07 01 beef 00 // SP, LEN 7, version 1, check bytes, LEN_SKP 0")));
  it("CE", () => {
    const ce = encodeCE({ block: 0x20, offset: 0x40, length: 0x64 });
    expect(toHex(ce)).toBe(hex(`4345 1c 01 // CE, LEN 28
      20000000 00000020 // block
      40000000 00000040 // offset
      64000000 00000064 // length`));
    expect(decodeCE(decodeEntries(ce, 0)[0]!, 0)).toEqual({ block: 0x20, offset: 0x40, length: 0x64 });
  });
  it("ER for RRIP 1.10 and 1.12", () => {
    const er = encodeER(RRIP_IDENTIFIERS.v110);
    expect(toHex(er.subarray(0, 8))).toBe(hex(`4552 ed 01 // ER, LEN 237
      0a 54 87 01 // LEN_ID 10, LEN_DES 84, LEN_SRC 135, EXT_VER 1`));
    expect(new TextDecoder().decode(er.subarray(8, 18))).toBe("RRIP_1991A");
    expect(new TextDecoder().decode(encodeER(RRIP_IDENTIFIERS.v112).subarray(8, 18))).toBe("IEEE_P1282");
  });
  it("entry walker stops at ST and rejects an entry running past the area", () => {
    expect(decodeEntries(fromHex("5353040153540401" + "5858040100"), 0).map((e) => e.signature)).toEqual(["SS"]);
    expect(() => decodeEntries(fromHex("50580901aa"), 100)).toThrow(/at offset 100/);
  });
});

describe("RRIP 1.12 entries", () => {
  it("PX with and without the 1.12 serial number", () => {
    const px = encodePX({ mode: 0o100644, links: 1, uid: 1000, gid: 100, serial: 7 }, true);
    expect(toHex(px)).toBe(hex(`5058 2c 01 // PX, LEN 44
      a4810000 000081a4 // st_mode 0100644
      01000000 00000001 // st_nlink
      e8030000 000003e8 // st_uid 1000
      64000000 00000064 // st_gid 100
      07000000 00000007 // st_ino (1.12 only)`));
    expect(encodePX({ mode: 0o40755, links: 2, uid: 0, gid: 0 }, false).length).toBe(36);
    expect(decodePX(decodeEntries(px, 0)[0]!, 0)).toEqual({ mode: 0o100644, links: 1, uid: 1000, gid: 100, serial: 7 });
  });
  it("PN", () => expect(toHex(encodePN(8, 1))).toBe("504e1401" + "0800000000000008" + "0100000000000001"));
  it("NM splits long names with CONTINUE", () => {
    const name = new Uint8Array(255).fill(0x61);
    const parts = encodeNM(name);
    expect(parts.map((p) => [p[2], p[4]])).toEqual([
      [255, 0x01], // 250 bytes of name, CONTINUE
      [10, 0x00], // the last 5 bytes
    ]);
    expect(toHex(encodeNM(new TextEncoder().encode("ab"))[0]!)).toBe("4e4d070100" + "6162");
  });
  it("SL components: root, parent, current and plain", () => {
    const sl = encodeSL(new TextEncoder().encode("/usr/../lib/./x"));
    expect(toHex(sl[0]!)).toBe(hex(`534c 18 01 00 // SL, LEN 24, flags 0
      0800 // ROOT
      0003 757372 // "usr"
      0400 // PARENT
      0003 6c6962 // "lib"
      0200 // CURRENT
      0001 78 // "x"`));
    const st = newSymlinkState();
    decodeSLInto(decodeEntries(sl[0]!, 0)[0]!, 0, st);
    expect(symlinkTarget(st)).toBe("/usr/../lib/./x");
  });
  it("TF short form", () => {
    const t = new Date(Date.UTC(2024, 4, 6, 7, 8, 9));
    const tf = encodeTF({ modify: t, access: t, attributes: t });
    expect(toHex(tf.subarray(0, 5))).toBe(hex("5446 1a 01 0e // TF, LEN 26, flags modify|access|attributes"));
    expect(decodeTF(decodeEntries(tf, 0)[0]!, 0).modify?.getTime()).toBe(t.getTime());
  });
});

describe("name mapping", () => {
  const iso = (names: [string, boolean][], level: 1 | 2 | 3 | "1999" = 1): string[] => mapIsoNames(names, { level, versionSuffix: true }).map((m) => m.identifier);
  it("level 1 is 8.3 d-characters with a version", () => {
    expect(iso([["hello.txt", false], ["My Documents", true], [".bashrc", false], ["archive.tar.gz", false]])).toEqual(["HELLO.TXT;1", "MY_DOCUM", "_BASHRC.;1", "ARCHIVE_.GZ;1"]);
  });
  it("collisions get numbered deterministically, in name order", () => {
    expect(iso([["longfilename2.txt", false], ["longfilename1.txt", false], ["LONGFILE.TXT", false]])).toEqual(["LONGF002.TXT;1", "LONGF001.TXT;1", "LONGFILE.TXT;1"]);
    expect(iso([["Readme", false], ["README", false], ["readme", false]], 3)).toEqual(["README001.;1", "README.;1", "README002.;1"]);
  });
  it("level 2/3 allow 30 characters; 1999 keeps case", () => {
    expect(iso([["a".repeat(40) + ".txt", false]], 3)).toEqual(["A".repeat(27) + ".TXT;1"]); // name + extension <= 30 (ECMA-119 7.5.1)
    expect(iso([["Mixed Case.txt", false]], "1999")).toEqual(["Mixed Case.txt"]);
  });
  it("Joliet: 64 units, forbidden characters, non-BMP policy, case-insensitive collisions", () => {
    const j = (names: [string, boolean][], nonBmp: "replace" | "surrogates" | "error" = "replace", maxLength: 64 | 103 = 64): string[] =>
      mapJolietNames(names, { maxLength, nonBmp, versionSuffix: true }).map((m) => m.identifier);
    expect(j([["a:b?.txt", false], ["Dir", true], ["dir", true]])).toEqual(["a_b_.txt;1", "Dir", "dir~1"]);
    expect(j([["x".repeat(80) + ".txt", false]])[0]).toBe("x".repeat(60) + ".txt;1");
    expect(j([["x".repeat(80) + ".txt", false]], "replace", 103)[0]).toBe("x".repeat(80) + ".txt;1");
    expect(j([["😀.txt", false]])).toEqual(["_.txt;1"]);
    expect(j([["😀.txt", false]], "surrogates")).toEqual(["😀.txt;1"]);
    expect(() => j([["😀.txt", false]], "error")).toThrow(/outside UCS-2/);
  });
});
