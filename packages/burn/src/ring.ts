/**
 * The host ring buffer: a producer task reads the source ahead of the drive into a queue of up
 * to `capacity` bytes; the writer takes exact-sized pieces from it. Pieces are views of the
 * source's chunks when a chunk holds the whole piece, copies only when a piece spans chunks.
 * It also times the source: how long the producer waited for each chunk (the source's own rate,
 * without the time it was held back by a full ring) and the longest single wait (a stall).
 */
import { InvalidArgumentError } from "@discforge/errors";

export class HostRing {
  private readonly chunks: Uint8Array[] = [];
  private head = 0;
  private headOffset = 0;
  private queued = 0;
  private ended = false;
  private failure: unknown;
  private produced = 0;
  private wakeConsumer: (() => void) | undefined;
  private wakeProducer: (() => void) | undefined;
  private stopped = false;
  /** Times the consumer found the ring empty while the source had more to give. */
  starvations = 0;
  /** Time spent waiting for the source's chunks after the first, ms. */
  sourceMs = 0;
  /** The longest wait for one chunk after the first, ms. */
  longestWaitMs = 0;
  /**
   * The wait for the first chunk, ms: the source's start-up (opening files, encoding an image's
   * directories, starting a reader thread), kept out of its rate and stalls.
   */
  startupMs: number | undefined;

  constructor(
    readonly capacity: number,
    private readonly expectedBytes: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(capacity >= 2048)) throw new InvalidArgumentError("bufferBytes", "the host buffer must hold at least one 2048-byte sector");
  }

  get fill(): number {
    return Math.min(1, this.queued / this.capacity);
  }
  get bytesQueued(): number {
    return this.queued;
  }

  get bytesProduced(): number {
    return this.produced;
  }

  /** The source's rate after its first chunk, bytes per second (Infinity when instant). */
  get sourceBytesPerSecond(): number {
    const after = this.produced - this.firstChunkBytes;
    return this.sourceMs > 0 ? (after * 1000) / this.sourceMs : Infinity;
  }
  private firstChunkBytes = 0;

  /** Starts reading the source; resolves when the source ends or fails (never rejects). */
  async pump(source: AsyncIterable<Uint8Array>): Promise<void> {
    const it = source[Symbol.asyncIterator]();
    let finished = false;
    try {
      for (;;) {
        const t0 = this.now();
        const r = await it.next();
        const waited = this.now() - t0;
        if (this.startupMs === undefined) this.startupMs = waited;
        else {
          this.sourceMs += waited;
          if (waited > this.longestWaitMs) this.longestWaitMs = waited;
        }
        if (r.done) {
          finished = true;
          break;
        }
        const chunk = r.value;
        if (this.stopped) break;
        if (chunk.length === 0) continue;
        if (this.produced === 0) this.firstChunkBytes = chunk.length;
        this.produced += chunk.length;
        if (this.produced > this.expectedBytes) throw new InvalidArgumentError("source", `the stream yields more than the declared ${this.expectedBytes} bytes`);
        this.chunks.push(chunk);
        this.queued += chunk.length;
        this.notifyConsumer();
        while (this.queued >= this.capacity && !this.stopped) await new Promise<void>((r) => (this.wakeProducer = r));
      }
      if (!this.stopped && this.produced < this.expectedBytes) throw new InvalidArgumentError("source", `the stream ended after ${this.produced} of the declared ${this.expectedBytes} bytes`);
    } catch (e) {
      this.failure = e;
    } finally {
      // Stopped early: let the source release what it holds (as for-await's break would).
      if (!finished) await Promise.resolve(it.return?.()).catch(() => undefined);
      this.ended = true;
      this.notifyConsumer();
    }
  }

  /**
   * Everything the ring holds and everything the source still gives, in order, as the source's
   * own chunks (no copies) — for diverting a burn into a staged file without reading twice.
   */
  async *drain(step: () => Promise<unknown>): AsyncGenerator<Uint8Array> {
    for (;;) {
      if (this.failure !== undefined) throw this.failure;
      if (this.queued > 0) {
        yield this.take(this.chunks[this.head]!.length - this.headOffset);
        continue;
      }
      if (this.ended) return;
      await this.waitFor(1, step);
    }
  }

  /** Stops the producer (cancel or failure). */
  stop(): void {
    this.stopped = true;
    this.wakeProducer?.();
  }

  private notifyConsumer(): void {
    const w = this.wakeConsumer;
    this.wakeConsumer = undefined;
    w?.();
  }

  /** Whether `bytes` can be taken now without waiting. */
  ready(bytes: number): boolean {
    return this.queued >= bytes || this.ended;
  }

  /** Waits until `bytes` are queued, the source ends, or `step` resolves (a clock tick). */
  async waitFor(bytes: number, step: () => Promise<unknown>): Promise<void> {
    if (this.ready(bytes)) return;
    const data = new Promise<void>((r) => (this.wakeConsumer = r));
    await Promise.race([data, step()]);
  }

  /** Takes exactly `bytes` (or what is left at the end); throws the source's error if it failed. */
  take(bytes: number): Uint8Array {
    if (this.failure !== undefined) throw this.failure;
    const n = Math.min(bytes, this.queued);
    if (n === 0) return new Uint8Array(0);
    const first = this.chunks[this.head]!;
    let out: Uint8Array;
    if (first.length - this.headOffset >= n) {
      out = first.subarray(this.headOffset, this.headOffset + n);
      this.advance(n);
    } else {
      out = new Uint8Array(n);
      let at = 0;
      while (at < n) {
        const c = this.chunks[this.head]!;
        const take = Math.min(n - at, c.length - this.headOffset);
        out.set(c.subarray(this.headOffset, this.headOffset + take), at);
        at += take;
        this.advance(take);
      }
    }
    if (this.queued < this.capacity) {
      const w = this.wakeProducer;
      this.wakeProducer = undefined;
      w?.();
    }
    return out;
  }

  private advance(n: number): void {
    this.queued -= n;
    this.headOffset += n;
    const c = this.chunks[this.head]!;
    if (this.headOffset >= c.length) {
      this.chunks[this.head] = undefined as unknown as Uint8Array;
      this.head++;
      this.headOffset = 0;
      if (this.head > 256 && this.head * 2 > this.chunks.length) {
        this.chunks.splice(0, this.head);
        this.head = 0;
      }
    }
  }

  /** The source failed (checked when the ring runs empty). */
  get error(): unknown {
    return this.failure;
  }
  get done(): boolean {
    return this.ended && this.queued === 0;
  }
}
