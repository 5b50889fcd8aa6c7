/**
 * The hybrid layout against xorriso: given the same inputs and the identifiers xorriso chose,
 * our system area (MBR + primary GPT) and backup GPT are byte-identical to what
 * `xorriso -as mkisofs -isohybrid-mbr T -isohybrid-gpt-basdat -append_partition 2 0xef ESP`
 * writes. Needs xorriso (Debian package "xorriso").
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readU32LE, toHex } from "@discforge/bytes";
import {
  GPT_PARTITION_TYPES,
  GptHeaderCodec,
  MbrCodec,
  backupGptSectors,
  decodeGptEntryArray,
  formatFat,
  layoutHybrid,
} from "../../src/boot/index.js";
import { requireTool, run, tempDir } from "./harness.js";
import { biosBootImage, efiMarkerApp, mbrChainTemplate } from "./payloads.js";

const template = new Uint8Array(512);
template.set(mbrChainTemplate("MBR"));
let embeddedIso: Uint8Array;

describe("hybrid layout, byte for byte against xorriso (needs xorriso)", () => {
  const dir = tempDir("hybrid-ref");
  let iso: Uint8Array;

  const xorrisoImage = (name: string, efi: string[]): Uint8Array => {
    const out = join(dir.path, name);
    const r = run(requireTool("xorriso", "xorriso"), [
      "-as", "mkisofs", "-o", out, "-no-pad", "-V", "REF",
      "-isohybrid-mbr", join(dir.path, "mbr.bin"),
      "-b", "boot.bin", "-no-emul-boot", "-boot-load-size", "4", "-boot-info-table", "-c", "boot.cat",
      "-eltorito-alt-boot", ...efi, "-no-emul-boot", "-isohybrid-gpt-basdat",
      join(dir.path, "root"),
    ]);
    expect(r.status, r.stderr).toBe(0);
    return new Uint8Array(readFileSync(out));
  };

  beforeAll(() => {
    mkdirSync(join(dir.path, "root"));
    writeFileSync(join(dir.path, "root", "boot.bin"), biosBootImage("BIOS"));
    writeFileSync(join(dir.path, "root", "a.txt"), "a\n");
    const esp = formatFat({ files: [{ path: "EFI/BOOT/BOOTX64.EFI", data: efiMarkerApp("EFI") }] });
    writeFileSync(join(dir.path, "esp.img"), esp);
    writeFileSync(join(dir.path, "mbr.bin"), template);
    iso = xorrisoImage("ref.iso", ["-e", "--interval:appended_partition_2:all::", "-append_partition", "2", "0xef", join(dir.path, "esp.img")]);
    writeFileSync(join(dir.path, "root", "efi.img"), esp);
    embeddedIso = xorrisoImage("embedded.iso", ["-e", "efi.img"]);
  });
  afterAll(() => dir.remove());

  it("produces the same MBR, primary GPT and backup GPT", () => {
    // Read what xorriso decided: ISO size, ESP place, boot image LBA, identifiers.
    const mbr = MbrCodec.decode(iso);
    const esp = mbr.partitions[1]!;
    const primary = GptHeaderCodec.decode(iso.subarray(512, 1024), 512);
    const entries = decodeGptEntryArray(iso.subarray(1024, 1024 + 248 * 128), primary, 1024);
    const bootImageBlocks = readU32LE(iso, 432);
    expect(bootImageBlocks % 4).toBe(0);

    const ours = layoutHybrid({
      style: "isohybrid",
      isoSectors: mbr.partitions[0]!.sectorCount / 4,
      appended: [{ startSector: esp.startLba / 4, sectors: esp.sectorCount / 4, mbrType: 0xef, gptType: GPT_PARTITION_TYPES.efiSystem }],
      biosBootImageSector: bootImageBlocks / 4,
      mbrTemplate: template,
      diskSignature: mbr.diskSignature,
      diskGuid: primary.diskGuid,
      partitionGuids: entries.map((e) => e.uniqueGuid),
      gptEntryCount: 248,
    });
    expect(ours.totalSectors * 2048).toBe(iso.length);
    expect(toHex(ours.systemArea.subarray(0, 512))).toBe(toHex(iso.subarray(0, 512)));
    expect(toHex(ours.systemArea.subarray(512, 1024))).toBe(toHex(iso.subarray(512, 1024)));
    expect(Buffer.compare(ours.systemArea, iso.subarray(0, 32768))).toBe(0);
    const tailSectors = backupGptSectors(248);
    expect(Buffer.compare(ours.tail, iso.subarray(iso.length - tailSectors * 2048))).toBe(0);
  });
});

describe("hybrid layout with the EFI image inside the ISO, against xorriso -e efi.img -isohybrid-gpt-basdat (needs xorriso)", () => {
  it("produces the same MBR (partition 2 of type EFh inside the ISO), GPT and backup GPT", () => {
    const iso = embeddedIso;
    const mbr = MbrCodec.decode(iso);
    const efi = mbr.partitions[1]!;
    expect(efi.type).toBe(0xef);
    const primary = GptHeaderCodec.decode(iso.subarray(512, 1024), 512);
    const entries = decodeGptEntryArray(iso.subarray(1024, 1024 + 248 * 128), primary, 1024);
    const tailSectors = backupGptSectors(248);
    const ours = layoutHybrid({
      style: "isohybrid",
      isoSectors: iso.length / 2048 - tailSectors,
      appended: [],
      embedded: [{ startSector: efi.startLba / 4, sectors: efi.sectorCount / 4, mbrType: 0xef, gptType: GPT_PARTITION_TYPES.efiSystem }],
      biosBootImageSector: readU32LE(iso, 432) / 4,
      mbrTemplate: template,
      diskSignature: mbr.diskSignature,
      diskGuid: primary.diskGuid,
      partitionGuids: entries.map((e) => e.uniqueGuid),
      gptEntryCount: 248,
    });
    expect(toHex(ours.systemArea.subarray(0, 512))).toBe(toHex(iso.subarray(0, 512)));
    expect(Buffer.compare(ours.systemArea, iso.subarray(0, 32768))).toBe(0);
    expect(Buffer.compare(ours.tail, iso.subarray(iso.length - tailSectors * 2048))).toBe(0);
  });
});

describe("protective style", () => {
  it("writes a 0xEE MBR and a GPT whose entries carry their real types", () => {
    const l = layoutHybrid({
      style: "protective",
      isoSectors: 100,
      appended: [{ startSector: 100, sectors: 512, mbrType: 0xef, gptType: GPT_PARTITION_TYPES.efiSystem, name: "ESP" }],
      diskSignature: 0x12345678,
      diskGuid: "11111111-2222-4333-8444-555555555555",
      partitionGuids: ["11111111-2222-4333-8444-000000000001", "11111111-2222-4333-8444-000000000002"],
      protectiveBootable: true,
    });
    expect(l.totalSectors).toBe(612 + 9);
    expect(toHex(l.systemArea.subarray(446, 462))).toBe(
      "80" + // active (--mbr-force-bootable)
        "000200" + // CHS of LBA 1
        "ee" + // GPT protective
        "0d1401" + // CHS of the last block 2483 with 64 heads x 32 sectors: head 13, sector 20, cylinder 1
        "01000000" + // starts at block 1
        "b3090000", // 2483 blocks = whole image minus the MBR
    );
    const header = GptHeaderCodec.decode(l.systemArea.subarray(512, 1024));
    expect(header).toMatchObject({ myLba: 1, alternateLba: 621 * 4 - 1, firstUsableLba: 64, lastUsableLba: 621 * 4 - 34, partitionEntryLba: 2, numberOfPartitionEntries: 128 });
    const entries = decodeGptEntryArray(l.systemArea.subarray(1024), header);
    expect(entries.map((e) => [e.typeGuid, e.startingLba, e.endingLba, e.name])).toEqual([
      [GPT_PARTITION_TYPES.basicData, 64, 399, "ISO9660"],
      [GPT_PARTITION_TYPES.efiSystem, 400, 2447, "ESP"],
    ]);
    const backup = GptHeaderCodec.decode(l.tail.subarray(l.tail.length - 512));
    expect(backup).toMatchObject({ myLba: 621 * 4 - 1, alternateLba: 1, partitionEntryLba: 621 * 4 - 33 });
    expect(decodeGptEntryArray(l.tail.subarray(l.tail.length - 512 - 128 * 128), backup)).toEqual(entries);
  });

  it("rejects overlapping or excess partitions", () => {
    const base = { style: "protective" as const, isoSectors: 100, diskSignature: 0, diskGuid: "11111111-2222-4333-8444-555555555555" };
    expect(() => layoutHybrid({ ...base, appended: [{ startSector: 99, sectors: 1, mbrType: 0xef, gptType: GPT_PARTITION_TYPES.efiSystem }], partitionGuids: [base.diskGuid, base.diskGuid] })).toThrow(/overlaps/);
    expect(() => layoutHybrid({ ...base, appended: [], partitionGuids: [] })).toThrow(/GUIDs/);
    expect(() => layoutHybrid({ ...base, appended: [], partitionGuids: [base.diskGuid], gptEntryCount: 300 })).toThrow(/system area/);
  });
});
