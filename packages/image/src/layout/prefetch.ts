/**
 * Reads files on disk in a worker thread, ahead of the image writer, into a shared ring: the
 * writer's thread then only copies bytes out. For trees of many small files, opening, checking
 * and reading each file is the largest part of writing the image; this moves it to another core
 * while the writer encodes directories and hands out chunks.
 *
 * Ring protocol: two byte counters in a shared Int32Array, produced (worker) and consumed
 * (writer), kept modulo 2^30 (the ring is far smaller, so their difference is the fill level).
 * A side that must wait says how much it waits for (bytes filled, or bytes free) and sleeps on
 * that word; the other side wakes it only once that much is there, so a small file costs no
 * wake-up. The worker checks every file's size and modification time against the plan before
 * reading it (as PathContent.open does) and reports a failure by message before it publishes
 * the failure state.
 */
import { Worker } from "node:worker_threads";
import { InternalError } from "@discforge/errors";
import { PathContent } from "../content.js";
import { SourceChangedError, SourceUnreadableError } from "../errors.js";

const PRODUCED = 0;
const CONSUMED = 1;
/** 0 running, 1 finished every file, 2 failed (a message says which file and why). */
const STATE = 2;
/** Bytes the reader waits to find filled (0: not waiting). */
const READER_WAITS = 3;
/** Bytes the worker waits to find free (0: not waiting). */
const WORKER_WAITS = 4;
const CONTROL_WORDS = 5;
const COUNTER_MASK = (1 << 30) - 1;

/** Atomics.waitAsync (ES2024; in Node since 16), typed here because the project's lib is ES2022. */
const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, index: number, value: number, timeoutMs: number): { async: boolean; value: Promise<string> | string } }).waitAsync;

export interface PrefetchFile {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

interface Failure {
  readonly index: number;
  readonly kind: "changed" | "unreadable" | "short";
  readonly size?: number;
  readonly mtimeMs?: number;
  readonly read?: number;
  readonly message?: string;
  readonly code?: string;
}

/**
 * The worker's program, as source text: bundlers and loaders rewrite `require` and wrap
 * functions in the module's own code, so the worker cannot be a function of this module turned
 * into text. workerData: ring, control (shared), paths, sizes, mtimes (Float64Array).
 */
const WORKER_SOURCE = `
"use strict";
const { openSync, fstatSync, readSync, closeSync } = require("node:fs");
const { workerData, parentPort } = require("node:worker_threads");
const ring = new Uint8Array(workerData.ring);
const ctl = new Int32Array(workerData.control);
const MASK = ${COUNTER_MASK};
let produced = 0;
function publish() {
  Atomics.store(ctl, ${PRODUCED}, produced);
  const wants = Atomics.load(ctl, ${READER_WAITS});
  if (wants > 0 && ((produced - Atomics.load(ctl, ${CONSUMED})) & MASK) >= wants) {
    Atomics.store(ctl, ${READER_WAITS}, 0);
    Atomics.notify(ctl, ${READER_WAITS});
  }
}
function finish(state) {
  Atomics.store(ctl, ${STATE}, state);
  Atomics.store(ctl, ${READER_WAITS}, 0);
  Atomics.notify(ctl, ${READER_WAITS});
}
function fail(failure) {
  parentPort.postMessage(failure);
  finish(2);
}
function run() {
  for (let index = 0; index < workerData.paths.length; index++) {
    const path = workerData.paths[index];
    const size = workerData.sizes[index];
    let fd;
    try {
      fd = openSync(path, "r");
    } catch (e) {
      return fail({ index, kind: "unreadable", message: e.message, code: e.code });
    }
    try {
      let st;
      try {
        st = fstatSync(fd);
      } catch (e) {
        return fail({ index, kind: "unreadable", message: e.message, code: e.code });
      }
      if (st.size !== size || st.mtimeMs !== workerData.mtimes[index]) return fail({ index, kind: "changed", size: st.size, mtimeMs: st.mtimeMs });
      let done = 0;
      while (done < size) {
        let free = ring.length - ((produced - Atomics.load(ctl, ${CONSUMED})) & MASK);
        if (free === 0) {
          // Full: sleep until a quarter of the ring is free (or what this file still needs).
          // The reader clears the word before it wakes us, so a wake between our check and the
          // wait is not lost: the wait then returns at once.
          const wants = Math.min(ring.length >> 2, size - done);
          for (;;) {
            Atomics.store(ctl, ${WORKER_WAITS}, wants);
            free = ring.length - ((produced - Atomics.load(ctl, ${CONSUMED})) & MASK);
            if (free >= wants) break;
            Atomics.wait(ctl, ${WORKER_WAITS}, wants, 1000);
          }
          Atomics.store(ctl, ${WORKER_WAITS}, 0);
        }
        const at = produced % ring.length;
        const want = Math.min(free, ring.length - at, size - done);
        let n;
        try {
          n = readSync(fd, ring, at, want, done);
        } catch (e) {
          return fail({ index, kind: "unreadable", message: e.message, code: e.code });
        }
        if (n === 0) return fail({ index, kind: "short", read: done });
        done += n;
        produced = (produced + n) & MASK;
        publish();
      }
    } finally {
      closeSync(fd);
    }
  }
  finish(1);
}
run();
`;

/** Reads `files` in order on a worker thread; `take` hands their bytes out in the same order. */
export class FilePrefetcher {
  private readonly worker: Worker;
  private readonly ring: Uint8Array;
  private readonly ctl: Int32Array;
  private consumed = 0;
  /** Bytes of all files not yet taken. */
  private remaining: number;
  private failure: Failure | undefined;
  private readonly failureArrived: Promise<void>;
  /** Settles when the worker dies (error or exit): a wait never outlives it. */
  private readonly crashed: Promise<void>;
  /** Resolves once the worker thread has exited. */
  readonly exited: Promise<void>;
  private closed = false;
  private dead = false;

  constructor(
    private readonly files: readonly PrefetchFile[],
    ringBytes = 8 << 20,
  ) {
    // Positions are counters mod 2^30 taken mod the ring length: exact only for a power of two.
    if (!Number.isInteger(ringBytes) || ringBytes < 4096 || ringBytes > 1 << 29 || (ringBytes & (ringBytes - 1)) !== 0) {
      throw new InternalError(`prefetch ring of ${ringBytes} bytes (a power of two from 4096 to 2^29)`);
    }
    const ring = new SharedArrayBuffer(ringBytes);
    const control = new SharedArrayBuffer(CONTROL_WORDS * Int32Array.BYTES_PER_ELEMENT);
    this.ring = new Uint8Array(ring);
    this.ctl = new Int32Array(control);
    const sizes = new Float64Array(files.length);
    const mtimes = new Float64Array(files.length);
    let total = 0;
    files.forEach((f, i) => {
      sizes[i] = f.size;
      mtimes[i] = f.mtimeMs;
      total += f.size;
    });
    this.remaining = total;
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      // Not the parent's loaders (tsx and the like): the worker's program is plain JavaScript.
      execArgv: [],
      workerData: { ring, control, paths: files.map((f) => f.path), sizes, mtimes },
    });
    this.worker.unref();
    this.failureArrived = new Promise<void>((resolve) => {
      this.worker.on("message", (m: Failure) => {
        this.failure = m;
        resolve();
      });
    });
    this.crashed = new Promise<void>((resolve) => {
      this.worker.on("error", (e: Error) => {
        this.failure ??= { index: -1, kind: "unreadable", message: e.message };
        resolve();
      });
      this.worker.on("exit", () => {
        this.dead = true;
        resolve();
      });
    });
    this.exited = new Promise<void>((resolve) => this.worker.once("exit", () => resolve()));
  }

  /**
   * Copies up to `length` bytes of the current file into `target` at `offset`: a number when bytes
   * were waiting in the ring, else a promise for it. The caller asks for exactly the planned size
   * of each file, in order, so the ring's byte stream needs no file boundaries.
   */
  take(target: Uint8Array, offset: number, length: number, fileIndex: number): number | Promise<number> {
    const avail = (Atomics.load(this.ctl, PRODUCED) - this.consumed) & COUNTER_MASK;
    if (avail > 0) return this.copyOut(target, offset, length, avail);
    return this.waitAndTake(target, offset, length, fileIndex);
  }

  private copyOut(target: Uint8Array, offset: number, length: number, avail: number): number {
    const ringLength = this.ring.length;
    const at = this.consumed % ringLength;
    const n = Math.min(avail, length, ringLength - at);
    target.set(this.ring.subarray(at, at + n), offset);
    this.consumed = (this.consumed + n) & COUNTER_MASK;
    this.remaining -= n;
    Atomics.store(this.ctl, CONSUMED, this.consumed);
    const wants = Atomics.load(this.ctl, WORKER_WAITS);
    if (wants > 0 && ringLength - ((Atomics.load(this.ctl, PRODUCED) - this.consumed) & COUNTER_MASK) >= wants && Atomics.compareExchange(this.ctl, WORKER_WAITS, wants, 0) === wants) {
      Atomics.notify(this.ctl, WORKER_WAITS);
    }
    return n;
  }

  private async waitAndTake(target: Uint8Array, offset: number, length: number, fileIndex: number): Promise<number> {
    // Sleep until a good share of the ring is filled (or all that is left), not until the next file.
    const wants = Math.max(1, Math.min(this.ring.length >> 2, this.remaining));
    for (;;) {
      Atomics.store(this.ctl, READER_WAITS, wants);
      // The state before the counter: bytes published before "finished" or "failed" are then seen.
      const state = Atomics.load(this.ctl, STATE);
      const avail = (Atomics.load(this.ctl, PRODUCED) - this.consumed) & COUNTER_MASK;
      if (avail >= wants || (avail > 0 && state !== 0)) {
        Atomics.store(this.ctl, READER_WAITS, 0);
        return this.copyOut(target, offset, length, avail);
      }
      // A failure counts once every byte before it is taken (its message may come before the state).
      if (state === 2) {
        if (!this.failure) await this.failureArrived;
        throw this.error(this.failure!);
      }
      if (state === 1) throw new InternalError(`prefetch worker finished before file ${fileIndex} of ${this.files.length} was read`);
      if (this.failure?.index === -1) throw this.error(this.failure);
      if (this.dead) throw new InternalError(`prefetch worker stopped before file ${fileIndex} of ${this.files.length} was read`);
      // Wake on enough bytes, the end, or (checked every second) a worker that died silently.
      const w = waitAsync(this.ctl, READER_WAITS, wants, 1000);
      if (w.async) await Promise.race([w.value, this.crashed]);
    }
  }

  private error(f: Failure): Error {
    const file = this.files[f.index];
    if (!file) return new InternalError(`prefetch worker failed: ${f.message ?? "unknown error"}`);
    if (f.kind === "changed") return PathContent.changeError(file.path, file.size, file.mtimeMs, f.size!, f.mtimeMs!) ?? new InternalError(`${file.path}: reported changed but matches`);
    if (f.kind === "short") return SourceChangedError.short(file.path, f.read!, file.size);
    return new SourceUnreadableError(file.path, { cause: Object.assign(new Error(f.message ?? "read failed"), f.code ? { code: f.code } : {}) });
  }

  /** Stops the worker (after the last file, or when writing stops early). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.worker.terminate();
  }
}
