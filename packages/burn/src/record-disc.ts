/**
 * IMAPI v1's IDiscMaster::RecordDisc(bSimulate, bEjectAfterBurn) over the DataWriter, plus the
 * stash: an image staged to a temporary file (for sources slower than the drive, or pipes that
 * cannot be read twice) that is wiped after the first successful real burn ("restage to burn
 * again").
 */
import type { Recorder } from "@discforge/drive";
import { DataWriter, type BurnResult, type WriteOptions } from "./writer.js";
import { BurnError } from "./errors.js";
import type { BurnSource } from "./source.js";
import { stageImage, type StagedImage } from "./stage.js";
import { KBPS_1X, bytesPerSecondAt, familyKey } from "./media-plan.js";

export interface RecordDiscOptions extends Omit<WriteOptions, "simulate" | "ejectAfterBurn"> {
  /**
   * Stage the source to a temporary file first. "auto" (default): stage a one-pass source that
   * must be read twice (full verify), and a repeatable source measured slower than the write speed.
   */
  readonly stage?: boolean | "auto";
  readonly stageDir?: string;
  /** How much of a repeatable source "auto" reads to measure it (default 32 MiB). */
  readonly measureBytes?: number;
}

/** Reads up to `maxBytes` of a repeatable source and returns its rate in bytes per second. */
export async function measureSource(source: BurnSource, maxBytes: number): Promise<number> {
  const t0 = performance.now();
  let n = 0;
  for await (const chunk of source.open()) {
    n += chunk.length;
    if (n >= maxBytes) break;
  }
  const seconds = Math.max(1e-6, (performance.now() - t0) / 1000);
  return n / seconds;
}

/** The user-data rate the burn will ask of the source, from the speeds the medium offers. */
async function requiredRate(recorder: Recorder, speed: WriteOptions["speed"]): Promise<number | undefined> {
  const media = await recorder.media({ refresh: true });
  const fastest = media.writeSpeeds.reduce((m, s) => Math.max(m, s.kbps), 0);
  if (fastest === 0) return undefined;
  const kbps = typeof speed === "number" ? Math.min(fastest, speed * KBPS_1X[familyKey(media.family)]) : fastest;
  return bytesPerSecondAt(kbps, media.family);
}

/** What a burn of a source found out about its rate, kept for the next burn of the same source. */
export interface RememberedRate {
  /** The source's own rate while the writer waited on it (undefined: it never made it wait). */
  readonly bytesPerSecond?: number;
  /** Times it let the ring run empty mid-burn. */
  readonly starvations: number;
  readonly longestStallMs: number;
  /** The burn ended in loss of streaming. */
  readonly lossOfStreaming: boolean;
}

let byObject = new WeakMap<BurnSource, RememberedRate>();
const byIdentity = new Map<string, RememberedRate>();

/** What an earlier recordDisc measured for this source (the same object, or the same identity). */
export function rememberedSourceRate(source: BurnSource): RememberedRate | undefined {
  return byObject.get(source) ?? (source.identity !== undefined ? byIdentity.get(source.identity) : undefined);
}

/** Forgets every remembered rate. */
export function forgetSourceRates(): void {
  byObject = new WeakMap();
  byIdentity.clear();
}

function remember(source: BurnSource, rate: RememberedRate | undefined): void {
  if (rate) {
    byObject.set(source, rate);
    if (source.identity !== undefined) byIdentity.set(source.identity, rate);
  } else {
    byObject.delete(source);
    if (source.identity !== undefined) byIdentity.delete(source.identity);
  }
}

/**
 * RecordDisc(bSimulate, bEjectAfterBurn). Staging is decided before the burn (a full verify of a
 * one-pass source; a measured sample of a repeatable one; what an earlier burn of the same source
 * found) and while writing (the writer's ring fill, before the first WRITE). A staged image
 * (given, or made here) is wiped after the first successful real burn, as IMAPI clears its stash.
 * A source that starved the drive repeatedly is remembered, so burning it again stages it first.
 */
export async function recordDisc(recorder: Recorder, source: BurnSource | StagedImage, simulate: boolean, ejectAfterBurn: boolean, options: RecordDiscOptions = {}): Promise<BurnResult & { readonly staged: boolean }> {
  let stage = options.stage === true || (options.stage !== false && !source.repeatable && options.verify === "full");
  const auto = !stage && options.stage !== false && !("wipe" in source);
  const remembered = auto ? rememberedSourceRate(source) : undefined;
  if (auto && remembered) {
    const need = await requiredRate(recorder, options.speed);
    const starved = remembered.starvations >= 2 || remembered.lossOfStreaming;
    const slow = need !== undefined && remembered.bytesPerSecond !== undefined && remembered.bytesPerSecond < need * 1.2;
    const measured = remembered.bytesPerSecond ?? Infinity;
    if (starved || slow) {
      stage = true;
      options.onEvent?.({
        type: "source-rate",
        at: "remembered",
        decision: "stage",
        measuredBytesPerSecond: measured,
        ...(need !== undefined ? { neededBytesPerSecond: need } : {}),
        longestStallMs: remembered.longestStallMs,
        sampledBytes: source.byteLength,
        reason: `an earlier burn of this source ${remembered.lossOfStreaming ? "lost streaming" : starved ? `starved the drive ${remembered.starvations} times (longest stall ${Math.round(remembered.longestStallMs)} ms)` : `measured ${(measured / 1e6).toFixed(1)} MB/s`}: staging it to a temporary file first`,
      });
    }
  }
  if (!stage && auto && source.repeatable) {
    const need = await requiredRate(recorder, options.speed);
    const sample = Math.min(source.byteLength, options.measureBytes ?? 32 * 1024 * 1024);
    const got = await measureSource(source, sample);
    // Staging pays when the source is slower than the drive (with a margin for jitter).
    if (need !== undefined) {
      const slow = got < need * 1.2;
      options.onEvent?.({
        type: "source-rate",
        at: "before-burn",
        decision: slow ? "stage" : "direct",
        measuredBytesPerSecond: got,
        neededBytesPerSecond: need,
        sampledBytes: sample,
        reason: `the source delivers ${(got / 1e6).toFixed(1)} MB/s, the drive writes ${(need / 1e6).toFixed(1)} MB/s${slow ? ": staging the image to a temporary file first" : ""}`,
      });
      if (slow) {
        stage = true;
        options.onEvent?.({ type: "warning", code: "staging", message: `the source delivers ${(got / 1e6).toFixed(1)} MB/s, the drive writes ${(need / 1e6).toFixed(1)} MB/s: staging the image to a temporary file first` });
      }
    }
  }
  let staged: StagedImage | undefined;
  if ("wipe" in source) staged = source;
  else if (stage) {
    const t0 = performance.now();
    staged = await stageImage(source, { ...(options.stageDir ? { dir: options.stageDir } : {}), ...(options.signal ? { signal: options.signal } : {}) });
    options.onEvent?.({ type: "staged", at: remembered && stage ? "remembered" : "before-burn", path: staged.path, bytes: staged.byteLength, ms: performance.now() - t0 });
  }
  // Staging while writing, unless already staged or staging was refused.
  const stageWhenSlow = options.stageWhenSlow ?? (staged || options.stage === false ? false : { ...(options.stageDir ? { dir: options.stageDir } : {}) });
  try {
    const result = await new DataWriter(recorder).write(staged ?? source, { ...options, simulate, ejectAfterBurn, stageWhenSlow });
    if (staged && !simulate) wipeStash(staged, options);
    if (!("wipe" in source)) {
      // Repeatedly starved: remember it, so that burning it again stages it first.
      const starved = result.hostStarvations >= 2;
      if (starved) remember(source, { ...(result.source.bytesPerSecond !== undefined ? { bytesPerSecond: result.source.bytesPerSecond } : {}), starvations: result.hostStarvations, longestStallMs: result.source.longestStallMs, lossOfStreaming: false });
      else if (!staged && result.source.staged === undefined) remember(source, undefined);
    }
    return { ...result, staged: staged !== undefined || result.source.staged !== undefined };
  } catch (e) {
    if (!("wipe" in source) && e instanceof BurnError && e.imapiCode.name === "E_IMAPI_LOSS_OF_STREAMING") remember(source, { starvations: 0, longestStallMs: 0, ...rememberedSourceRate(source), lossOfStreaming: true });
    throw e;
  } finally {
    // A stash made here for this call never outlives it.
    if (staged && staged !== source) wipeStash(staged, options);
  }
}

/** Wipes a stash; what could not be done is a warning, never the burn's failure. */
function wipeStash(staged: StagedImage, options: RecordDiscOptions): void {
  const problem = staged.wipe();
  if (problem) options.onEvent?.({ type: "warning", code: "stash-not-wiped", message: problem });
}
