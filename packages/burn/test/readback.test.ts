/**
 * Discs burned from images the image package builds are read back by independent readers: the
 * image package's reader and xorriso (installed by scripts/system-packages.txt; this test needs
 * it and says so). Covers a CD-R multisession burn (second session built for the NWA, importing
 * the first) and a DVD-R Disc-at-Once burn with a reserved track, and BD-R with WRITE(12) streaming.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileSystemImage, IsoReader, importSession, planImage, streamImage, type BlockSource } from "@discforge/image";
import { openVirtualDisc } from "@discforge/emulator";
import { buildRead10 } from "@discforge/mmc";
import { Recorder } from "@discforge/drive";
import { DataWriter, type BurnSource } from "../src/index.js";
import { rig } from "./helpers.js";

function imageSource(files: Record<string, string>, startLba = 0, base?: FileSystemImage): { source: BurnSource; image: FileSystemImage } {
  const image = base ?? new FileSystemImage({ date: new Date("2026-01-01T00:00:00Z") });
  for (const [path, text] of Object.entries(files)) image.addFile(path, new TextEncoder().encode(text));
  const plan = planImage(image, { startLba });
  return { source: { byteLength: plan.byteLength, repeatable: true, startLba, open: () => streamImage(plan) }, image };
}

function xorriso(args: string[]): string {
  const r = spawnSync("xorriso", args, { encoding: "utf8" });
  if (r.error) throw new Error("this test needs xorriso (scripts/system-packages.txt installs it)");
  return r.stdout + r.stderr;
}

describe("independent read-back", () => {
  it("CD-R multisession: the second session shows old and new files to our reader and to xorriso", async () => {
    const dir = mkdtempSync(join(tmpdir(), "burn-readback-"));
    try {
      const path = join(dir, "cd.img");
      const drive = openVirtualDisc(path, { media: "cd-r", throttle: false });
      const rec = new Recorder(drive);
      const w = new DataWriter(rec);
      const first = await w.write(imageSource({ "/one.txt": "first session\n" }).source, { verify: "full" });
      const nwa = first.discState.nextWritableAddress!;
      expect(nwa).toBeGreaterThan(11_000); // lead-out + lead-in + pre-gap of the first session
      const source: BlockSource = { sectorCount: undefined, readSectors: async (lba, count) => (await rec.run(buildRead10({ lba, transferLength: count }))).data };
      const image = new FileSystemImage({ date: new Date("2026-01-01T00:00:00Z") });
      await importSession(await IsoReader.open(source, { sessionStart: 0 }), image);
      const second = await w.write(imageSource({ "/two.txt": "second session\n" }, nwa, image).source, { verify: "full" });
      expect(second.startLba).toBe(nwa);
      await drive.close();
      const reader = await IsoReader.open(path, { sessionStart: nwa });
      expect(new TextDecoder().decode(await reader.readFile("/one.txt"))).toBe("first session\n");
      expect(new TextDecoder().decode(await reader.readFile("/two.txt"))).toBe("second session\n");
      await reader.close();
      const out = xorriso(["-indev", path, "-load", "sbsector", String(nwa), "-ls", "/"]);
      expect(out).toMatch(/'one\.txt'/);
      expect(out).toMatch(/'two\.txt'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("DVD-R Disc-at-Once: RESERVE TRACK of the padded size, the session closes with the data", async () => {
    const r = rig("dvd-r");
    const { source } = imageSource({ "/dao.txt": "disc at once\n" });
    const result = await new DataWriter(r.recorder).write(source, { dao: true, verify: "full" });
    const reserve = r.drive.trace.all.find((t) => t.opcode === 0x53)!;
    expect(new DataView(reserve.cdb.buffer, reserve.cdb.byteOffset).getUint32(5)).toBe(Math.ceil(source.byteLength / 2048 / 16) * 16);
    expect(r.drive.trace.all.some((t) => t.opcode === 0x5b)).toBe(false);
    expect(result.discState.status).not.toBe("blank");
    expect(r.disc.state.sessions[0]!.closed).toBe(true);
  });

  it("BD-R with WRITE(12) and the Streaming bit, read back by xorriso from the virtual disc file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "burn-readback-"));
    try {
      const path = join(dir, "bd.img");
      const drive = openVirtualDisc(path, { media: "bd-r", throttle: false });
      const rec = new Recorder(drive);
      const big = "x".repeat(300_000);
      await new DataWriter(rec).write(imageSource({ "/big.txt": big, "/small.txt": "s" }).source, { streaming: true, verify: "full", close: true });
      const w12 = drive.trace.all.filter((t) => t.opcode === 0xaa);
      expect(w12.length).toBeGreaterThan(0);
      expect(w12.every((t) => (t.cdb[10]! & 0x80) !== 0)).toBe(true);
      expect(drive.trace.all.some((t) => t.opcode === 0x2a)).toBe(false);
      await drive.close();
      writeFileSync(join(dir, "out.txt"), "");
      const out = xorriso(["-osirrox", "on", "-indev", path, "-extract", "/big.txt", join(dir, "out.txt")]);
      expect(out).not.toMatch(/FAILURE/);
      expect(readFileSync(join(dir, "out.txt"), "utf8")).toBe(big);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});


describe("every writable medium: an ISO burned, read back by the image package's reader", () => {
  it.each(["cd-r", "cd-rw", "dvd-r", "dvd-rw", "dvd+r", "dvd+r-dl", "dvd+rw", "dvd-ram", "bd-r", "bd-re"] as const)("%s", async (media) => {
    const r = rig(media);
    const text = `on ${media}\n`.repeat(3000);
    await new DataWriter(r.recorder).write(imageSource({ "/dir/file.txt": text, "/small": "x" }).source, { verify: "full" });
    const disc: BlockSource = { sectorCount: undefined, readSectors: async (lba, count) => r.disc.store.read(lba, count) };
    const reader = await IsoReader.open(disc);
    expect(new TextDecoder().decode(await reader.readFile("/dir/file.txt"))).toBe(text);
    expect(new TextDecoder().decode(await reader.readFile("/small"))).toBe("x");
    await reader.close();
  });
});
