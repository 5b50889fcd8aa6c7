import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InvalidArgumentError } from "@discforge/errors";
import { FileSystemImage, planImage, writeImageFile, type FileNode } from "../../src/index.js";
import { BootCatalogCodec, MbrCodec, bootExtension, planElTorito, type BootOptions } from "../../src/boot/index.js";
import { buildBootImage, tempDir } from "./harness.js";
import { biosBootImage } from "./payloads.js";

const bios = biosBootImage("X");

describe("planElTorito", () => {
  it("groups entries into sections by platform and sizes load counts", () => {
    const plan = planElTorito({
      images: [
        { image: bios, loadSectors: 4 },
        { image: new Uint8Array(5000) }, // default load size: whole image
        { image: new Uint8Array(40 << 20), platform: "efi" }, // over 65535 sectors: recorded as 65535
        { image: new Uint8Array(1000), platform: "efi" },
        { image: new Uint8Array(1000), platform: "efi", sectionId: "SECOND" }, // a section ID opens a new section
      ],
    });
    const out = plan.finish({ pvdLba: 16, catalogLba: 20, imageLbas: [30, 31, 40, 50, 60] });
    const c = BootCatalogCodec.decode(out.catalog);
    expect(c.defaultEntry.sectorCount).toBe(4);
    expect(c.sections.map((s) => [s.platformId, s.idString, s.entries.map((e) => [e.sectorCount, e.loadRba])])).toEqual([
      [0, "", [[10, 31]]],
      [0xef, "", [[65535, 40], [2, 50]]],
      [0xef, "SECOND", [[2, 60]]],
    ]);
    expect(plan.images.map((i) => i.sectors)).toEqual([1, 3, 20480, 1, 1]);
    expect(out.bootRecord[71]).toBe(20);
  });

  it("takes the system type of a hard-disk emulation image from its one partition", () => {
    const disk = new Uint8Array(1 << 20);
    disk.set(MbrCodec.encode({ bootCode: new Uint8Array(0), diskSignature: 0, partitions: [{ bootable: true, type: 0x0c, startLba: 63, sectorCount: 1000 }] }));
    const c = BootCatalogCodec.decode(planElTorito({ images: [{ image: disk, emulation: "hard-disk" }] }).finish({ pvdLba: 16, catalogLba: 19, imageLbas: [20] }).catalog);
    expect(c.defaultEntry).toMatchObject({ emulation: "hard-disk", systemType: 0x0c, sectorCount: 1 });
    const two = disk.slice();
    two.set(MbrCodec.encode({ bootCode: new Uint8Array(0), diskSignature: 0, partitions: [{ bootable: true, type: 6, startLba: 63, sectorCount: 10 }, { bootable: false, type: 6, startLba: 80, sectorCount: 10 }] }));
    expect(() => planElTorito({ images: [{ image: two, emulation: "hard-disk" }] })).toThrow(/exactly one partition/);
    expect(() => planElTorito({ images: [{ image: new Uint8Array(1024), emulation: "hard-disk" }] })).toThrow(/MBR/);
  });

  it("rejects invalid combinations with InvalidArgumentError", () => {
    const bad: BootOptions["images"][] = [
      [],
      [{ image: new Uint8Array(1000), emulation: "floppy-1.44" }], // wrong floppy size
      [{ image: new Uint8Array(1_474_560), emulation: "floppy-1.2" }],
      [{ image: bios, platform: "efi", emulation: "floppy-1.44" }],
      [{ image: new Uint8Array(1_474_560), emulation: "floppy-1.44", bootInfoTable: true }],
      [{ image: new Uint8Array(32), bootInfoTable: true }],
      [{ image: bios, loadSectors: 0 }],
      [{ image: bios, loadSectors: 65536 }],
      [{ image: bios, loadSegment: 0x10000 }],
      [{ image: new Uint8Array(0) }],
      [{ image: bios, platform: 256 }],
      [{ image: bios, selectionCriteria: new Uint8Array(3) }], // only section entries have criteria
      [{ image: bios, systemType: 6 }],
      [{ image: bios, placement: "appended", bootInfoTable: true }],
      [{}],
    ];
    for (const images of bad) expect(() => planElTorito({ images }), JSON.stringify(images).slice(0, 80)).toThrow(InvalidArgumentError);
  });
});

describe("bootExtension with the planner", () => {
  const dir = tempDir("eltorito-plan");
  afterAll(() => dir.remove());

  it("uses a boot image already in the tree (mkisofs -b) and patches its boot info table at write time", async () => {
    const path = join(dir.path, "tree.iso");
    const image = new FileSystemImage({ date: new Date(Date.UTC(2024, 0, 1)) });
    image.addFile("isolinux/isolinux.bin", bios);
    const plan = planImage(image, { extensions: [bootExtension(image, { images: [{ path: "isolinux/isolinux.bin", bootInfoTable: true, loadSectors: 4 }], catalogPath: "isolinux/boot.cat" })] });
    await writeImageFile(plan, path);
    const iso = new Uint8Array(readFileSync(path));
    const lba = plan.extentOf(image.get("isolinux/isolinux.bin") as FileNode)!.lba;
    const c = BootCatalogCodec.decode(iso.subarray(plan.extentOf(image.get("isolinux/boot.cat") as FileNode)!.lba * 2048));
    expect(c.defaultEntry.loadRba).toBe(lba);
    expect(new DataView(iso.buffer, lba * 2048 + 8, 8).getUint32(4, true)).toBe(lba);
  });

  it("rejects a boot path that is not a file, and appended images with a path", () => {
    const image = new FileSystemImage();
    image.addDirectory("boot");
    expect(() => bootExtension(image, { images: [{ path: "boot" }] })).toThrow(/not a file/);
    expect(() => bootExtension(image, { images: [{ path: "missing.img" }] })).toThrow(/not a file/);
    expect(() => bootExtension(image, { images: [{ image: bios, path: "boot/esp.img", placement: "appended" }] })).toThrow(InvalidArgumentError);
    expect(() => bootExtension(new FileSystemImage(), { images: [{ image: bios }, { image: new Uint8Array(4096), platform: "efi" }], hybrid: { style: "protective" } })).toThrow(/appended/);
    expect(() => bootExtension(new FileSystemImage(), { images: [{ image: bios }], hybrid: { mbrTemplate: new Uint8Array(100) } })).toThrow(/template/);
    // A rejected call adds nothing to the tree.
    const untouched = new FileSystemImage();
    expect(() => bootExtension(untouched, { images: [{ image: bios, path: "boot/a.img" }, { image: new Uint8Array(10), emulation: "floppy-1.44" }], catalogPath: "boot.cat" })).toThrow(InvalidArgumentError);
    expect(untouched.root.children.size).toBe(0);
  });

  it("aligns appended partitions, or the image end, to 1 MiB cylinders on request", async () => {
    const esp = new Uint8Array(3 << 20);
    const appended = await buildBootImage(join(dir.path, "cyl-a.iso"), { images: [{ image: bios }, { image: esp, platform: "efi", placement: "appended" }], hybrid: { cylinderAlign: true } });
    const mbr = MbrCodec.decode(appended);
    expect(mbr.partitions[0]!.sectorCount % 2048).toBe(0); // ISO data padded to a cylinder
    expect(mbr.partitions[1]!.startLba % 2048).toBe(0);
    expect(mbr.partitions[1]!.sectorCount).toBe(esp.length / 512);
    // On the grid: real CHS values, not the FE FF FF marker.
    expect(Array.from(mbr.partitions[1]!.chsFirst!)).toEqual([0, 1, mbr.partitions[1]!.startLba / 2048]);
    expect(Buffer.compare(appended.subarray(mbr.partitions[1]!.startLba * 512, mbr.partitions[1]!.startLba * 512 + esp.length), esp)).toBe(0);
    const whole = await buildBootImage(join(dir.path, "cyl-b.iso"), { images: [{ image: bios }], hybrid: { cylinderAlign: true } });
    expect(whole.length % (1 << 20)).toBe(0);
    expect(MbrCodec.decode(whole).partitions[0]!.sectorCount).toBe(whole.length / 512);
    const unaligned = await buildBootImage(join(dir.path, "cyl-c.iso"), { images: [{ image: bios }, { image: esp, platform: "efi", placement: "appended" }], hybrid: {} });
    expect(Array.from(MbrCodec.decode(unaligned).partitions[1]!.chsFirst!)).toEqual([0xfe, 0xff, 0xff]);
  });

  it("builds byte-identical hybrid images from the same inputs in reproducible mode", async () => {
    const options: BootOptions = { images: [{ image: bios, bootInfoTable: true }, { image: new Uint8Array(1 << 20), platform: "efi", placement: "appended" }], hybrid: { style: "protective" } };
    const a = await buildBootImage(join(dir.path, "a.iso"), options);
    const b = await buildBootImage(join(dir.path, "b.iso"), options);
    expect(Buffer.compare(a, b)).toBe(0);
    expect(a.length % 2048).toBe(0);
  });
});
