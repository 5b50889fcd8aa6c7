/**
 * BOOT (BIOS): images built by the planner + boot extension start SeaBIOS under QEMU (TCG) from
 * CD (no emulation with a boot info table, floppy emulation, hard-disk emulation) and from the
 * hybrid image as a disk (the MBR code chain-loads the El Torito image through the isohybrid LBA
 * at byte 432). Each program prints a marker on COM1. qemu-uefi.test.ts does the UEFI side.
 * Needs Debian package qemu-system-x86 (scripts/system-packages.txt).
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MbrCodec, formatFat, type BootOptions } from "../../src/boot/index.js";
import { bootQemu, buildBootImage, requireTool, tempDir } from "./harness.js";
import { biosBootImage, biosSegmentProbe, efiMarkerApp, mbrChainTemplate } from "./payloads.js";

const BIOS = "DISCFORGE-BIOS-OK";
const MBR = "DISCFORGE-MBR-OK";
const UEFI = "DISCFORGE-UEFI-OK";
const BIOS_LIMIT_MS = 30_000;

describe("BIOS boot under QEMU (needs qemu-system-x86)", () => {
  const dir = tempDir("qemu");
  const esp = formatFat({ files: [{ path: "EFI/BOOT/BOOTX64.EFI", data: efiMarkerApp(UEFI) }] });
  const hybrid = (style: "isohybrid" | "protective"): BootOptions => ({
    images: [
      { image: biosBootImage(BIOS), loadSectors: 4, bootInfoTable: true, path: "boot/bios.img" },
      { image: esp, platform: "efi", placement: "appended" },
    ],
    catalogPath: "boot/boot.cat",
    hybrid: { style, mbrTemplate: mbrChainTemplate(MBR) },
  });
  const paths = {
    isohybrid: join(dir.path, "isohybrid.iso"),
    protective: join(dir.path, "protective.iso"),
    floppy: join(dir.path, "floppy.iso"),
    disk: join(dir.path, "disk.iso"),
  };

  beforeAll(async () => {
    requireTool("qemu-system-x86_64", "qemu-system-x86");
    await buildBootImage(paths.isohybrid, hybrid("isohybrid"));
    await buildBootImage(paths.protective, hybrid("protective"));
    const floppy = new Uint8Array(1_474_560);
    floppy.set(biosBootImage(`${BIOS}-FLOPPY`).subarray(0, 512));
    await buildBootImage(paths.floppy, { images: [{ image: floppy, emulation: "floppy-1.44" }] });
    // A 1 MiB disk whose MBR is the boot program, with one FAT16 partition so the entry has a system type.
    const disk = new Uint8Array(1 << 20);
    disk.set(MbrCodec.encode({ bootCode: biosBootImage(`${BIOS}-HDD`).subarray(0, 440), diskSignature: 7, partitions: [{ bootable: true, type: 0x06, startLba: 32, sectorCount: 2016 }] }));
    await buildBootImage(paths.disk, { images: [{ image: disk, emulation: "hard-disk" }] });
  });
  afterAll(() => dir.remove());

  const boot = async (name: string, args: string[], markers: string[], timeoutMs: number): Promise<string> => {
    const r = await bootQemu(args, markers, { timeoutMs, serialFile: join(dir.path, `${name}.serial`) });
    expect(r.found, `${name}: markers ${markers.join(", ")} not on COM1 within ${timeoutMs} ms; got:\n${r.output}`).toBe(true);
    return r.output;
  };

  it("BIOS boots the no-emulation El Torito image from CD (COM1 and int 10h)", async () => {
    // The second copy comes through int 10h, which SeaBIOS mirrors to the serial console.
    await boot("bios-cd", ["-boot", "d", "-cdrom", paths.isohybrid], [BIOS, BIOS], BIOS_LIMIT_MS);
  });

  it("BIOS boots floppy and hard-disk emulation images from CD", async () => {
    await boot("bios-floppy", ["-boot", "d", "-cdrom", paths.floppy], [`${BIOS}-FLOPPY`], BIOS_LIMIT_MS);
    await boot("bios-hdd", ["-boot", "d", "-cdrom", paths.disk], [`${BIOS}-HDD`], BIOS_LIMIT_MS);
  });

  it("BIOS loads the image at the catalog's load segment (0 meaning 07C0h)", async () => {
    const probe = biosSegmentProbe(BIOS);
    const custom = join(dir.path, "seg1000.iso");
    const standard = join(dir.path, "seg0.iso");
    await buildBootImage(custom, { images: [{ image: probe, loadSegment: 0x1000 }] });
    await buildBootImage(standard, { images: [{ image: probe }] });
    await boot("bios-seg1000", ["-boot", "d", "-cdrom", custom], [`${BIOS} SEG=1000`], BIOS_LIMIT_MS);
    await boot("bios-seg0", ["-boot", "d", "-cdrom", standard], [`${BIOS} SEG=07C0`], BIOS_LIMIT_MS);
  });

  it("BIOS loads as many 512-byte sectors as the entry's sector count says", async () => {
    // The program sits in the image's second 2 KiB: 8 virtual sectors reach it, 4 do not.
    const image = biosBootImage(`${BIOS}-LOAD8`, { codeOffset: 0xa00 });
    expect(image.length).toBe(4096);
    const eight = join(dir.path, "load8.iso");
    const four = join(dir.path, "load4.iso");
    await buildBootImage(eight, { images: [{ image, loadSectors: 8 }] });
    await buildBootImage(four, { images: [{ image, loadSectors: 4 }] });
    await boot("bios-load8", ["-boot", "d", "-cdrom", eight], [`${BIOS}-LOAD8`], BIOS_LIMIT_MS);
    const r = await bootQemu(["-boot", "d", "-cdrom", four], [`${BIOS}-LOAD8`], { timeoutMs: 4000, serialFile: join(dir.path, "bios-load4.serial") });
    expect(r.output).toContain("Booting from DVD/CD");
    expect(r.found).toBe(false);
  });

  it.each(["isohybrid", "protective"] as const)("BIOS boots the %s image as a USB disk: MBR code, then the El Torito image it locates", async (style) => {
    const out = await boot(`bios-usb-${style}`, ["-boot", "c", "-drive", `file=${paths[style]},format=raw,if=ide,snapshot=on`], [MBR, BIOS], BIOS_LIMIT_MS);
    expect(out.indexOf(MBR)).toBeLessThan(out.indexOf(BIOS));
  });

});
