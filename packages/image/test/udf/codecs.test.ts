/** Golden vectors for the UDF codecs (ECMA-167 3rd edition, OSTA UDF 2.60). */
import { describe, expect, it } from "vitest";
import { crc16Ccitt, fromHex, toHex } from "@discforge/bytes";
import { MalformedDataError } from "@discforge/errors";
import {
  AnchorCodec,
  decodeCs0,
  decodeDstring,
  decodeDeviceAttributes,
  encodeDeviceAttributes,
  decodeSymlinkTarget,
  decodeTag,
  domainSuffix,
  encodeCs0,
  encodeDstringInto,
  encodeSymlinkTarget,
  EntityIdCodec,
  ExtAdCodec,
  FileEntryCodec,
  FileIdentifierDescriptorCodec,
  LogicalVolumeDescriptorCodec,
  LogicalVolumeIntegrityDescriptorCodec,
  LongAdCodec,
  metadataMap,
  modeFromPermissions,
  NO_BITMAP_FILE,
  parseUdfRevision,
  PartitionMapCodec,
  permissionsFromMode,
  ShortAdCodec,
  splitExtents,
  TerminatingDescriptorCodec,
  TimestampCodec,
  UDF_IDENTIFIERS,
  udfIdentifier,
  uniqueIdImplementationUse,
  verifyTag,
  VolumeStructureDescriptorCodec,
  FILE_TYPES,
  AD_TYPES,
  defaultUdfRevision,
} from "../../src/udf/index.js";

const hex = (...parts: string[]): string => parts.join("");

describe("descriptor tag (ECMA-167 3/7.2)", () => {
  it("CRC-16/CCITT matches the ECMA-167 1/7.2.6 example", () => {
    expect(crc16Ccitt(Uint8Array.of(0x70, 0x6a, 0x77))).toBe(0x3299);
  });

  it("terminating descriptor: identifier, version, checksum, CRC over 496 zero bytes, location", () => {
    const td = TerminatingDescriptorCodec.encode({ descriptorVersion: 3, tagLocation: 5 });
    expect(toHex(td.subarray(0, 16))).toBe(
      hex(
        "0800", // tag identifier 8
        "0300", // descriptor version 3 (NSR03)
        "01", // checksum: 8 + 3 + 0xf0 + 0x01 + 5 = 0x101 -> 0x01
        "00", // reserved
        "0000", // serial number
        "0000", // CRC of 496 zero bytes
        "f001", // CRC length 496
        "05000000", // tag location 5
      ),
    );
    expect(td.subarray(16).every((b) => b === 0)).toBe(true);
  });

  it("verification names the structure and offset of a bad checksum, CRC or location", () => {
    const td = TerminatingDescriptorCodec.encode({ descriptorVersion: 2, tagLocation: 9 });
    expect(verifyTag(td, 0, { structure: "TD", where: 0, location: 9 }).tagIdentifier).toBe(8);
    const badSum = td.slice();
    badSum[4] = badSum[4]! ^ 1;
    expect(() => verifyTag(badSum, 0, { structure: "TD", where: 4096 })).toThrow(/TD at offset 4096: tag checksum/);
    const badCrc = td.slice();
    badCrc[100] = 1;
    expect(() => verifyTag(badCrc, 0, { structure: "TD", where: 0 })).toThrow(/descriptor CRC/);
    expect(() => verifyTag(td, 0, { structure: "TD", where: 0, location: 10 })).toThrow(/tag location 9/);
    expect(() => verifyTag(td, 0, { structure: "TD", where: 0, identifier: 2 })).toThrow(MalformedDataError);
  });
});

describe("timestamp (ECMA-167 1/7.3)", () => {
  const golden = hex(
    "3c10", // type 1 (local time), time zone +60 minutes
    "e807", // year 2024
    "03", // month
    "05", // day
    "07", // hour (06:07 UTC at +01:00)
    "07", // minute
    "08", // second
    "0c", // centiseconds 12
    "1e", // hundreds of microseconds 30 (0.003 s)
    "00", // microseconds
  );
  it("encodes local time with its zone", () => {
    expect(toHex(TimestampCodec.encode(new Date("2024-03-05T06:07:08.123Z"), 60))).toBe(golden);
  });
  it("decodes back to the same instant and zone", () => {
    const d = TimestampCodec.decode(fromHex(golden))!;
    expect(d.date.toISOString()).toBe("2024-03-05T06:07:08.123Z");
    expect(d.offsetMinutes).toBe(60);
  });
  it("an all-zero timestamp is not recorded; invalid fields are malformed", () => {
    expect(TimestampCodec.decode(new Uint8Array(12))).toBeUndefined();
    const bad = fromHex(golden);
    bad[4] = 13;
    expect(() => TimestampCodec.decode(bad, 0, 700)).toThrow(/offset 700/);
  });
});

describe("entity identifier (ECMA-167 1/7.4, UDF 2.1.5)", () => {
  it("domain identifier with the UDF revision suffix", () => {
    const id = { flags: 0, identifier: UDF_IDENTIFIERS.domain, suffix: domainSuffix(0x0250) };
    const golden = hex(
      "00", // flags
      "2a4f5354412055444620436f6d706c69616e7400000000", // "*OSTA UDF Compliant", zero padded to 23
      "5002", // UDF revision 2.50
      "00", // domain flags
      "0000000000", // reserved
    );
    expect(toHex(EntityIdCodec.encode(id))).toBe(golden);
    expect(EntityIdCodec.decode(fromHex(golden)).identifier).toBe("*OSTA UDF Compliant");
  });
});

describe("OSTA CS0 and dstrings (UDF 2.1.1-2.1.3)", () => {
  it("8-bit compression for Latin-1, 16-bit big-endian otherwise, surrogates kept", () => {
    expect(toHex(encodeCs0("Ab"))).toBe("084162");
    expect(toHex(encodeCs0("é日"))).toBe(hex("10", "00e9", "65e5"));
    expect(toHex(encodeCs0("😀"))).toBe(hex("10", "d83d", "de00"));
    for (const s of ["Ab", "é日", "😀", "ünïcödé"]) expect(decodeCs0(encodeCs0(s))).toBe(s);
    expect(() => decodeCs0(Uint8Array.of(7, 65))).toThrow(/compression ID 7/);
  });
  it("dstring: used length in the last byte", () => {
    const d = new Uint8Array(8);
    encodeDstringInto("CD", 8, d, 0);
    expect(toHex(d)).toBe(hex("08", "4344", "00000000", "03"));
    expect(decodeDstring(d, 0, 8)).toBe("CD");
    expect(() => encodeDstringInto("ABCDEFGH", 8, d, 0)).toThrow(/needs 9 bytes/);
    encodeDstringInto("ABCDEFGH", 8, d, 0, true);
    expect(decodeDstring(d, 0, 8)).toBe("ABCDEF");
    d[7] = 9;
    expect(() => decodeDstring(d, 0, 8)).toThrow(MalformedDataError);
  });
  it("names over 255 bytes are shortened deterministically or refused", () => {
    const long = "a".repeat(251) + ".txt";
    const short = udfIdentifier(long, "/x");
    expect(encodeCs0(short).length).toBeLessThanOrEqual(255);
    expect(short).toMatch(/^a+#[0-9A-F]{4}\.txt$/);
    expect(udfIdentifier(long, "/x")).toBe(short);
    expect(() => udfIdentifier(long, "/x", "error")).toThrow(/255 bytes/);
    expect(udfIdentifier("é".repeat(127) + "x", "/y")).toBe("é".repeat(127) + "x");
  });
});

describe("allocation descriptors (ECMA-167 3/7.1, 4/14.14)", () => {
  it("short_ad: type in the top two bits", () => {
    const b = new Uint8Array(8);
    ShortAdCodec.encodeInto({ type: 1, length: 0x800, position: 0x1234 }, b, 0);
    expect(toHex(b)).toBe(hex("00080040", "34120000")); // length 0x800 | type 1 << 30; position
    expect(ShortAdCodec.decode(b, 0)).toEqual({ type: 1, length: 0x800, position: 0x1234 });
  });
  it("long_ad with the unique ID in its implementation use (UDF 2.3.4.3)", () => {
    const b = new Uint8Array(16);
    LongAdCodec.encodeInto({ type: 0, length: 2048, location: { logicalBlockNumber: 5, partitionReferenceNumber: 1 }, implementationUse: uniqueIdImplementationUse(0x10) }, b, 0);
    expect(toHex(b)).toBe(hex("00080000", "05000000", "0100", "0000", "10000000"));
  });
  it("ext_ad", () => {
    const b = new Uint8Array(20);
    ExtAdCodec.encodeInto({ type: 0, length: 4096, recordedLength: 4096, informationLength: 4000, location: { logicalBlockNumber: 7, partitionReferenceNumber: 0 } }, b, 0);
    expect(toHex(b)).toBe(hex("00100000", "00100000", "a00f0000", "07000000", "0000", "0000"));
    expect(ExtAdCodec.decode(b, 0).informationLength).toBe(4000);
  });
  it("extents split below 2^30 on block boundaries, any file size", () => {
    const size = 5 * 2 ** 30 + 123;
    const parts = splitExtents(size, 100);
    expect(parts.reduce((n, p) => n + p.length, 0)).toBe(size);
    expect(parts.every((p) => p.length <= 0x3fff_ffff)).toBe(true);
    expect(parts.slice(0, -1).every((p) => p.length % 2048 === 0)).toBe(true);
    expect(parts[1]!.block).toBe(100 + parts[0]!.length / 2048);
    expect(parts).toHaveLength(6);
    expect(() => ShortAdCodec.encodeInto({ type: 0, length: 2 ** 30, position: 0 }, new Uint8Array(8), 0)).toThrow(/2\^30/);
  });
});

describe("volume structures", () => {
  it("volume structure descriptor (ECMA-167 2/9.1)", () => {
    expect(toHex(VolumeStructureDescriptorCodec.encode("NSR03").subarray(0, 7))).toBe(hex("00", "4e53523033", "01"));
  });
  it("anchor volume descriptor pointer (3/10.2)", () => {
    const a = AnchorCodec.encode({ mainVolumeDescriptorSequence: { length: 32768, location: 22 }, reserveVolumeDescriptorSequence: { length: 32768, location: 38 } }, { descriptorVersion: 3, tagLocation: 256 });
    expect(toHex(a.subarray(0, 32))).toBe(
      hex(
        "0200", // tag identifier 2
        "0300", // version 3
        "fd", // checksum
        "00",
        "0000", // serial
        "26e0", // CRC
        "f001", // CRC length 496
        "00010000", // location 256
        "00800000", // main VDS length 32768
        "16000000", // main VDS location 22
        "00800000", // reserve VDS length
        "26000000", // reserve VDS location 38
      ),
    );
    expect(AnchorCodec.decode(a, 0, 0, 256).reserveVolumeDescriptorSequence.location).toBe(38);
    expect(() => AnchorCodec.decode(a, 0, 0, 257)).toThrow(/tag location 256/);
  });
  it("metadata partition map (3/10.7.3, UDF 2.2.10)", () => {
    const m = metadataMap({ volumeSequenceNumber: 1, partitionNumber: 0, metadataFileLocation: 2, metadataMirrorFileLocation: 3, metadataBitmapFileLocation: NO_BITMAP_FILE, allocationUnitSize: 32, alignmentUnitSize: 1, flags: 1 }, 0x250);
    const b = new Uint8Array(64);
    PartitionMapCodec.encodeInto(m, b, 0);
    expect(toHex(b)).toBe(
      hex(
        "02", // type 2
        "40", // length 64
        "0000", // reserved
        "00", // regid flags
        "2a554446204d6574616461746120506172746974696f6e", // "*UDF Metadata Partition"
        "5002", // UDF revision 2.50
        "04", // OS class UNIX
        "00", // OS identifier
        "00000000", // reserved
        "0100", // volume sequence number
        "0000", // partition number
        "02000000", // metadata file location
        "03000000", // mirror location
        "ffffffff", // no bitmap file
        "20000000", // allocation unit 32 blocks
        "0100", // alignment unit
        "01", // duplicate metadata flag
        "0000000000", // reserved
      ),
    );
    expect(PartitionMapCodec.decode(b, 0, 0)).toMatchObject({ kind: "metadata", metadataMirrorFileLocation: 3, allocationUnitSize: 32 });
  });
  it("logical volume descriptor with two maps round-trips and rejects a short map table", () => {
    const lvd = {
      volumeDescriptorSequenceNumber: 4,
      logicalVolumeIdentifier: "VOL",
      logicalBlockSize: 2048,
      domainIdentifier: { flags: 0, identifier: UDF_IDENTIFIERS.domain, suffix: domainSuffix(0x0260) },
      fileSetDescriptor: { type: 0 as const, length: 2048, location: { logicalBlockNumber: 0, partitionReferenceNumber: 1 }, implementationUse: new Uint8Array(6) },
      implementationIdentifier: { flags: 0, identifier: "*x", suffix: new Uint8Array(8) },
      integritySequenceExtent: { length: 4096, location: 54 },
      partitionMaps: [{ type: 1 as const, volumeSequenceNumber: 1, partitionNumber: 0 }, metadataMap({ volumeSequenceNumber: 1, partitionNumber: 0, metadataFileLocation: 0, metadataMirrorFileLocation: 1, metadataBitmapFileLocation: NO_BITMAP_FILE, allocationUnitSize: 32, alignmentUnitSize: 1, flags: 1 }, 0x260)],
    };
    const b = LogicalVolumeDescriptorCodec.encode(lvd, { descriptorVersion: 3, tagLocation: 25 });
    expect(toHex(b.subarray(264, 272))).toBe(hex("46000000", "02000000")); // map table length 70, two maps
    const back = LogicalVolumeDescriptorCodec.decode(b, 0, 0);
    expect(back.partitionMaps).toHaveLength(2);
    expect(back.logicalVolumeIdentifier).toBe("VOL");
    expect(decodeTag(b).descriptorCrcLength).toBe(440 + 70 - 16);
  });
  it("integrity descriptor: tables and the UDF implementation use (2.2.6.4)", () => {
    const b = LogicalVolumeIntegrityDescriptorCodec.encode(
      { recordingDateAndTime: new Date(0), integrityType: 1, nextIntegrityExtent: { length: 0, location: 0 }, uniqueId: 42, freeSpaceTable: [0, 0], sizeTable: [1000, 32], implementationId: { flags: 0, identifier: "*x", suffix: new Uint8Array(8) }, numberOfFiles: 7, numberOfDirectories: 3, minimumUdfReadRevision: 0x250, minimumUdfWriteRevision: 0x260, maximumUdfWriteRevision: 0x260 },
      { descriptorVersion: 3, tagLocation: 54 },
    );
    expect(toHex(b.subarray(72, 96))).toBe(hex("02000000", "2e000000", "00000000", "00000000", "e8030000", "20000000"));
    expect(toHex(b.subarray(96 + 32, 96 + 46))).toBe(hex("07000000", "03000000", "5002", "6002", "6002"));
    expect(LogicalVolumeIntegrityDescriptorCodec.decode(b, 0, 0)).toMatchObject({ uniqueId: 42, numberOfFiles: 7, numberOfDirectories: 3, sizeTable: [1000, 32] });
  });
});

describe("file structures", () => {
  it("file identifier descriptor (4/14.4): padded to 4 bytes, CRC over the padded length", () => {
    const f = FileIdentifierDescriptorCodec.encode(
      { fileVersionNumber: 1, fileCharacteristics: 2, icb: { type: 0, length: 2048, location: { logicalBlockNumber: 9, partitionReferenceNumber: 0 }, implementationUse: uniqueIdImplementationUse(17) }, implementationUse: new Uint8Array(0), fileIdentifier: encodeCs0("dir") },
      { descriptorVersion: 2, tagLocation: 3 },
    );
    expect(toHex(f)).toBe(
      hex(
        "0101", // tag identifier 257
        "0200", // version 2
        "39", // checksum
        "00",
        "0000", // serial
        "c74f", // CRC
        "1c00", // CRC length 28 (44 - 16)
        "03000000", // tag location
        "0100", // file version number
        "02", // characteristics: directory
        "04", // identifier length
        "00080000", "09000000", "0000", "0000", "11000000", // ICB long_ad, unique ID 17
        "0000", // implementation use length
        "08646972", // "dir" in CS0
        "0000", // padding
      ),
    );
    const { fid, size } = FileIdentifierDescriptorCodec.decode(f, 0, 0, 3);
    expect(size).toBe(44);
    expect(decodeCs0(fid.fileIdentifier)).toBe("dir");
    expect(() => FileIdentifierDescriptorCodec.decode(f.subarray(0, 40), 0, 8192)).toThrow(/offset 8192/);
  });
  it("file entry (4/14.9) and extended file entry (4/14.17) round-trip", () => {
    for (const extended of [false, true]) {
      const ads = new Uint8Array(8);
      ShortAdCodec.encodeInto({ type: 0, length: 5000, position: 40 }, ads, 0);
      const fe = {
        extended,
        icbTag: { priorRecordedNumberOfDirectEntries: 0, strategyType: 4, maximumNumberOfEntries: 1, fileType: FILE_TYPES.file, parentIcbLocation: { logicalBlockNumber: 0, partitionReferenceNumber: 0 }, flags: AD_TYPES.short },
        uid: 1000,
        gid: 100,
        permissions: permissionsFromMode(0o640),
        fileLinkCount: 2,
        informationLength: 5000,
        logicalBlocksRecorded: 3,
        accessTime: new Date("2020-01-01T00:00:00Z"),
        modificationTime: new Date("2021-01-01T00:00:00Z"),
        creationTime: extended ? new Date("2019-01-01T00:00:00Z") : undefined,
        attributeTime: new Date("2022-01-01T00:00:00Z"),
        implementationIdentifier: { flags: 0, identifier: "*discforge", suffix: new Uint8Array(8) },
        uniqueId: 99,
        extendedAttributes: new Uint8Array(0),
        allocationDescriptors: ads,
      };
      const b = FileEntryCodec.encode(fe, { descriptorVersion: 3, tagLocation: 12 });
      expect(b.length).toBe((extended ? 216 : 176) + 8);
      expect(toHex(b.subarray(0, 2))).toBe(extended ? "0a01" : "0501");
      const back = FileEntryCodec.decode(b, 0, 0, 12);
      expect(back).toMatchObject({ extended, uid: 1000, gid: 100, fileLinkCount: 2, informationLength: 5000, uniqueId: 99 });
      expect(back.modificationTime?.toISOString()).toBe("2021-01-01T00:00:00.000Z");
      expect(modeFromPermissions(back.permissions)).toBe(0o640);
    }
  });
  it("file entry times carry the chosen time zone (ECMA-167 1/7.3.1)", () => {
    const fe = {
      extended: false,
      icbTag: { priorRecordedNumberOfDirectEntries: 0, strategyType: 4, maximumNumberOfEntries: 1, fileType: FILE_TYPES.file, parentIcbLocation: { logicalBlockNumber: 0, partitionReferenceNumber: 0 }, flags: AD_TYPES.short },
      uid: 0, gid: 0, permissions: 0, fileLinkCount: 1, informationLength: 0, logicalBlocksRecorded: 0,
      accessTime: undefined, modificationTime: new Date("2024-01-01T00:30:00Z"), creationTime: undefined, attributeTime: undefined,
      implementationIdentifier: { flags: 0, identifier: "*x", suffix: new Uint8Array(8) }, uniqueId: 16,
      extendedAttributes: new Uint8Array(0), allocationDescriptors: new Uint8Array(0), timeZoneMinutes: -300,
    };
    const b = FileEntryCodec.encode(fe, { descriptorVersion: 2, tagLocation: 1 });
    expect(toHex(b.subarray(84, 96))).toBe(hex("d41e", "e707", "0c", "1f", "13", "1e", "00", "00", "00", "00")); // type 1, -300 min; 2023-12-31 19:30
    expect(FileEntryCodec.decode(b, 0, 0).modificationTime?.toISOString()).toBe("2024-01-01T00:30:00.000Z");
  });
  it("permissions (4/14.9.5): write also grants delete and change-attribute", () => {
    expect(permissionsFromMode(0o754).toString(16)).toBe("7ca4");
    expect(modeFromPermissions(0x7ca4)).toBe(0o754);
  });
  it("symbolic link path components (4/14.16)", () => {
    const b = encodeSymlinkTarget("/usr/../bin/./sh");
    expect(toHex(b)).toBe(hex("02000000", "050400000875737", "2", "03000000", "0504000008", "62696e", "04000000", "05030000", "087368"));
    expect(decodeSymlinkTarget(b)).toBe("/usr/../bin/./sh");
    expect(decodeSymlinkTarget(encodeSymlinkTarget("a/b c/日本"))).toBe("a/b c/日本");
    expect(() => decodeSymlinkTarget(Uint8Array.of(5, 9, 0, 0, 8))).toThrow(/path component/);
  });
});

describe("extended attributes (ECMA-167 4/14.10)", () => {
  it("header descriptor and device specification", () => {
    const ea = encodeDeviceAttributes(8, 1, { descriptorVersion: 3, tagLocation: 40 });
    expect(toHex(ea.subarray(16))).toBe(
      hex(
        "30000000", // implementation attributes location: past the 48-byte space
        "30000000", // application attributes location
        "0c000000", // attribute type 12: device specification
        "01", // subtype 1
        "000000", // reserved
        "18000000", // attribute length 24
        "00000000", // implementation use length
        "08000000", // major
        "01000000", // minor
      ),
    );
    expect(decodeTag(ea).descriptorCrcLength).toBe(8);
    expect(decodeDeviceAttributes(ea, 0)).toEqual({ major: 8, minor: 1 });
    const bad = ea.slice();
    bad[32] = 200; // attribute length past the space
    expect(() => decodeDeviceAttributes(bad, 500)).toThrow(/offset 524/);
  });
});

describe("revisions", () => {
  it("parses revision spellings and picks media defaults", () => {
    expect(parseUdfRevision("2.5")).toBe("2.50");
    expect(parseUdfRevision("102")).toBe("1.02");
    expect(() => parseUdfRevision("3.00")).toThrow(/not one of/);
    expect(defaultUdfRevision("bd")).toBe("2.50");
    expect(defaultUdfRevision("dvd")).toBe("1.02");
  });
});
