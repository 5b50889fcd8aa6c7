/**
 * Staging decided while writing (issue 8): the writer fills its host ring before the first WRITE
 * and times the source meanwhile. Against an emulated 12x BD-R (54 MB/s) on the virtual clock:
 * - a one-pass source delivering 20 MB/s with BUFE off is diverted into a stash (ring contents
 *   first, the source read once), the disc is written from it only after staging finished, the
 *   disc holds the source's bytes and the stash is wiped (zeros, then removed);
 * - an instant source is not staged;
 * - a source that stalls mid-burn starves the drive (BUFE on: links), the result says so, and a
 *   second recordDisc of the same source stages it before the burn.
 */
import { afterEach, describe, expect, it } from "vitest";
import { existsSync, linkSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { VirtualClock } from "@discforge/emulator";
import type { TraceEntry } from "@discforge/drive";
import { BurnError, DataWriter, KBPS_1X, bytesPerSecondAt, fileSource, forgetSourceRates, iterableSource, recordDisc, rememberedSourceRate, type BurnEvent, type BurnSource } from "../src/index.js";
import { discBytes, pattern, rig } from "./helpers.js";
import { formatBurnResult, progressPrinter } from "../../cli/src/commands/burn.js";

const MIB = 1024 * 1024;
const NEED_12X_BD = bytesPerSecondAt(12 * KBPS_1X.BD, "BD");

/** 1 MiB chunks of `data`, each after `msPerChunk` of clock time (the source's own pace). */
async function* throttled(data: Uint8Array, clock: VirtualClock, bytesPerSecond: number, chunks: { n: number }): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < data.length; at += MIB) {
    const piece = data.subarray(at, Math.min(data.length, at + MIB));
    await clock.sleep((piece.length / bytesPerSecond) * 1000);
    chunks.n++;
    yield piece;
  }
}

/** One log of drive commands and burn events, in the order they happened. */
function recorderLog(r: ReturnType<typeof rig>) {
  const log: ({ kind: "command"; entry: TraceEntry } | { kind: "event"; event: BurnEvent })[] = [];
  r.recorder.runner.addTraceSink((entry) => log.push({ kind: "command", entry }));
  const firstWrite = () => log.findIndex((l) => l.kind === "command" && /^WRITE/.test(l.entry.command));
  const eventAt = (type: BurnEvent["type"]) => log.findIndex((l) => l.kind === "event" && l.event.type === type);
  return { log, onEvent: (event: BurnEvent) => log.push({ kind: "event", event }), firstWrite, eventAt };
}

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "discforge-staging-test-"));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  forgetSourceRates();
});

describe("staging decided while writing (emulated 12x BD-R, virtual clock)", () => {
  it("a one-pass source at 20 MB/s with BUFE off: staged before the first WRITE, the disc holds its bytes, the stash is wiped", async () => {
    // Unthrottled drive: the stash is read with real I/O while the writer's waits advance the
    // virtual clock, which would drain a throttled drive's buffer in no real time. The next test
    // shows what the same source does to a throttled drive without staging.
    const r = rig("bd-r");
    const data = pattern((48 * MIB) / 2048, 7);
    const chunks = { n: 0 };
    const stageDir = tempDir();
    const keep = tempDir();
    const log = recorderLog(r);
    let stashAtStaged: Buffer | undefined;
    let stashPath = "";
    const result = await recordDisc(r.recorder, iterableSource(data.length, throttled(data, r.clock, 20e6, chunks)), false, false, {
      speed: 12,
      bufe: false,
      bufferBytes: 8 * MIB,
      clock: r.clock,
      stageDir,
      onEvent: (e) => {
        log.onEvent(e);
        if (e.type === "staged") {
          stashPath = e.path;
          stashAtStaged = readFileSync(e.path);
          // A second name for the stash's inode shows what the wipe leaves behind.
          linkSync(e.path, join(keep, "stash-link"));
        }
      },
    });

    const decision = log.log.flatMap((l) => (l.kind === "event" && l.event.type === "source-rate" ? [l.event] : []));
    expect(decision).toHaveLength(1);
    expect(decision[0]).toMatchObject({ at: "before-first-write", decision: "stage", sampledBytes: 8 * MIB });
    expect(decision[0]!.measuredBytesPerSecond / 20e6).toBeGreaterThan(0.9);
    expect(decision[0]!.measuredBytesPerSecond / 20e6).toBeLessThan(1.1);
    expect(decision[0]!.neededBytesPerSecond).toBeCloseTo(NEED_12X_BD, 0);
    // No WRITE before the decision, nor before staging finished; the stash then held every byte.
    expect(log.firstWrite()).toBeGreaterThan(log.eventAt("staged"));
    expect(log.eventAt("staged")).toBeGreaterThan(log.eventAt("source-rate"));
    expect(stashAtStaged!.equals(Buffer.from(data))).toBe(true);
    // The one-pass source was read exactly once.
    expect(chunks.n).toBe(48);

    expect(result.staged).toBe(true);
    expect(result.source.staged).toMatchObject({ path: stashPath, bytes: data.length });
    expect(result.source.prefillBytes).toBe(8 * MIB);
    expect(result.speed.selectedX).toBe(12);
    expect(result.bufe).toBe(false);
    expect(r.disc.state.links).toBe(0);
    expect(Buffer.from(discBytes(r.disc, 0, data.length / 2048)).equals(Buffer.from(data))).toBe(true);
    expect(result.verification).toMatchObject({ mode: "quick", passed: true });
    // Wiped: zeros in the stash's inode, no file left in the stage folder.
    expect(existsSync(stashPath)).toBe(false);
    expect(readdirSync(stageDir)).toEqual([]);
    const left = readFileSync(join(keep, "stash-link"));
    expect(left.length).toBe(data.length);
    expect(left.every((b) => b === 0)).toBe(true);
  }, 60_000);

  it("staging comes before RESERVE TRACK and OPC: a stash that cannot be made leaves a DVD-R (DAO) untouched", async () => {
    const r = rig("dvd-r");
    const data = pattern((8 * MIB) / 2048, 5);
    const log = recorderLog(r);
    // A regular file where the stash's folder should be: making the stash fails.
    const notADir = join(tempDir(), "file");
    writeFileSync(notADir, "x");
    const failure = await recordDisc(r.recorder, iterableSource(data.length, throttled(data, r.clock, 2e6, { n: 0 })), false, false, {
      dao: true,
      bufe: false,
      bufferBytes: 2 * MIB,
      clock: r.clock,
      stageDir: notADir,
      onEvent: log.onEvent,
    }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    const decided = log.log.find((l) => l.kind === "event" && l.event.type === "source-rate");
    expect(decided && decided.kind === "event" && decided.event.type === "source-rate" && decided.event.decision).toBe("stage");
    const commands = log.log.flatMap((l) => (l.kind === "command" ? [l.entry.command] : []));
    expect(commands.filter((c) => /RESERVE TRACK|SEND OPC|^WRITE/.test(c)), "nothing that changes the disc was sent").toEqual([]);
    const media = await r.recorder.media({ refresh: true });
    expect(media.status).toBe("blank");
  }, 60_000);

  it("a slow repeatable source that was staged is verified against its stash: the original is read once", async () => {
    const r = rig("bd-r");
    const data = pattern((16 * MIB) / 2048, 13);
    let opens = 0;
    const source: BurnSource = {
      byteLength: data.length,
      repeatable: true,
      open: () => {
        opens++;
        return throttled(data, r.clock, 10e6, { n: 0 });
      },
    };
    const events: BurnEvent[] = [];
    const result = await new DataWriter(r.recorder).write(source, { speed: 12, bufe: false, bufferBytes: 4 * MIB, clock: r.clock, verify: "full", stageWhenSlow: { dir: tempDir() }, onEvent: (e) => events.push(e) });
    expect(events.some((e) => e.type === "staged")).toBe(true);
    expect(result.verification).toMatchObject({ mode: "full", sectorsChecked: data.length / 2048, passed: true });
    expect(opens, "the slow original was read for the burn only").toBe(1);
  }, 60_000);

  it("a slow start (the first chunk after 2 s, then at once) is the source's start-up, not a stall: no staging", async () => {
    const r = rig("bd-r");
    const data = pattern((16 * MIB) / 2048, 9);
    async function* lateStart(): AsyncGenerator<Uint8Array> {
      await r.clock.sleep(2000);
      for (let at = 0; at < data.length; at += MIB) yield data.subarray(at, at + MIB);
    }
    const events: BurnEvent[] = [];
    const result = await recordDisc(r.recorder, iterableSource(data.length, lateStart()), false, false, { speed: 12, bufe: false, bufferBytes: 4 * MIB, clock: r.clock, stageDir: tempDir(), onEvent: (e) => events.push(e) });
    const decided = events.find((e) => e.type === "source-rate");
    expect(decided).toMatchObject({ decision: "direct" });
    expect(decided && decided.type === "source-rate" ? decided.longestStallMs : -1).toBeLessThan(100);
    expect(result.staged).toBe(false);
    expect(Buffer.from(discBytes(r.disc, 0, data.length / 2048)).equals(Buffer.from(data))).toBe(true);
  }, 60_000);

  it("the command line's progress lines and report say that the burn was staged, and why", async () => {
    const r = rig("bd-r");
    const data = pattern((16 * MIB) / 2048, 11);
    let err = "";
    const io = { stdout: process.stdout, stderr: { isTTY: false, write: (t: string) => ((err += t), true) }, env: {} } as unknown as Parameters<typeof progressPrinter>[0];
    const print = progressPrinter(io, false);
    const result = await recordDisc(r.recorder, iterableSource(data.length, throttled(data, r.clock, 10e6, { n: 0 })), false, false, { speed: 12, bufe: false, bufferBytes: 4 * MIB, clock: r.clock, stageDir: tempDir(), onEvent: print });
    expect(err).toMatch(/the source delivers 10\.\d MB\/s \(longest stall \d+ ms\), the drive takes 53\.9 MB\/s and buffer underrun protection is off: staging the image/);
    expect(err).toMatch(/staged 16\.8 MB in [\d.]+s; writing from the staged copy/);
    expect(formatBurnResult(result)).toMatch(/ {2}staged {8}16\.8 MB in [\d.]+s before the first write \(the source gave 10\.\d MB\/s\); the staged copy is wiped/);
  }, 60_000);

  it("an instant source is not staged", async () => {
    const r = rig("bd-r", { throttle: true });
    const data = pattern((48 * MIB) / 2048, 9);
    async function* instant() {
      for (let at = 0; at < data.length; at += MIB) yield data.subarray(at, at + MIB);
    }
    const stageDir = tempDir();
    const log = recorderLog(r);
    const result = await recordDisc(r.recorder, iterableSource(data.length, instant()), false, false, { speed: 12, bufe: false, bufferBytes: 8 * MIB, clock: r.clock, stageDir, onEvent: log.onEvent });
    const decision = log.log.flatMap((l) => (l.kind === "event" && l.event.type === "source-rate" ? [l.event] : []));
    expect(decision).toHaveLength(1);
    expect(decision[0]).toMatchObject({ at: "before-first-write", decision: "direct" });
    expect(decision[0]!.measuredBytesPerSecond).toBeGreaterThan(NEED_12X_BD * 1.2);
    expect(log.eventAt("staged")).toBe(-1);
    expect(result.staged).toBe(false);
    expect(result.source.staged).toBeUndefined();
    expect(readdirSync(stageDir)).toEqual([]);
    expect(Buffer.from(discBytes(r.disc, 0, data.length / 2048)).equals(Buffer.from(data))).toBe(true);
  }, 60_000);

  it("the writer alone (staging not enabled): the same source is burned directly, warned about before the first WRITE, and the disc loses streaming", async () => {
    const r = rig("bd-r", { throttle: true });
    const data = pattern((24 * MIB) / 2048, 3);
    const log = recorderLog(r);
    const run = new DataWriter(r.recorder).write(iterableSource(data.length, throttled(data, r.clock, 20e6, { n: 0 })), { speed: 12, bufe: false, bufferBytes: 8 * MIB, clock: r.clock, verify: "none", onEvent: log.onEvent });
    const e = await run.then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(BurnError);
    expect((e as BurnError).imapiCode.name).toBe("E_IMAPI_LOSS_OF_STREAMING");
    expect(r.disc.state.tracks.some((t) => t.damaged)).toBe(true);
    const decision = log.log.flatMap((l) => (l.kind === "event" && l.event.type === "source-rate" ? [l.event] : []));
    expect(decision[0]).toMatchObject({ decision: "direct" });
    expect(decision[0]!.reason).toMatch(/not enabled/);
    const warned = log.log.findIndex((l) => l.kind === "event" && l.event.type === "warning" && l.event.code === "source-slow");
    expect(warned).toBeGreaterThanOrEqual(0);
    expect(warned).toBeLessThan(log.firstWrite());
  }, 60_000);

  it("a source that starves the drive repeatedly is reported and remembered: burning it again stages it first", async () => {
    const TOTAL = 160 * MIB;
    const chunk = pattern(MIB / 2048, 5);
    const clockRef: { clock: VirtualClock } = { clock: rig("bd-r").clock };
    /** Fast at first; then 200 ms of every 1000 ms of clock time it waits for the clock (as a slow network share would). */
    const source: BurnSource = {
      byteLength: TOTAL,
      repeatable: true,
      description: "stalling share",
      async *open() {
        const clock = clockRef.clock;
        let nextStall = clock.now() + 1000;
        for (let at = 0; at < TOTAL; at += MIB) {
          if (clock.now() >= nextStall) {
            const resume = clock.now() + 200;
            while (clock.now() < resume) await new Promise((res) => setImmediate(res));
            nextStall += 1000;
          }
          yield chunk;
        }
      },
    };
    const first = rig("bd-r", { throttle: true });
    clockRef.clock = first.clock;
    const events1: BurnEvent[] = [];
    const r1 = await recordDisc(first.recorder, source, false, false, { speed: 12, bufe: true, bufferBytes: 2 * MIB, clock: first.clock, verify: "none", stageDir: tempDir(), onEvent: (e) => events1.push(e) });
    // The first 32 MiB measured before the burn and the ring fill both looked fine: written directly.
    expect(events1.filter((e) => e.type === "source-rate").map((e) => (e as { at: string; decision: string }).decision)).toEqual(["direct", "direct"]);
    expect(r1.staged).toBe(false);
    expect(r1.hostStarvations).toBeGreaterThanOrEqual(2);
    expect(r1.source.starvations).toBe(r1.hostStarvations);
    expect(r1.source.longestStallMs).toBeGreaterThanOrEqual(150);
    expect(r1.bufeEngagements).toBe(first.disc.state.links);
    expect(r1.bufeEngagements).toBeGreaterThan(0);
    const warning = events1.find((e) => e.type === "warning" && e.code === "source-slow");
    expect(warning && "message" in warning ? warning.message : "").toMatch(/could not keep up \d+ time\(s\) \(it delivered [\d.]+ MB\/s, longest stall \d+ ms; the drive takes [\d.]+ MB\/s\)/);
    expect(rememberedSourceRate(source)).toMatchObject({ starvations: r1.hostStarvations, lossOfStreaming: false });

    // Burn again: staged before the burn, from what the first burn measured.
    const second = rig("bd-r", { throttle: true });
    clockRef.clock = second.clock;
    const log = recorderLog(second);
    const stageDir = tempDir();
    const r2 = await recordDisc(second.recorder, source, false, false, { speed: 12, bufe: true, bufferBytes: 2 * MIB, clock: second.clock, verify: "quick", stageDir, onEvent: log.onEvent });
    const decided = log.log.flatMap((l) => (l.kind === "event" && l.event.type === "source-rate" ? [l.event] : []));
    expect(decided[0]).toMatchObject({ at: "remembered", decision: "stage", neededBytesPerSecond: NEED_12X_BD });
    expect(decided[0]!.reason).toMatch(/starved the drive \d+ times/);
    expect(log.eventAt("staged")).toBeGreaterThanOrEqual(0);
    expect(log.firstWrite()).toBeGreaterThan(log.eventAt("staged"));
    expect(r2.staged).toBe(true);
    expect(readdirSync(stageDir)).toEqual([]);
    const onDisc = discBytes(second.disc, 0, TOTAL / 2048);
    for (let at = 0; at < TOTAL; at += MIB) expect(Buffer.from(onDisc.subarray(at, at + MIB)).equals(Buffer.from(chunk)), `MiB at ${at}`).toBe(true);
  }, 120_000);

  it("a file source names its bytes by path, size and modification time, so a new source object for the same file is the same source", () => {
    const dir = tempDir();
    const path = join(dir, "image.iso");
    writeFileSync(path, pattern(16));
    const a = fileSource(path);
    expect(a.identity).toBe(fileSource(join(dir, ".", "image.iso")).identity);
    utimesSync(path, new Date(1_000_000), new Date(2_000_000));
    expect(fileSource(path).identity).not.toBe(a.identity);
    writeFileSync(path, pattern(32));
    expect(fileSource(path).identity).toMatch(/:65536:/);
  });
});
