/**
 * Images built by the real planner and writer with the boot extension, checked by our own
 * decoders and by independent tools: dumpet, xorriso -report_el_torito, sfdisk, fdisk, sgdisk,
 * mtools. Needs Debian packages dumpet, xorriso, fdisk, gdisk, mtools (scripts/system-packages.txt).
 */
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readU32LE } from "@discforge/bytes";
import {
  BootCatalogCodec,
  BootInfoTableCodec,
  BootRecordVolumeDescriptorCodec,
  GPT_PARTITION_TYPES,
  GptHeaderCodec,
  MbrCodec,
  bootInfoChecksum,
  decodeGptEntryArray,
  formatFat,
  type BootOptions,
} from "../../src/boot/index.js";
import { IsoReader } from "../../src/index.js";
import { buildBootImage, requireTool, run, tempDir } from "./harness.js";
import { biosBootImage, efiMarkerApp, mbrChainTemplate } from "./payloads.js";

const sector = (img: Uint8Array, lba: number, count = 1): Uint8Array => img.subarray(lba * 2048, (lba + count) * 2048);

describe("El Torito with several entries and sections (needs dumpet, xorriso)", () => {
  const dir = tempDir("eltorito");
  const path = join(dir.path, "multi.iso");
  const bios = biosBootImage("DISCFORGE-BIOS-OK");
  const floppy = new Uint8Array(1_474_560);
  floppy.set(bios.subarray(0, 512));
  const disk = new Uint8Array(1 << 20);
  disk.set(MbrCodec.encode({ bootCode: new Uint8Array(0), diskSignature: 1, partitions: [{ bootable: true, type: 0x06, startLba: 32, sectorCount: 2016 }] }));
  const esp = formatFat({ files: [{ path: "EFI/BOOT/BOOTX64.EFI", data: efiMarkerApp("DISCFORGE-UEFI-OK") }] });
  const options: BootOptions = {
    idString: "DISCFORGE",
    catalogPath: "boot/boot.cat",
    images: [
      { image: bios, path: "boot/bios.img", loadSectors: 4, bootInfoTable: true },
      { image: floppy, emulation: "floppy-1.44", sectionId: "FLOPPY" },
      { image: disk, emulation: "hard-disk", loadSegment: 0x7c0 },
      { image: esp, platform: "efi", path: "boot/efi.img" },
    ],
  };
  let iso: Uint8Array;
  beforeAll(async () => {
    iso = await buildBootImage(path, options);
  });
  afterAll(() => dir.remove());

  it("has the boot record at 17, a catalog with correct entries and a patched boot info table", () => {
    const brvd = BootRecordVolumeDescriptorCodec.decode(sector(iso, 17), 17 * 2048);
    const catalog = BootCatalogCodec.decode(sector(iso, brvd.bootCatalogLba));
    expect(catalog.idString).toBe("DISCFORGE");
    expect(catalog.defaultEntry).toMatchObject({ bootable: true, emulation: "none", sectorCount: 4 });
    expect(catalog.sections.map((s) => [s.platformId, s.idString, s.entries.map((e) => [e.emulation, e.systemType, e.sectorCount, e.loadSegment])])).toEqual([
      [0, "FLOPPY", [["floppy-1.44", 0, 1, 0], ["hard-disk", 6, 1, 0x7c0]]],
      [0xef, "", [["none", 0, 2048, 0]]],
    ]);
    // Every entry points at its image bytes.
    const biosLba = catalog.defaultEntry.loadRba;
    const [floppyEntry, diskEntry] = catalog.sections[0]!.entries;
    expect(Buffer.compare(sector(iso, floppyEntry!.loadRba, 720), floppy)).toBe(0);
    expect(Buffer.compare(sector(iso, diskEntry!.loadRba, 512), disk)).toBe(0);
    expect(Buffer.compare(sector(iso, catalog.sections[1]!.entries[0]!.loadRba, esp.length / 2048), esp)).toBe(0);
    // Boot info table: PVD at 16, the image's own LBA, its length, the checksum from byte 64.
    const loaded = sector(iso, biosLba);
    expect(BootInfoTableCodec.decode(loaded)).toEqual({ pvdLba: 16, bootFileLba: biosLba, bootFileLength: 2048, checksum: bootInfoChecksum(bios) });
    expect(Buffer.compare(loaded.subarray(64), bios.subarray(64))).toBe(0);
  });

  it("reads the same in dumpet", () => {
    const dumpet = requireTool("dumpet", "dumpet");
    const r = run(dumpet, ["-i", path]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('ID: "DISCFORGE"');
    expect(r.stdout).toMatch(/Checksum: 0x[0-9a-f]{4}\s+Key bytes: 0x55aa/);
    expect(r.stdout).toContain("Section Entries: 2");
    expect(r.stdout).toContain('ID: "FLOPPY"');
    expect(r.stdout).toContain("1.44MB floppy diskette emulation");
    expect(r.stdout).toContain("hard disk emulation");
    expect(r.stdout).toContain("System type: 6 (0x06)");
    expect(r.stdout).toContain("PlatformId: 0xef (EFI)");
    expect(r.stdout).toContain("Load Sectors: 2048 (0x0800)");
    expect(r.stdout.match(/Entry is bootable/g)).toHaveLength(4);
  });

  it("reads the same in xorriso -report_el_torito plain and as_mkisofs", () => {
    const xorriso = requireTool("xorriso", "xorriso");
    const plain = run(xorriso, ["-indev", path, "-report_el_torito", "plain"]);
    expect(plain.status, plain.stderr).toBe(0);
    const rows = plain.stdout.split("\n").filter((l) => l.startsWith("El Torito boot img :")).map((l) => l.slice("El Torito boot img :".length).trim().split(/\s+/));
    const catalog = BootCatalogCodec.decode(sector(iso, readU32LE(sector(iso, 17), 71)));
    expect(rows).toEqual([
      ["1", "BIOS", "y", "none", "0x0000", "0x00", "4", String(catalog.defaultEntry.loadRba)],
      ["2", "BIOS", "y", "fd1.4", "0x0000", "0x00", "1", String(catalog.sections[0]!.entries[0]!.loadRba)],
      ["3", "BIOS", "y", "hd", "0x07c0", "0x06", "1", String(catalog.sections[0]!.entries[1]!.loadRba)],
      ["4", "UEFI", "y", "none", "0x0000", "0x00", "2048", String(catalog.sections[1]!.entries[0]!.loadRba)],
    ]);
    expect(plain.stdout).toMatch(/El Torito cat path : \/boot\/boot.cat/);
    expect(plain.stdout).toMatch(/El Torito img opts :\s+1\s+boot-info-table/);
    const mk = run(xorriso, ["-indev", path, "-report_el_torito", "as_mkisofs"]);
    expect(mk.stdout).toContain("-c '/boot/boot.cat'");
    expect(mk.stdout).toContain("-b '/boot/bios.img'");
    expect(mk.stdout).toContain("-boot-info-table");
    expect(mk.stdout).toContain("-e '/boot/efi.img'");
  });

  it("reads back with our IsoReader: the visible boot files hold what the firmware loads", async () => {
    const reader = await IsoReader.open(path);
    try {
      expect((await reader.list("/boot")).map((e) => e.name).sort()).toEqual(["bios.img", "boot.cat", "efi.img"]);
      const brvd = BootRecordVolumeDescriptorCodec.decode(sector(iso, 17));
      expect(Buffer.compare(await reader.readFile("/boot/boot.cat"), sector(iso, brvd.bootCatalogLba))).toBe(0);
      const patched = await reader.readFile("/boot/bios.img");
      expect(BootInfoTableCodec.decode(patched).pvdLba).toBe(16);
      expect(Buffer.compare(patched.subarray(64), bios.subarray(64))).toBe(0);
      expect(Buffer.compare(await reader.readFile("/boot/efi.img"), esp)).toBe(0);
      expect(new TextDecoder().decode(await reader.readFile("/README.TXT"))).toBe("discforge boot test\n");
    } finally {
      await reader.close();
    }
  });

  it("hides the catalog and images when no path is given", async () => {
    const hidden = join(dir.path, "hidden.iso");
    await buildBootImage(hidden, { images: [{ image: bios, bootInfoTable: true, loadSectors: 4 }] });
    const xorriso = requireTool("xorriso", "xorriso");
    const r = run(xorriso, ["-indev", hidden, "-report_el_torito", "plain", "-find", "/", "-type", "f"]);
    expect(r.stdout).not.toContain("El Torito cat path");
    expect(r.stdout).toMatch(/El Torito boot img :\s+1\s+BIOS\s+y\s+none/);
    expect(r.stdout).toContain("'/README.TXT'");
    expect(r.stdout.match(/^'\//gm)).toHaveLength(1);
  });
});

describe.each(["isohybrid", "protective"] as const)("hybrid MBR/GPT, %s style (needs fdisk, gdisk, mtools)", (style) => {
  const dir = tempDir(`hybrid-${style}`);
  const path = join(dir.path, "hybrid.iso");
  const esp = formatFat({ files: [{ path: "EFI/BOOT/BOOTX64.EFI", data: efiMarkerApp("DISCFORGE-UEFI-OK") }] });
  let iso: Uint8Array;
  beforeAll(async () => {
    iso = await buildBootImage(path, {
      images: [
        { image: biosBootImage("DISCFORGE-BIOS-OK"), loadSectors: 4, bootInfoTable: true },
        { image: esp, platform: "efi", placement: "appended" },
      ],
      hybrid: { style, mbrTemplate: mbrChainTemplate("DISCFORGE-MBR-OK") },
    });
  });
  afterAll(() => dir.remove());

  it("has a consistent MBR, primary and backup GPT, with the ESP appended after the ISO data", () => {
    const blocks = iso.length / 512;
    const mbr = MbrCodec.decode(iso);
    const primary = GptHeaderCodec.decode(iso.subarray(512, 1024), 512);
    const backup = GptHeaderCodec.decode(iso.subarray(iso.length - 512), iso.length - 512);
    expect(primary).toMatchObject({ myLba: 1, alternateLba: blocks - 1, firstUsableLba: 64, lastUsableLba: blocks - 34 });
    expect(backup).toMatchObject({ myLba: blocks - 1, alternateLba: 1, partitionEntryLba: blocks - 33, diskGuid: primary.diskGuid });
    const entries = decodeGptEntryArray(iso.subarray(1024, 1024 + 128 * 128), primary, 1024);
    expect(decodeGptEntryArray(iso.subarray((blocks - 33) * 512), backup)).toEqual(entries);
    const espEntry = entries[1]!;
    const espBytes = iso.subarray(espEntry.startingLba * 512, (espEntry.endingLba + 1) * 512);
    expect(Buffer.compare(espBytes, esp)).toBe(0);
    // The ISO volume (PVD volume space size) covers the appended partition too; the ISO partition ends where the ESP starts.
    expect(entries[0]!.endingLba + 1).toBe(espEntry.startingLba);
    // El Torito's EFI entry and the partition tables agree on where the ESP is.
    const catalog = BootCatalogCodec.decode(sector(iso, readU32LE(sector(iso, 17), 71)));
    expect(catalog.sections[0]!.entries[0]!.loadRba * 4).toBe(espEntry.startingLba);
    // isohybrid MBR convention: bytes 432-435 hold the BIOS boot image's LBA in 512-byte blocks.
    expect(readU32LE(iso, 432)).toBe(catalog.defaultEntry.loadRba * 4);
    if (style === "isohybrid") {
      expect(mbr.partitions.map((p) => p && [p.bootable, p.type, p.startLba, p.sectorCount])).toEqual([
        [true, 0x00, 0, espEntry.startingLba],
        [false, 0xef, espEntry.startingLba, esp.length / 512],
        null,
        null,
      ]);
      expect(entries.map((e) => [e.typeGuid, e.name])).toEqual([[GPT_PARTITION_TYPES.basicData, "ISOHybrid"], [GPT_PARTITION_TYPES.basicData, "ISOHybrid1"]]);
    } else {
      expect(mbr.partitions.map((p) => p && [p.type, p.startLba, p.sectorCount])).toEqual([[0xee, 1, blocks - 1], null, null, null]);
      expect(entries.map((e) => [e.typeGuid, e.name])).toEqual([[GPT_PARTITION_TYPES.basicData, "ISO9660"], [GPT_PARTITION_TYPES.efiSystem, "EFI system partition"]]);
    }
  });

  it("reads the same in sfdisk --dump/--json and fdisk -l", () => {
    const sfdisk = requireTool("sfdisk", "fdisk");
    const json = JSON.parse(run(sfdisk, ["--json", path]).stdout) as { partitiontable: { label: string; partitions: { start: number; size: number; type: string; bootable?: boolean }[] } };
    const pt = json.partitiontable;
    const espStart = (iso.length - esp.length) / 512 - 36;
    if (style === "isohybrid") {
      expect(pt.label).toBe("dos");
      expect(pt.partitions.map((p) => [p.start, p.size, p.type, p.bootable ?? false])).toEqual([
        [0, espStart, "0", true],
        [espStart, esp.length / 512, "ef", false],
      ]);
    } else {
      expect(pt.label).toBe("gpt");
      expect(pt.partitions.map((p) => [p.start, p.size, p.type])).toEqual([
        [64, espStart - 64, GPT_PARTITION_TYPES.basicData],
        [espStart, esp.length / 512, GPT_PARTITION_TYPES.efiSystem],
      ]);
    }
    const dump = run(sfdisk, ["--dump", path]);
    expect(dump.status, dump.stderr).toBe(0);
    expect(dump.stdout).toContain(`label: ${style === "isohybrid" ? "dos" : "gpt"}`);
    const fdisk = run(requireTool("fdisk", "fdisk"), ["-l", path]);
    expect(fdisk.stdout).toContain(style === "isohybrid" ? "EFI (FAT-12/16/32)" : "EFI System");
    expect(fdisk.stderr).not.toMatch(/corrupt|invalid|mismatch/i);
  });

  it("reads the same in xorriso -report_system_area", () => {
    const r = run(requireTool("xorriso", "xorriso"), ["-indev", path, "-report_system_area", "plain"]);
    expect(r.status, r.stderr).toBe(0);
    const espBlocks = esp.length / 512;
    const espStart = iso.length / 512 - 36 - espBlocks;
    const gptRows = r.stdout.split("\n").filter((l) => l.startsWith("GPT start and size :")).map((l) => l.split(":")[1]!.trim().split(/\s+/).map(Number));
    if (style === "isohybrid") {
      expect(r.stdout).toMatch(/MBR partition\s+:\s+1\s+0x80\s+0x00\s+0\s+/);
      expect(r.stdout).toMatch(new RegExp(`MBR partition\\s+:\\s+2\\s+0x00\\s+0xef\\s+${espStart}\\s+${espBlocks}`));
      expect(gptRows).toEqual([[1, 0, espStart], [2, espStart, espBlocks]]);
    } else {
      expect(r.stdout).toMatch(/MBR partition\s+:\s+1\s+0x00\s+0xee\s+1\s+/);
      expect(gptRows).toEqual([[1, 64, espStart - 64], [2, espStart, espBlocks]]);
      expect(r.stdout).toMatch(/GPT type GUID\s+:\s+2\s+28732ac11ff8d211ba4b00a0c93ec93b/);
    }
  });

  it("passes sgdisk -v (the isohybrid GPT overlaps its table exactly as xorriso's does)", () => {
    const r = run(requireTool("sgdisk", "gdisk"), ["-v", path]);
    if (style === "protective") {
      expect(r.stdout).toContain("No problems found");
    } else {
      // xorriso's -isohybrid-gpt-basdat GPT starts the ISO entry at block 0; sgdisk reports that one overlap and nothing else.
      expect(r.stdout).toContain("Main partition table overlaps the first partition");
      expect(r.stdout).toContain("Identified 1 problems");
    }
    expect(r.stdout).not.toMatch(/CRC|mismatch|backup header/i);
  });

  it("exposes the ESP as a FAT file system holding EFI/BOOT/BOOTX64.EFI (mtools)", () => {
    const offset = iso.length - esp.length - 36 * 512;
    const mdir = run(requireTool("mdir", "mtools"), ["-b", "-i", `${path}@@${offset}`, "::/EFI/BOOT"]);
    expect(mdir.status, mdir.stderr).toBe(0);
    expect(mdir.stdout).toContain("::/EFI/BOOT/BOOTX64.EFI");
    const out = join(dir.path, "BOOTX64.EFI");
    expect(run(requireTool("mcopy", "mtools"), ["-n", "-i", `${path}@@${offset}`, "::/EFI/BOOT/BOOTX64.EFI", out]).status).toBe(0);
    writeFileSync(join(dir.path, "expected.efi"), efiMarkerApp("DISCFORGE-UEFI-OK"));
    expect(run("cmp", [out, join(dir.path, "expected.efi")]).status).toBe(0);
  });
});
