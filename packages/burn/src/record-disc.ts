/**
 * IMAPI v1's IDiscMaster::RecordDisc(bSimulate, bEjectAfterBurn) over the DataWriter, plus the
 * stash: an image staged to a temporary file (for sources slower than the drive, or pipes that
 * cannot be read twice) that is wiped after the first successful real burn ("restage to burn
 * again").
 */
import { createWriteStream, mkdtempSync, openSync, rmSync, statSync, writeSync, closeSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Recorder } from "@discforge/drive";
import { StateError, CancelledError } from "@discforge/errors";
import { DataWriter, type BurnResult, type WriteOptions } from "./writer.js";
import { fileSource, type BurnSource } from "./source.js";
import { KBPS_1X, bytesPerSecondAt, familyKey } from "./media-plan.js";

export interface StagedImage extends BurnSource {
  readonly path: string;
  /** True once wiped: it cannot be burned again. */
  readonly wiped: boolean;
  /** Overwrites the staged bytes with zeros and removes the file. */
  wipe(): void;
}

/** Copies a source to a temporary file (the stash) and returns a source over it. */
export async function stageImage(source: BurnSource, options: { readonly dir?: string; readonly signal?: AbortSignal } = {}): Promise<StagedImage> {
  const dir = mkdtempSync(join(options.dir ?? tmpdir(), "discforge-stash-"));
  const path = join(dir, "image.iso");
  const out = createWriteStream(path);
  try {
    for await (const chunk of source.open()) {
      if (options.signal?.aborted) throw new CancelledError("staging cancelled", { cause: options.signal.reason });
      if (!out.write(chunk)) await once(out, "drain");
    }
    out.end();
    await once(out, "finish");
  } catch (e) {
    out.destroy();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  if (statSync(path).size !== source.byteLength) {
    rmSync(dir, { recursive: true, force: true });
    throw new StateError(`staging wrote ${statSync(path).size} bytes, the source declared ${source.byteLength}`);
  }
  const inner = fileSource(path, { ...(source.startLba !== undefined ? { startLba: source.startLba } : {}), ...(source.changedRanges ? { changedRanges: source.changedRanges } : {}) });
  let wiped = false;
  return {
    ...inner,
    path,
    description: `${source.description ?? "stream"} (staged at ${path})`,
    get wiped() {
      return wiped;
    },
    open() {
      if (wiped) throw new StateError("the staged image was wiped after a successful burn; stage it again to burn another disc");
      return inner.open();
    },
    wipe() {
      if (wiped) return;
      const fd = openSync(path, "r+");
      try {
        const zeros = new Uint8Array(1024 * 1024);
        for (let at = 0; at < source.byteLength; at += zeros.length) writeSync(fd, zeros, 0, Math.min(zeros.length, source.byteLength - at), at);
      } finally {
        closeSync(fd);
      }
      rmSync(dir, { recursive: true, force: true });
      wiped = true;
    },
  };
}

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

/**
 * RecordDisc(bSimulate, bEjectAfterBurn). A staged image (given, or made here) is wiped after the
 * first successful real burn, as IMAPI clears its stash.
 */
export async function recordDisc(recorder: Recorder, source: BurnSource | StagedImage, simulate: boolean, ejectAfterBurn: boolean, options: RecordDiscOptions = {}): Promise<BurnResult & { readonly staged: boolean }> {
  let stage = options.stage === true || (options.stage !== false && !source.repeatable && options.verify === "full");
  if (!stage && options.stage !== false && source.repeatable && !("wipe" in source)) {
    const need = await requiredRate(recorder, options.speed);
    const got = await measureSource(source, Math.min(source.byteLength, options.measureBytes ?? 32 * 1024 * 1024));
    // Staging pays when the source is slower than the drive (with a margin for jitter).
    if (need !== undefined && got < need * 1.2) {
      stage = true;
      options.onEvent?.({ type: "warning", code: "staging", message: `the source delivers ${(got / 1e6).toFixed(1)} MB/s, the drive writes ${(need / 1e6).toFixed(1)} MB/s: staging the image to a temporary file first` });
    }
  }
  const staged = "wipe" in source ? source : stage ? await stageImage(source, { ...(options.stageDir ? { dir: options.stageDir } : {}), ...(options.signal ? { signal: options.signal } : {}) }) : undefined;
  try {
    const result = await new DataWriter(recorder).write(staged ?? source, { ...options, simulate, ejectAfterBurn });
    if (staged && !simulate) staged.wipe();
    return { ...result, staged: staged !== undefined };
  } finally {
    // A stash made here for this call never outlives it.
    if (staged && staged !== source) staged.wipe();
  }
}
