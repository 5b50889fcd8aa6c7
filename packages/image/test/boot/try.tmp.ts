import { buildBootImage } from "./harness.js";
import { biosBootImage, efiMarkerApp, mbrChainTemplate } from "./payloads.js";
import { formatFat, MbrCodec } from "../../src/boot/index.js";
const esp = formatFat({ files: [{ path: "EFI/BOOT/BOOTX64.EFI", data: efiMarkerApp("DISCFORGE-UEFI-OK") }] });
const floppy = new Uint8Array(1474560); floppy.set(biosBootImage("FLOPPY").subarray(0, 512));
const hd = new Uint8Array(1 << 20); hd.set(MbrCodec.encode({ bootCode: new Uint8Array(0), diskSignature: 1, partitions: [{ bootable: true, type: 0x06, startLba: 32, sectorCount: 2016 }] }));
await buildBootImage("/tmp/m1.iso", { images: [
  { image: biosBootImage("DISCFORGE-BIOS-OK"), path: "boot/bios.img", loadSectors: 4, bootInfoTable: true },
  { image: floppy, emulation: "floppy-1.44", sectionId: "FLOPPY" },
  { image: hd, emulation: "hard-disk" , loadSegment: 0x7c0},
  { image: esp, platform: "efi", path: "boot/efi.img" },
], catalogPath: "boot/boot.cat", idString: "DISCFORGE" });
await buildBootImage("/tmp/h1.iso", { images: [{ image: biosBootImage("DISCFORGE-BIOS-OK"), loadSectors: 4, bootInfoTable: true }, { image: esp, platform: "efi", placement: "appended" }], hybrid: { mbrTemplate: mbrChainTemplate("DISCFORGE-MBR-OK") } });
await buildBootImage("/tmp/h2.iso", { images: [{ image: biosBootImage("DISCFORGE-BIOS-OK"), loadSectors: 4, bootInfoTable: true }, { image: esp, platform: "efi", placement: "appended" }], hybrid: { style: "protective", mbrTemplate: mbrChainTemplate("DISCFORGE-MBR-OK") } });
