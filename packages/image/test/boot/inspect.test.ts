import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeU32LE } from "@discforge/bytes";
import { MalformedDataError } from "@discforge/errors";
import { GPT_PARTITION_TYPES, GptHeaderCodec, bootEntryExtent, formatFat, inspectBoot, MbrCodec, type ReadAt } from "../../src/boot/index.js";
import { buildBootImage, requireTool, run, tempDir } from "./harness.js";
import { biosBootImage, efiMarkerApp } from "./payloads.js";

const reader = (bytes: Uint8Array): ReadAt => (offset, length) => bytes.subarray(offset, offset + length);

describe("inspectBoot", () => {
  const dir = tempDir("inspect");
  afterAll(() => dir.remove());
  const esp = formatFat({ files: [{ path: "EFI/BOOT/BOOTX64.EFI", data: efiMarkerApp("X") }] });
  const floppy = new Uint8Array(1_474_560);
  floppy.set(biosBootImage("F").subarray(0, 512));

  it("finds the catalog, MBR and both GPT headers of our hybrid image, and the images' extents", async () => {
    const iso = await buildBootImage(join(dir.path, "h.iso"), {
      images: [{ image: biosBootImage("B"), bootInfoTable: true, loadSectors: 4 }, { image: floppy, emulation: "floppy-1.44" }, { image: esp, platform: "efi", placement: "appended" }],
      hybrid: { style: "protective" },
    });
    const found = inspectBoot(reader(iso), iso.length);
    expect(found.elTorito?.bootRecordLba).toBe(17);
    expect(found.elTorito?.catalog.sections.map((s) => s.platformId)).toEqual([0, 0xef]);
    expect(found.mbr?.partitions[0]?.type).toBe(0xee);
    expect(found.gpt?.backup?.myLba).toBe(iso.length / 512 - 1);
    expect(found.gpt?.entries.map((e) => e.typeGuid)).toEqual([GPT_PARTITION_TYPES.basicData, GPT_PARTITION_TYPES.efiSystem]);
    const [floppyEntry, efiEntry] = found.elTorito!.catalog.sections.flatMap((s) => s.entries);
    const f = bootEntryExtent(floppyEntry!, reader(iso));
    expect(Buffer.compare(iso.subarray(f.offset, f.offset + f.length), floppy)).toBe(0);
    const e = bootEntryExtent(efiEntry!, reader(iso));
    expect(Buffer.compare(iso.subarray(e.offset, e.offset + e.length), esp)).toBe(0);
  });

  it("reads xorriso's El Torito and isohybrid GPT (needs xorriso)", () => {
    const root = join(dir.path, "root");
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, "boot.bin"), biosBootImage("B"));
    writeFileSync(join(root, "efi.img"), esp);
    const out = join(dir.path, "x.iso");
    const r = run(requireTool("xorriso", "xorriso"), ["-as", "mkisofs", "-o", out, "-b", "boot.bin", "-no-emul-boot", "-boot-load-size", "4", "-eltorito-alt-boot", "-e", "efi.img", "-no-emul-boot", "-isohybrid-gpt-basdat", "-isohybrid-mbr", join(root, "boot.bin"), root]);
    expect(r.status, r.stderr).toBe(0);
    const iso = new Uint8Array(readFileSync(out));
    const found = inspectBoot(reader(iso), iso.length);
    expect(found.elTorito?.catalog.defaultEntry.sectorCount).toBe(4);
    expect(found.elTorito?.catalog.sections[0]?.platformId).toBe(0xef);
    expect(found.mbr?.partitions[1]?.type).toBe(0xef);
    expect(found.gpt?.entries.map((e) => e.name)).toEqual(["ISOHybrid", "ISOHybrid1"]);
  });

  it("reports nothing for a plain image and throws MalformedDataError on hostile sizes", async () => {
    const plain = await buildBootImage(join(dir.path, "p.iso"), { images: [{ image: biosBootImage("B") }] });
    const found = inspectBoot(reader(plain), plain.length);
    expect(found.mbr).toBeUndefined();
    expect(found.gpt).toBeUndefined();
    expect(found.elTorito).toBeDefined();
    // Catalog pointer beyond the end.
    const far = plain.slice();
    writeU32LE(far, 17 * 2048 + 71, 0x7fffffff);
    expect(() => inspectBoot(reader(far), far.length)).toThrow(MalformedDataError);
    // A GPT claiming a huge entry array.
    const gpt = new Uint8Array(64 * 1024);
    gpt.set(MbrCodec.encode({ bootCode: new Uint8Array(0), diskSignature: 0, partitions: [{ bootable: false, type: 0xee, startLba: 1, sectorCount: 127 }] }));
    gpt.set(GptHeaderCodec.encode({ myLba: 1, alternateLba: 127, firstUsableLba: 34, lastUsableLba: 94, diskGuid: GPT_PARTITION_TYPES.basicData, partitionEntryLba: 2, numberOfPartitionEntries: 1 << 20, sizeOfPartitionEntry: 128, partitionEntryArrayCrc32: 0 }), 512);
    expect(() => inspectBoot(reader(gpt), gpt.length)).toThrow(/do not fit/);
    // Truncated: the image ends inside the catalog.
    expect(() => inspectBoot(reader(plain.subarray(0, 18 * 2048)), plain.length)).toThrow(MalformedDataError);
  });
});
