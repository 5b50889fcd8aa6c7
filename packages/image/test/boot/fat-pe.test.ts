/**
 * The FAT formatter checked by dosfstools (fsck.fat) and mtools, and the PE32+ writer checked
 * by objdump (binutils). Needs Debian packages dosfstools, mtools, binutils.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readU16LE, readU32LE, toHex } from "@discforge/bytes";
import { InvalidArgumentError } from "@discforge/errors";
import { buildPe32Plus, fatGeometry, formatFat } from "../../src/boot/index.js";
import { requireTool, run, tempDir } from "./harness.js";
import { efiMarkerApp } from "./payloads.js";

const dir = tempDir("fat");
afterAll(() => dir.remove());

function pattern(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
}

describe("FAT formatter", () => {
  it("writes the golden boot sector of a 1 MiB FAT12 image", () => {
    const img = formatFat({ files: [], label: "ESP", volumeId: 0x12345678 });
    expect(toHex(img.subarray(0, 62))).toBe(
      "eb3c90" + // jump
        "4449534346524745" + // OEM "DISCFRGE"
        "0002" + // 512 bytes per sector
        "01" + // 1 sector per cluster
        "0100" + // 1 reserved sector
        "02" + // 2 FATs
        "e000" + // 224 root entries
        "0008" + // 2048 sectors
        "f8" + // media: fixed disk
        "0600" + // 6 sectors per FAT
        "2000" + // 32 sectors per track
        "4000" + // 64 heads
        "00000000" + // no hidden sectors
        "00000000" + // 32-bit total unused
        "80" + // drive 80h
        "00" + // reserved
        "29" + // extended boot signature
        "78563412" + // volume ID
        "4553502020202020202020" + // label "ESP"
        "4641543132202020", // "FAT12   "
    );
    expect(toHex(img.subarray(510, 512))).toBe("55aa");
    // FAT12 entries 0 and 1: media F8 with reserved bits, end of chain.
    expect(toHex(img.subarray(512, 515))).toBe("f8ffff");
  });

  it("chooses FAT12 or FAT16 by cluster count", () => {
    expect(fatGeometry(2048)).toMatchObject({ fatType: 12, sectorsPerCluster: 1 });
    expect(fatGeometry(16384)).toMatchObject({ fatType: 16 });
    expect(fatGeometry(16384).clusters).toBeGreaterThan(4084);
    expect(() => fatGeometry(2048, 16)).toThrow(InvalidArgumentError);
  });

  it.each([
    ["FAT12", 1 << 20],
    ["FAT16", 16 << 20],
  ] as const)("makes a %s image that fsck.fat finds clean and mtools reads back", (_type, size) => {
    const files = [
      { path: "EFI/BOOT/BOOTX64.EFI", data: efiMarkerApp("X") },
      { path: "EFI/BOOT/GRUB.CFG", data: new TextEncoder().encode("echo hi\n") },
      { path: "BIG.BIN", data: pattern(300_000, 7) },
      { path: "EMPTY.TXT", data: new Uint8Array(0) },
      // Enough entries to need a second directory cluster.
      ...Array.from({ length: 40 }, (_, i) => ({ path: `MANY/F${i}.DAT`, data: pattern(i * 10, i) })),
    ];
    const path = join(dir.path, `fat-${size}.img`);
    writeFileSync(path, formatFat({ files, size, date: new Date(Date.UTC(2024, 4, 6, 7, 8, 10)) }));
    const fsck = run(requireTool("fsck.fat", "dosfstools"), ["-n", "-v", path]);
    expect(fsck.status, fsck.stdout + fsck.stderr).toBe(0);
    expect(fsck.stdout).toContain(size === 1 << 20 ? "12 bit entries" : "16 bit entries");
    expect(fsck.stdout).not.toMatch(/Expected|Free cluster summary wrong|differ/);
    const mdir = run(requireTool("mdir", "mtools"), ["-/", "-b", "-i", path, "::"]);
    expect(mdir.stdout.split("\n").filter((l) => l !== "").sort()).toEqual(
      ["::/BIG.BIN", "::/EFI/", "::/EFI/BOOT/", "::/EFI/BOOT/BOOTX64.EFI", "::/EFI/BOOT/GRUB.CFG", "::/EMPTY.TXT", "::/MANY/", ...Array.from({ length: 40 }, (_, i) => `::/MANY/F${i}.DAT`)].sort(),
    );
    for (const f of [files[2]!, files[0]!, files[20]!]) {
      const out = join(dir.path, "out.bin");
      expect(run(requireTool("mcopy", "mtools"), ["-n", "-i", path, `::/${f.path}`, out]).status).toBe(0);
      writeFileSync(join(dir.path, "want.bin"), f.data);
      expect(run("cmp", [out, join(dir.path, "want.bin")]).status, f.path).toBe(0);
    }
    expect(run(requireTool("mdir", "mtools"), ["-i", path, "::/EFI"]).stdout).toContain("2024-05-06   7:08");
  });

  it("rejects names that are not 8.3, duplicates and content that does not fit", () => {
    expect(() => formatFat({ files: [{ path: "EFI/BOOT/LONGFILENAME.EFI", data: new Uint8Array(1) }] })).toThrow(/8\.3/);
    expect(() => formatFat({ files: [{ path: "A.TXT", data: new Uint8Array(1) }, { path: "a.txt", data: new Uint8Array(1) }] })).toThrow(/twice/);
    expect(() => formatFat({ files: [{ path: "A.TXT", data: new Uint8Array(2 << 20) }], size: 1 << 20 })).toThrow(/too small/);
    expect(() => formatFat({ files: [], size: 1000 })).toThrow(/multiple of 512/);
  });
});

describe("PE32+ writer", () => {
  it("lays out the headers an EFI loader reads", () => {
    const pe = buildPe32Plus({ text: Uint8Array.of(0xc3), entryOffset: 0 });
    expect(pe.length).toBe(0x400);
    expect(toHex(pe.subarray(0, 2))).toBe("4d5a"); // "MZ"
    expect(readU32LE(pe, 0x3c)).toBe(0x40); // e_lfanew
    expect(toHex(pe.subarray(0x40, 0x44))).toBe("50450000"); // "PE\0\0"
    expect(readU16LE(pe, 0x44)).toBe(0x8664); // machine x64
    expect(readU16LE(pe, 0x46)).toBe(1); // one section
    expect(readU16LE(pe, 0x54)).toBe(240); // optional header size
    expect(readU16LE(pe, 0x56) & 0x0001).toBe(0); // relocations not stripped: loadable anywhere
    expect(readU16LE(pe, 0x58)).toBe(0x20b); // PE32+
    expect(readU32LE(pe, 0x58 + 16)).toBe(0x1000); // entry point RVA
    expect(readU16LE(pe, 0x58 + 68)).toBe(10); // subsystem: EFI application
    expect(pe[0x200]).toBe(0xc3); // section data at the file alignment
    expect(() => buildPe32Plus({ text: new Uint8Array(0) })).toThrow(InvalidArgumentError);
  });

  it("is read by objdump as a pei-x86-64 EFI application", () => {
    const path = join(dir.path, "app.efi");
    writeFileSync(path, efiMarkerApp("DISCFORGE"));
    const r = run(requireTool("objdump", "binutils"), ["-x", path]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("file format pei-x86-64");
    expect(r.stdout).toMatch(/Subsystem\s+0000000a\s+\(EFI application\)/);
    expect(r.stdout).toMatch(/AddressOfEntryPoint\s+0000000000001000/);
    expect(r.stdout).toMatch(/\.text\s+0000002[0-9a-f]/);
    const d = run("objdump", ["-d", "-M", "intel", path]);
    expect(d.stdout).toMatch(/mov\s+rcx,QWORD PTR \[rdx\+0x40\]/);
    expect(d.stdout).toMatch(/call\s+QWORD PTR \[rcx\+0x8\]/);
  });
});
