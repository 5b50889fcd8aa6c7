/**
 * Compares what a disc holds with a source, sector by sector (`discforge verify`): reads the disc
 * from `startLba` for the source's length and reports the sectors that differ or cannot be read.
 */
import type { Recorder } from "@discforge/drive";
import { CancelledError, InvalidArgumentError } from "@discforge/errors";
import { ScsiCheckConditionError, buildRead10 } from "@discforge/mmc";
import { HostRing } from "./ring.js";
import { SECTOR, type BurnSource } from "./source.js";
import type { BurnEventListener } from "./events.js";
import type { VerificationReport } from "./writer.js";
import { yieldToEventLoop } from "./clock.js";

export async function verifyDisc(recorder: Recorder, source: BurnSource, options: { readonly startLba?: number; readonly signal?: AbortSignal; readonly onEvent?: BurnEventListener } = {}): Promise<VerificationReport> {
  if (source.byteLength % SECTOR !== 0) throw new InvalidArgumentError("source", `${source.byteLength} bytes is not a whole number of 2048-byte sectors`);
  const start = options.startLba ?? source.startLba ?? 0;
  const sectors = source.byteLength / SECTOR;
  const per = Math.max(1, Math.floor(Math.min(recorder.transport.maxTransferBytes, 128 * 1024) / SECTOR));
  const ring = new HostRing(8 * 1024 * 1024, source.byteLength);
  const pump = ring.pump(source.open());
  const differing: number[] = [];
  const unreadable: number[] = [];
  let checked = 0;
  const t0 = performance.now();
  options.onEvent?.({ type: "phase", phase: "verifying", elapsedMs: 0 });
  try {
    for (let i = 0; i < sectors; i += per) {
      if (options.signal?.aborted) throw new CancelledError("verify cancelled", { cause: options.signal.reason });
      const n = Math.min(per, sectors - i);
      while (!ring.ready(n * SECTOR)) await ring.waitFor(n * SECTOR, yieldToEventLoop);
      const want = ring.take(n * SECTOR);
      if (ring.error) throw ring.error;
      let got: Uint8Array | undefined;
      try {
        got = (await recorder.run(buildRead10({ lba: start + i, transferLength: n }), options.signal ? { signal: options.signal } : {})).data;
      } catch (e) {
        if (!(e instanceof ScsiCheckConditionError)) throw e;
      }
      for (let k = 0; k < n; k++) {
        checked++;
        if (!got || got.length < (k + 1) * SECTOR) {
          if (unreadable.length < 1000) unreadable.push(start + i + k);
          continue;
        }
        const a = Buffer.from(got.buffer, got.byteOffset + k * SECTOR, SECTOR);
        const b = Buffer.from(want.buffer, want.byteOffset + k * SECTOR, SECTOR);
        if (!a.equals(b) && differing.length < 1000) differing.push(start + i + k);
      }
      options.onEvent?.({ type: "progress", phase: "verifying", elapsedMs: performance.now() - t0, lba: start + i + n, sectorsDone: checked, sectorsTotal: sectors });
    }
  } finally {
    ring.stop();
    await pump;
  }
  return { mode: "full", sectorsChecked: checked, differingSectors: differing, unreadableSectors: unreadable, passed: differing.length === 0 && unreadable.length === 0 };
}
