import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "@discforge/bytes";
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";
import {
  BootCatalogCodec,
  BootInfoTableCodec,
  BootRecordVolumeDescriptorCodec,
  GPT_PARTITION_TYPES,
  GptHeaderCodec,
  GptPartitionEntryCodec,
  MbrCodec,
  bootInfoChecksum,
  chsField,
  crc32,
  decodeGuid,
  encodeGuid,
  isElToritoBootRecord,
  patchBootInfoTable,
  verifyBootInfoTable,
  type BootCatalog,
} from "../../src/boot/index.js";

describe("CRC-32 and GUIDs", () => {
  it("computes the IEEE CRC-32 check value", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    // Continuing over two buffers equals one pass.
    expect(crc32(new TextEncoder().encode("6789"), crc32(new TextEncoder().encode("12345")))).toBe(0xcbf43926);
  });

  it("stores GUIDs mixed-endian", () => {
    const esp = encodeGuid(GPT_PARTITION_TYPES.efiSystem);
    expect(toHex(esp)).toBe(
      "28732ac1" + // C12A7328 little-endian
        "1ff8" + // F81F little-endian
        "d211" + // 11D2 little-endian
        "ba4b" + // BA4B as stored
        "00a0c93ec93b", // node as stored
    );
    expect(decodeGuid(esp)).toBe(GPT_PARTITION_TYPES.efiSystem);
    expect(toHex(encodeGuid(GPT_PARTITION_TYPES.basicData))).toBe("a2a0d0ebe5b9334487c068b6b72699c7");
    expect(() => encodeGuid("not-a-guid")).toThrow(InvalidArgumentError);
  });
});

describe("Boot Record Volume Descriptor (El Torito 2.0)", () => {
  it("encodes the golden sector", () => {
    const bytes = BootRecordVolumeDescriptorCodec.encode({ bootCatalogLba: 33 });
    expect(bytes.length).toBe(2048);
    expect(toHex(bytes.subarray(0, 80))).toBe(
      "00" + // boot record indicator
        "4344303031" + // "CD001"
        "01" + // version
        "454c20544f5249544f2053504543494649434154494f4e" + "00".repeat(9) + // "EL TORITO SPECIFICATION", zero-padded to 32
        "00".repeat(32) + // boot identifier, unused
        "21000000" + // catalog LBA 33, little-endian
        "0000000000",
    );
    expect(bytes.subarray(75).every((b) => b === 0)).toBe(true);
    expect(BootRecordVolumeDescriptorCodec.decode(bytes)).toEqual({ bootCatalogLba: 33 });
    expect(isElToritoBootRecord(bytes)).toBe(true);
  });

  it("rejects other boot systems and wrong identifiers", () => {
    const bytes = BootRecordVolumeDescriptorCodec.encode({ bootCatalogLba: 20 });
    const other = bytes.slice();
    other[7] = 0x58;
    expect(isElToritoBootRecord(other)).toBe(false);
    expect(() => BootRecordVolumeDescriptorCodec.decode(other, 17 * 2048)).toThrow(/El Torito Boot Record Volume Descriptor at offset 34823/);
    const pvd = bytes.slice();
    pvd[0] = 1;
    expect(() => BootRecordVolumeDescriptorCodec.decode(pvd)).toThrow(MalformedDataError);
  });
});

describe("boot catalog (El Torito 2.1-2.5)", () => {
  const catalog: BootCatalog = {
    platformId: 0,
    idString: "DISCFORGE",
    defaultEntry: { bootable: true, emulation: "none", loadSegment: 0, systemType: 0, sectorCount: 4, loadRba: 34 },
    sections: [
      {
        platformId: 0xef,
        idString: "UEFI",
        entries: [
          {
            bootable: true,
            emulation: "none",
            loadSegment: 0,
            systemType: 0,
            sectorCount: 2048,
            loadRba: 512,
            atapiDriver: false,
            scsiDrivers: false,
            selectionCriteriaType: 1,
            selectionCriteria: Uint8Array.from({ length: 25 }, (_, i) => i + 1),
          },
        ],
      },
    ],
  };

  it("encodes the golden entries with the validation checksum", () => {
    const bytes = BootCatalogCodec.encode(catalog);
    expect(bytes.length).toBe(2048);
    const hex = toHex(bytes.subarray(0, 5 * 32));
    expect(hex).toBe(
      // Validation entry
      "01" + // header ID
        "00" + // platform 80x86
        "0000" + // reserved
        "44495343464f524745" + "00".repeat(15) + // ID string "DISCFORGE"
        "3632" + // checksum 3236h: 0001h+4944h+4353h+4F46h+4752h+0045h+AA55h+3236h = 0 (mod 2^16)
        "55aa" + // key
        // Initial/default entry
        "88" + // bootable
        "00" + // no emulation
        "0000" + // load segment 0 = 07C0h
        "00" + // system type
        "00" + // unused
        "0400" + // 4 virtual sectors
        "22000000" + // load RBA 34
        "00".repeat(20) +
        // Section header
        "91" + // final header
        "ef" + // platform EFI
        "0100" + // one entry
        "55454649" + "00".repeat(24) + // "UEFI"
        // Section entry
        "88" + // bootable
        "20" + // no emulation | bit 5: an extension entry follows
        "0000" + // load segment
        "00" + // system type
        "00" + // unused
        "0008" + // 2048 virtual sectors
        "00020000" + // load RBA 512
        "01" + // selection criteria: language and version
        "0102030405060708090a0b0c0d0e0f10111213" + // first 19 criteria bytes
        // Extension entry
        "44" + // extension indicator
        "00" + // final extension
        "141516171819" + "00".repeat(24), // criteria bytes 20-25, zero-padded
    );
    // Bytes after the last entry are zero.
    expect(bytes.subarray(5 * 32).every((b) => b === 0)).toBe(true);
    let sum = 0;
    for (let i = 0; i < 32; i += 2) sum = (sum + bytes[i]! + (bytes[i + 1]! << 8)) & 0xffff;
    expect(sum).toBe(0);
  });

  it("round-trips, including selection criteria across extension entries", () => {
    const decoded = BootCatalogCodec.decode(BootCatalogCodec.encode(catalog));
    expect(decoded.platformId).toBe(0);
    expect(decoded.idString).toBe("DISCFORGE");
    expect(decoded.defaultEntry).toEqual(catalog.defaultEntry);
    const entry = decoded.sections[0]!.entries[0]!;
    expect(entry.loadRba).toBe(512);
    expect(entry.selectionCriteria!.subarray(0, 25)).toEqual(catalog.sections[0]!.entries[0]!.selectionCriteria);
    expect(entry.selectionCriteria!.length).toBe(19 + 30);
  });

  it("decodes the catalog xorriso writes for -b ... -eltorito-alt-boot -e ...", () => {
    // Boot catalog of `xorriso -as mkisofs -b boot.bin -no-emul-boot -boot-load-size 4 -eltorito-alt-boot -e ...`.
    const bytes = fromHex(
      "01000000" + "00".repeat(24) + "aa55" + "55aa" + // validation entry: checksum AA55h
        "8800000000000400" + "22000000" + "00".repeat(20) + // default: bootable, 4 sectors at 34
        "91ef0100" + "00".repeat(28) + // final section header, EFI, 1 entry
        "8800000000000008" + "00020000" + "00".repeat(20), // 2048 sectors at 512
    );
    const c = BootCatalogCodec.decode(bytes);
    expect(c.defaultEntry).toEqual({ bootable: true, emulation: "none", loadSegment: 0, systemType: 0, sectorCount: 4, loadRba: 34 });
    expect(c.sections).toHaveLength(1);
    expect(c.sections[0]!.platformId).toBe(0xef);
    expect(c.sections[0]!.entries[0]!.sectorCount).toBe(2048);
    // And our encoder produces the same bytes for the same model.
    expect(toHex(BootCatalogCodec.encode(c).subarray(0, bytes.length))).toBe(toHex(bytes));
  });

  it("rejects a bad checksum, key, indicator or truncated section", () => {
    const good = BootCatalogCodec.encode(catalog);
    const badSum = good.slice();
    badSum[4] = badSum[4]! ^ 1;
    expect(() => BootCatalogCodec.decode(badSum)).toThrow(/sum to/);
    const badKey = good.slice();
    badKey[31] = 0;
    expect(() => BootCatalogCodec.decode(badKey)).toThrow(/55 AA/);
    const badIndicator = good.slice();
    badIndicator[32] = 0x44;
    expect(() => BootCatalogCodec.decode(badIndicator)).toThrow(/boot indicator/);
    expect(() => BootCatalogCodec.decode(good.subarray(0, 4 * 32 + 16))).toThrow(MalformedDataError);
    expect(() => BootCatalogCodec.encode({ ...catalog, idString: "X".repeat(25) })).toThrow(InvalidArgumentError);
    expect(() => BootCatalogCodec.encode({ ...catalog, defaultEntry: { ...catalog.defaultEntry, sectorCount: 65536 } })).toThrow(InvalidArgumentError);
  });

  it("spans several sectors when entries need it", () => {
    const entries = Array.from({ length: 70 }, (_, i) => ({ bootable: false, emulation: "none" as const, loadSegment: 0, systemType: 0, sectorCount: 1, loadRba: 100 + i }));
    const bytes = BootCatalogCodec.encode({ ...catalog, sections: [{ platformId: 0, idString: "", entries }] });
    expect(bytes.length).toBe(4096);
    expect(BootCatalogCodec.decode(bytes).sections[0]!.entries.map((e) => e.loadRba)).toEqual(entries.map((e) => e.loadRba));
  });
});

describe("boot info table", () => {
  it("patches offset 8 with PVD LBA, file LBA, length and the checksum from byte 64", () => {
    const image = new Uint8Array(2048);
    image[64] = 1; // word at 64: 1
    image[2047] = 0x80; // last word: 80000000h
    image.fill(0xee, 8, 64); // stale bytes in the table area are replaced
    const patched = patchBootInfoTable(image, { pvdLba: 16, bootFileLba: 34 });
    expect(toHex(patched.subarray(8, 64))).toBe(
      "10000000" + // PVD LBA 16
        "22000000" + // boot file LBA 34
        "00080000" + // length 2048
        "01000080" + // checksum 80000001h
        "00".repeat(40), // reserved
    );
    expect(bootInfoChecksum(image)).toBe(0x80000001);
    expect(BootInfoTableCodec.decode(patched)).toEqual({ pvdLba: 16, bootFileLba: 34, bootFileLength: 2048, checksum: 0x80000001 });
    expect(verifyBootInfoTable(patched)).toBe(true);
    expect(patched.subarray(64)).toEqual(image.subarray(64));
  });

  it("zero-pads a short last word and rejects images under 64 bytes", () => {
    const image = new Uint8Array(67);
    image.set([1, 2, 3], 64);
    expect(bootInfoChecksum(image)).toBe(0x030201);
    expect(() => patchBootInfoTable(new Uint8Array(63), { pvdLba: 16, bootFileLba: 20 })).toThrow(InvalidArgumentError);
  });
});

describe("MBR", () => {
  it("encodes the golden partition table of an isohybrid image", () => {
    const code = new Uint8Array(440).fill(0x90);
    const bytes = MbrCodec.encode({
      bootCode: code,
      diskSignature: 0x25322aab,
      partitions: [
        { bootable: true, type: 0x00, startLba: 0, sectorCount: 2048 },
        { bootable: false, type: 0xef, startLba: 2048, sectorCount: 2048 },
      ],
    });
    expect(toHex(bytes.subarray(440))).toBe(
      "ab2a3225" + // disk signature
        "0000" + // reserved
        "80" + "000100" + "00" + "3f2000" + "00000000" + "00080000" + // active, CHS 0/0/1, type 00, CHS 0/63/32, LBA 0, 2048 blocks
        "00" + "000101" + "ef" + "3f2001" + "00080000" + "00080000" + // CHS 1/0/1, type EF, CHS 1/63/32, LBA 2048, 2048 blocks
        "00".repeat(32) + // two unused entries
        "55aa", // signature
    );
    const decoded = MbrCodec.decode(bytes);
    expect(decoded.diskSignature).toBe(0x25322aab);
    expect(decoded.partitions[1]).toMatchObject({ bootable: false, type: 0xef, startLba: 2048, sectorCount: 2048 });
    expect(decoded.partitions[2]).toBeNull();
  });

  it("clamps CHS beyond cylinder 1023 and checks its input", () => {
    expect(toHex(chsField(1))).toBe("000200"); // head 0, sector 2, cylinder 0
    expect(toHex(chsField(64 * 32 * 2000))).toBe("3fe0ff"); // head 63, sector 32 | cyl bits 8-9, cyl 1023
    expect(() => MbrCodec.encode({ bootCode: new Uint8Array(441), diskSignature: 0, partitions: [] })).toThrow(InvalidArgumentError);
    const bad = MbrCodec.encode({ bootCode: new Uint8Array(0), diskSignature: 0, partitions: [] });
    bad[511] = 0;
    expect(() => MbrCodec.decode(bad)).toThrow(/55 AA/);
  });
});

describe("GPT header and entries (UEFI 5.3)", () => {
  const header = {
    myLba: 1,
    alternateLba: 4759,
    firstUsableLba: 64,
    lastUsableLba: 4696,
    diskGuid: "9E6881C1-5AB9-4135-99AB-9B9820E4A59A",
    partitionEntryLba: 2,
    numberOfPartitionEntries: 248,
    sizeOfPartitionEntry: 128,
    partitionEntryArrayCrc32: 0xdce9c5c9,
  };

  it("encodes the golden header with its CRC32 (the primary header of a xorriso hybrid image)", () => {
    const bytes = GptHeaderCodec.encode(header);
    expect(toHex(bytes.subarray(0, 96))).toBe(
      "4546492050415254" + // "EFI PART"
        "00000100" + // revision 1.0
        "5c000000" + // header size 92
        "8b5c7cfb" + // header CRC32
        "00000000" + // reserved
        "0100000000000000" + // MyLBA 1
        "9712000000000000" + // AlternateLBA 4759
        "4000000000000000" + // FirstUsableLBA 64
        "5812000000000000" + // LastUsableLBA 4696
        "c181689eb95a354199ab9b9820e4a59a" + // DiskGUID
        "0200000000000000" + // PartitionEntryLBA 2
        "f8000000" + // 248 entries
        "80000000" + // 128 bytes each
        "c9c5e9dc" + // entry array CRC32
        "00000000",
    );
    expect(GptHeaderCodec.decode(bytes)).toEqual(header);
  });

  it("rejects a corrupted header", () => {
    const bytes = GptHeaderCodec.encode(header);
    bytes[40] = bytes[40]! ^ 1;
    expect(() => GptHeaderCodec.decode(bytes, 512)).toThrow(/GPT header at offset 528: header CRC32/);
    const sig = GptHeaderCodec.encode(header);
    sig[0] = 0x46;
    expect(() => GptHeaderCodec.decode(sig)).toThrow(/signature/);
  });

  it("encodes the golden partition entry", () => {
    const entry = {
      typeGuid: GPT_PARTITION_TYPES.basicData,
      uniqueGuid: "9E6881C1-5AB9-4135-99AA-9B9820E4A59A",
      startingLba: 0,
      endingLba: 2047,
      attributes: 0x1000000000000001n,
      name: "ISOHybrid",
    };
    const bytes = GptPartitionEntryCodec.encode(entry);
    expect(toHex(bytes)).toBe(
      "a2a0d0ebe5b9334487c068b6b72699c7" + // type: basic data
        "c181689eb95a354199aa9b9820e4a59a" + // unique GUID
        "0000000000000000" + // StartingLBA 0
        "ff07000000000000" + // EndingLBA 2047 (inclusive)
        "0100000000000010" + // attributes: required + read-only (bit 60)
        "490053004f00480079006200720069006400" + "00".repeat(54), // "ISOHybrid" UTF-16LE
    );
    expect(GptPartitionEntryCodec.decode(bytes)).toEqual(entry);
    expect(() => GptPartitionEntryCodec.encode({ ...entry, endingLba: -1 })).toThrow(InvalidArgumentError);
    expect(() => GptPartitionEntryCodec.encode({ ...entry, name: "x".repeat(37) })).toThrow(InvalidArgumentError);
  });
});
