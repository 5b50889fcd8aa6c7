/**
 * Buffer underrun against an emulated BD-R at 12x on the virtual clock, with a source that stalls
 * for 200 ms of every second: BUFE on → success with the links counted; BUFE off and a small host
 * ring → loss of streaming; BUFE off and a ring larger than a stall → success, no underrun.
 */
import { describe, expect, it } from "vitest";
import type { VirtualClock } from "@discforge/emulator";
import { BurnError, DataWriter, iterableSource } from "../src/index.js";
import { rig } from "./helpers.js";

const MIB = 1024 * 1024;
const TOTAL = 160 * MIB; // about 3 s at 12x BD (54 MB/s)

/** Yields `total` bytes in 1 MiB chunks; every 1000 ms of clock time it stalls for 200 ms. */
async function* stallingSource(total: number, clock: VirtualClock, stalls: number[]): AsyncGenerator<Uint8Array> {
  const chunk = new Uint8Array(MIB).fill(0xa5);
  let nextStall = 1000;
  for (let at = 0; at < total; at += MIB) {
    if (clock.now() >= nextStall) {
      const resume = clock.now() + 200;
      stalls.push(clock.now());
      // Time passes only while the writer and the drive work: wait for the clock to get there.
      while (clock.now() < resume) await new Promise((r) => setImmediate(r));
      nextStall += 1000;
    }
    yield chunk;
  }
}

async function burn(bufe: boolean, bufferBytes: number) {
  const r = rig("bd-r", { throttle: true });
  const stalls: number[] = [];
  const writer = new DataWriter(r.recorder);
  const run = writer.write(iterableSource(TOTAL, stallingSource(TOTAL, r.clock, stalls)), { speed: 12, bufe, bufferBytes, clock: r.clock, verify: "none", writeBlocks: 512 });
  return { r, stalls, run };
}

describe("underrun on an emulated 12x BD-R with a stalling source", () => {
  it("BUFE on: the burn succeeds and the links are reported", async () => {
    const { r, stalls, run } = await burn(true, 2 * MIB);
    const result = await run;
    expect(stalls.length).toBeGreaterThanOrEqual(2);
    expect(result.speed.selectedX).toBe(12);
    expect(result.bufe).toBe(true);
    expect(result.bufeEngagements).toBeGreaterThan(0);
    expect(result.bufeEngagements).toBe(r.disc.state.links);
    expect(result.discState.status).toBe("appendable");
  }, 30_000);

  it("BUFE off, small host ring: loss of streaming is reported", async () => {
    const { r, run } = await burn(false, 512 * 1024);
    const e = await run.then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(BurnError);
    expect((e as BurnError).imapiCode.name).toBe("E_IMAPI_LOSS_OF_STREAMING");
    expect((e as BurnError).detail.writeStarted).toBe(true);
    expect(r.disc.state.tracks.some((t) => t.damaged)).toBe(true);
    const told = (e as BurnError).detail.discState;
    expect("tracks" in told && told.tracks.some((t) => t.state === "damaged")).toBe(true);
  }, 30_000);

  it("BUFE off, a host ring larger than a stall: success with zero underruns", async () => {
    const { r, stalls, run } = await burn(false, 32 * MIB);
    const result = await run;
    expect(stalls.length).toBeGreaterThanOrEqual(2);
    expect(result.bufe).toBe(false);
    expect(result.bufeEngagements).toBe(0);
    expect(r.disc.state.links).toBe(0);
    expect(r.disc.state.tracks.some((t) => t.damaged)).toBe(false);
    expect(result.sectors).toBe(TOTAL / 2048);
  }, 30_000);
});
