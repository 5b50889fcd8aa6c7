import { describe, expect, it } from "vitest";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { DataWriter, bytesSource, iterableSource, recordDisc, stageImage, type BurnEvent } from "../src/index.js";
import { discBytes, pattern, rig } from "./helpers.js";

describe("event stream", () => {
  it("reports IMAPI's phases in order with position, fills, speed and times", async () => {
    const r = rig("dvd-r", { throttle: true });
    const events: BurnEvent[] = [];
    const result = await new DataWriter(r.recorder).write(bytesSource(pattern(8192)), { clock: r.clock, verify: "quick", writeBlocks: 32, onEvent: (e) => events.push(e) });
    const phases = events.filter((e) => e.type === "phase").map((e) => (e.type === "phase" ? e.phase : ""));
    expect(phases).toEqual(["validating-media", "initializing-hardware", "calibrating-power", "writing", "finalizing", "verifying", "completed"]);
    const writing = events.filter((e): e is Extract<BurnEvent, { type: "progress" }> => e.type === "progress" && e.phase === "writing");
    expect(writing.length).toBeGreaterThan(5);
    const last = writing.at(-1)!;
    expect(last.sectorsDone).toBe(last.sectorsTotal);
    expect(last.sectorsTotal).toBe(8192);
    expect(writing.every((e, i) => i === 0 || e.sectorsDone >= writing[i - 1]!.sectorsDone)).toBe(true);
    expect(writing.some((e) => e.driveBufferFill !== undefined && e.driveBufferFill > 0)).toBe(true);
    expect(writing.every((e) => e.ringFill !== undefined && e.ringFill >= 0 && e.ringFill <= 1)).toBe(true);
    // At 16x DVD the drive records 22 MB/s: the reported speed is close to 16x.
    expect(last.speedX).toBeGreaterThan(12);
    expect(last.speedX).toBeLessThan(20); // the drive buffer takes the first 2 MiB at once
    expect(writing.some((e) => e.remainingMs !== undefined && e.remainingMs > 0)).toBe(true);
    expect(result.verification.sectorsChecked).toBeGreaterThanOrEqual(60);
  });

  it("a formatting phase on a blank BD-RE, and speed adjustment reported as S_IMAPI_SPEEDADJUSTED", async () => {
    const r = rig("bd-re");
    const events: BurnEvent[] = [];
    const result = await new DataWriter(r.recorder).write(bytesSource(pattern(64)), { speed: 1.5, onEvent: (e) => events.push(e) });
    expect(events.some((e) => e.type === "phase" && e.phase === "formatting")).toBe(true);
    expect(result.imapi.name).toBe("S_IMAPI_SPEEDADJUSTED");
    expect(result.speed.selectedX).toBe(1);
    expect(events.some((e) => e.type === "warning" && e.code === "speed-adjusted")).toBe(true);
  });

  it("rotation and both adjusted", async () => {
    const r = rig("dvd+r");
    const both = await new DataWriter(r.recorder).write(bytesSource(pattern(16)), { speed: 5, rotation: "cav" });
    expect(both.imapi.name).toBe("S_IMAPI_BOTHADJUSTED");
    const rot = await new DataWriter(r.recorder).write(bytesSource(pattern(16), { startLba: both.discState.nextWritableAddress! }), { speed: 8, rotation: "cav" });
    expect(rot.imapi.name).toBe("S_IMAPI_ROTATIONADJUSTED");
  });
});

describe("RecordDisc and the stash", () => {
  it("stages a one-pass stream, burns it, verifies every sector and wipes the stash", async () => {
    const r = rig("cd-r");
    const data = pattern(500);
    async function* once() {
      yield data.subarray(0, 100 * 2048);
      yield data.subarray(100 * 2048);
    }
    const result = await recordDisc(r.recorder, iterableSource(data.length, once()), false, true, { verify: "full" });
    expect(result.staged).toBe(true);
    expect(result.ejected).toBe(true);
    expect(result.verification).toMatchObject({ mode: "full", sectorsChecked: 500, passed: true });
    expect(Buffer.from(discBytes(r.disc, 0, 500)).equals(Buffer.from(data))).toBe(true);
  });

  it("a staged image is wiped after the first real burn, not after a simulation", async () => {
    const r = rig("dvd-rw");
    const data = pattern(64);
    const staged = await stageImage(bytesSource(data));
    expect(readFileSync(staged.path).equals(Buffer.from(data))).toBe(true);
    await recordDisc(r.recorder, staged, true, false);
    expect(staged.wiped).toBe(false);
    await recordDisc(r.recorder, staged, false, false, { verify: "full" });
    expect(staged.wiped).toBe(true);
    expect(() => staged.open()).toThrow(/stage it again/);
  });

  it("a stash that cannot be wiped is a warning, not a failed burn: the folder is still removed", async () => {
    const r = rig("dvd-rw");
    const data = pattern(64);
    async function* once() {
      yield data;
    }
    const events: BurnEvent[] = [];
    // Once the burn is complete the stash file is swapped for a directory: overwriting it fails,
    // removing its folder must not.
    let stash = "";
    let swapped = "";
    const result = await recordDisc(r.recorder, iterableSource(data.length, once()), false, false, {
      verify: "full",
      stage: true,
      onEvent: (e) => {
        events.push(e);
        if (e.type === "staged") stash = e.path;
        if (e.type === "phase" && e.phase === "completed" && stash && !swapped) {
          swapped = stash;
          rmSync(stash);
          mkdirSync(stash);
        }
      },
    });
    expect(swapped).not.toBe("");
    expect(result.staged).toBe(true);
    expect(Buffer.from(discBytes(r.disc, 0, 64)).equals(Buffer.from(data))).toBe(true);
    const warning = events.find((e) => e.type === "warning" && e.code === "stash-not-wiped");
    expect(warning, "a warning says the stash was not overwritten").toBeDefined();
    expect(existsSync(dirname(swapped)), "the staging folder is removed anyway").toBe(false);
  });

  it("full verification of a one-pass source without staging compares digests", async () => {
    const r = rig("bd-r");
    const data = pattern(300);
    async function* gen() {
      yield data;
    }
    const result = await new DataWriter(r.recorder).write(iterableSource(data.length, gen()), { verify: "full" });
    expect(result.verification).toMatchObject({ mode: "full", sectorsChecked: 300, passed: true });
  });

  it("digest verification of a one-pass source finds a corrupted sector", async () => {
    const r = rig("bd-r");
    const data = pattern(300);
    async function* gen() {
      yield data;
    }
    const e = await new DataWriter(r.recorder)
      .write(iterableSource(data.length, gen()), {
        verify: "full",
        onEvent: (ev) => {
          if (ev.type === "phase" && ev.phase === "verifying") r.disc.store.write(123, new Uint8Array(2048).fill(7));
        },
      })
      .catch((x: unknown) => x);
    expect((e as { imapiCode: { name: string } }).imapiCode.name).toBe("E_IMAPI_BURN_VERIFICATION_FAILED");
    expect((e as Error).message).toMatch(/LBA 123/);
  });

  it("verification finds a sector that differs and fails the burn", async () => {
    const r = rig("dvd+r");
    const data = pattern(256);
    // The drive records one sector wrongly: flip it in the store right after the WRITE lands.
    const writer = new DataWriter(r.recorder);
    const e = await writer
      .write(bytesSource(data), {
        verify: "full",
        onEvent: (ev) => {
          if (ev.type === "phase" && ev.phase === "verifying") r.disc.store.write(200, new Uint8Array(2048).fill(1));
        },
      })
      .catch((x: unknown) => x);
    expect((e as { imapiCode: { name: string } }).imapiCode.name).toBe("E_IMAPI_BURN_VERIFICATION_FAILED");
    expect((e as Error).message).toMatch(/1 sector\(s\) differ.*LBA 200/);
  });
});

describe("automatic staging", () => {
  it("stages a repeatable source measured slower than the drive, burns from the stash and wipes it", async () => {
    const r = rig("dvd+r");
    const data = pattern(2048);
    let opens = 0;
    const slow = {
      byteLength: data.length,
      repeatable: true,
      open: async function* () {
        opens++;
        for (let at = 0; at < data.length; at += 256 * 1024) {
          await new Promise((res) => setTimeout(res, 20)); // about 13 MB/s, slower than 16x DVD+R (22 MB/s)
          yield data.subarray(at, at + 256 * 1024);
        }
      },
    };
    const warnings: string[] = [];
    const result = await recordDisc(r.recorder, slow, false, false, { verify: "full", onEvent: (e) => e.type === "warning" && warnings.push(e.code) });
    expect(result.staged).toBe(true);
    expect(warnings).toContain("staging");
    expect(opens).toBe(2); // once to measure, once to stage; burning and verifying read the stash
    expect(result.verification.passed).toBe(true);
  });

  it("does not stage a source faster than the drive", async () => {
    const r = rig("cd-r");
    const result = await recordDisc(r.recorder, bytesSource(pattern(512)), false, false);
    expect(result.staged).toBe(false);
  });
});
