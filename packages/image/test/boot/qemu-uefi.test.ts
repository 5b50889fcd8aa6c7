/**
 * BOOT (UEFI): OVMF under QEMU (TCG) runs our PE32+ marker app as EFI/BOOT/BOOTX64.EFI from the
 * FAT image we format: from CD (El Torito platform EFh entry pointing at the appended ESP) and
 * from the hybrid image as a disk, with the ESP found through the MBR ("isohybrid" style, ESP
 * appended or inside the ISO) or through the GPT ("protective" style). Each OVMF boot takes
 * 10-15 s under TCG.
 * Needs Debian packages qemu-system-x86 and ovmf (scripts/system-packages.txt).
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatFat, type BootOptions } from "../../src/boot/index.js";
import { OVMF_FIRMWARE, bootQemu, buildBootImage, requireTool, tempDir } from "./harness.js";
import { biosBootImage, efiMarkerApp, mbrChainTemplate } from "./payloads.js";

const UEFI = "DISCFORGE-UEFI-OK";
const LIMIT_MS = 90_000;

describe("UEFI boot under QEMU with OVMF (needs qemu-system-x86, ovmf)", () => {
  const dir = tempDir("qemu-uefi");
  const esp = formatFat({ files: [{ path: "EFI/BOOT/BOOTX64.EFI", data: efiMarkerApp(UEFI) }] });
  const options = (style: "isohybrid" | "protective"): BootOptions => ({
    images: [
      { image: biosBootImage("DISCFORGE-BIOS-OK"), loadSectors: 4, bootInfoTable: true },
      { image: esp, platform: "efi", placement: "appended" },
    ],
    hybrid: { style, mbrTemplate: mbrChainTemplate("DISCFORGE-MBR-OK") },
  });
  const paths = { isohybrid: join(dir.path, "isohybrid.iso"), protective: join(dir.path, "protective.iso"), embedded: join(dir.path, "embedded.iso") };
  let firmware: string[] = [];

  beforeAll(async () => {
    requireTool("qemu-system-x86_64", "qemu-system-x86");
    if (OVMF_FIRMWARE === undefined) throw new Error('OVMF firmware is missing: install Debian package "ovmf" (listed in scripts/system-packages.txt)');
    firmware = ["-bios", OVMF_FIRMWARE];
    await buildBootImage(paths.isohybrid, options("isohybrid"));
    await buildBootImage(paths.protective, options("protective"));
    // Debian-style: the ESP is a file of the ISO (El Torito -e efi.img) and MBR partition 2 points into it.
    await buildBootImage(paths.embedded, {
      images: [
        { image: biosBootImage("DISCFORGE-BIOS-OK"), loadSectors: 4, bootInfoTable: true },
        { image: esp, platform: "efi", path: "boot/efi.img" },
      ],
      hybrid: { style: "isohybrid" },
    });
  });
  afterAll(() => dir.remove());

  const boot = async (name: string, args: string[]): Promise<string> => {
    const r = await bootQemu([...firmware, ...args], [UEFI], { timeoutMs: LIMIT_MS, serialFile: join(dir.path, `${name}.serial`) });
    expect(r.found, `${name}: ${UEFI} not on COM1 within ${LIMIT_MS} ms; got:\n${r.output}`).toBe(true);
    return r.output;
  };

  it.each(["isohybrid", "embedded"] as const)("boots the %s image from CD through the El Torito EFI entry", async (kind) => {
    // isohybrid: the entry points at the appended ESP; embedded: at efi.img inside the ISO tree.
    const out = await boot(`uefi-cd-${kind}`, ["-cdrom", paths[kind]]);
    expect(out).toMatch(/starting Boot\d+ "UEFI QEMU DVD-ROM/);
  }, 120_000);

  it.each(["isohybrid", "protective", "embedded"] as const)("boots the %s image as a disk through its EFI system partition", async (style) => {
    const out = await boot(`uefi-usb-${style}`, ["-drive", `file=${paths[style]},format=raw,if=ide,snapshot=on`]);
    expect(out).toMatch(/starting Boot\d+ "UEFI QEMU HARDDISK/);
  }, 120_000);
});
