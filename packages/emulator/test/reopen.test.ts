/** Virtual disc files: reopening restores the exact state; a finished disc file is an ISO image. */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InvalidArgumentError } from "@discforge/errors";
import { buildCloseTrackSession, buildReadTrackInformation, buildSynchronizeCache, buildWrite10, buildRead10, buildStartStopUnit } from "@discforge/mmc";
import { VirtualClock, openVirtualDisc, parseEmulatorAddress, parseMediaOption, sidecarPath } from "../src/index.js";
import { blocks, clearAttentions, ok } from "./harness.js";

const dir = mkdtempSync(join(tmpdir(), "emu-reopen-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const W = (lba: number, n: number, data = blocks(lba, n)) => ({ ...buildWrite10({ lba, transferLength: n }, data), dataOut: data });

describe("virtual disc files", () => {
  it("reopening restores the exact state and data; writing continues at the NWA", async () => {
    const path = join(dir, "multi.img");
    const a = openVirtualDisc(`emu:${path}`, { media: "dvd+r", clock: new VirtualClock() });
    await clearAttentions(a);
    await ok(a, W(0, 48));
    await ok(a, buildSynchronizeCache());
    await ok(a, buildCloseTrackSession({ closeFunction: "closeTrack", trackNumber: 1 }));
    await ok(a, W(48, 20));
    await ok(a, buildSynchronizeCache());
    const before = structuredClone(a.disc!.state);
    const info = await ok(a, buildReadTrackInformation({ addressType: "track", address: 2 }));
    await a.close();

    const b = openVirtualDisc(`emu:${path}`, { clock: new VirtualClock() });
    await clearAttentions(b);
    expect(b.disc!.state).toEqual(before);
    expect(await ok(b, buildReadTrackInformation({ addressType: "track", address: 2 }))).toEqual(info);
    expect(await ok(b, buildRead10({ lba: 40, transferLength: 8 }))).toEqual(blocks(40, 8));
    await ok(b, W(68, 12));
    await b.close();
    expect(() => openVirtualDisc(path, { media: "bd-r" })).toThrow(InvalidArgumentError);
  });

  it("a new file needs --media; addresses and media options are checked", () => {
    expect(() => openVirtualDisc(join(dir, "none.img"))).toThrow(InvalidArgumentError);
    expect(parseEmulatorAddress("emu:/tmp/x.img")).toEqual({ path: "/tmp/x.img" });
    expect(() => parseEmulatorAddress("/dev/sr0")).toThrow(InvalidArgumentError);
    expect(() => parseEmulatorAddress("emu:")).toThrow(InvalidArgumentError);
    expect(parseMediaOption("dvd+r-dl")).toBe("dvd+r-dl");
    expect(() => parseMediaOption("dvd-rom")).toThrow(InvalidArgumentError);
  });

  it("a fault plan from a JSON file, and the trace as JSON", async () => {
    const plan = join(dir, "plan.json");
    writeFileSync(plan, JSON.stringify({ faults: [{ when: { lba: 20 }, opcode: "0x2a", action: { sense: [3, 0x0c, 0] } }] }));
    const d = openVirtualDisc(`emu:${join(dir, "faulty.img")}`, { media: "cd-r", faults: plan, clock: new VirtualClock() });
    await clearAttentions(d);
    await ok(d, W(0, 16));
    const r = await d.execute({ ...W(16, 8), timeoutMs: 1000 });
    expect(r.kind === "check-condition" ? [r.sense[2]! & 15, r.sense[12]] : r).toEqual([3, 0x0c]);
    const json = d.trace.toJSON() as { name: string; cdb: string; result: string; sense?: { asc: number } }[];
    expect(json.at(-1)).toMatchObject({ name: "WRITE(10)", cdb: "2a000000001000000800", result: "check-condition", sense: { asc: 0x0c } });
    await d.close();
  });

  it("a plain image file without a sidecar loads as a finished ROM disc", async () => {
    const path = join(dir, "plain.iso");
    writeFileSync(path, blocks(0, 30));
    const d = openVirtualDisc(path, { clock: new VirtualClock() });
    await clearAttentions(d);
    expect(d.disc!.state.media).toBe("cd-rom");
    expect(await ok(d, buildRead10({ lba: 29, transferLength: 1 }))).toEqual(blocks(29, 1));
    await d.close();
  });

  // Needs xorriso and isoinfo (Debian: xorriso, genisoimage; listed in scripts/system-packages.txt).
  it("a finished single-session data disc file is the ISO image (plus ECC padding) [xorriso, isoinfo]", async () => {
    const src = join(dir, "tree");
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, "hello.txt"), "hello from the emulated drive\n");
    const iso = join(dir, "src.iso");
    execFileSync("xorriso", ["-as", "mkisofs", "-quiet", "-V", "EMUTEST", "-o", iso, src], { stdio: "pipe" });
    const image = readFileSync(iso);
    const sectors = image.length / 2048;
    const path = join(dir, "burnt.img");
    const d = openVirtualDisc(path, { media: "dvd+r", clock: new VirtualClock() });
    await clearAttentions(d);
    for (let lba = 0; lba < sectors; lba += 16) {
      const n = Math.min(16, sectors - lba);
      await ok(d, W(lba, n, new Uint8Array(image.subarray(lba * 2048, (lba + n) * 2048))));
    }
    await ok(d, buildSynchronizeCache());
    await ok(d, buildCloseTrackSession({ closeFunction: "closeTrack", trackNumber: 1 }));
    await ok(d, buildCloseTrackSession({ closeFunction: "finalize", trackNumber: 0 }));
    await ok(d, buildStartStopUnit({ loej: true, start: false }));
    await d.close();
    expect(existsSync(sidecarPath(path))).toBe(true);
    // The drive pads the closed track to its 16-sector ECC block, as READ CAPACITY then reports.
    const padded = Math.ceil(sectors / 16) * 16 * 2048;
    expect(statSync(path).size).toBe(padded);
    const file = readFileSync(path);
    expect(file.subarray(0, image.length).equals(image)).toBe(true);
    expect(file.subarray(image.length).every((b) => b === 0)).toBe(true);
    const pvd = execFileSync("isoinfo", ["-d", "-i", path], { encoding: "utf8" });
    expect(pvd).toMatch(/Volume id: EMUTEST/);
    const listing = execFileSync("isoinfo", ["-f", "-i", path], { encoding: "utf8" });
    expect(listing).toMatch(/HELLO\.TXT/i);
  });
});
