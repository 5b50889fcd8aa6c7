/**
 * The drive's write buffer. WRITE puts data in; the drive records it onto the medium at the
 * write speed once recording runs. Recording starts when the buffer is half full (or the host
 * flushes it) and continues while data keeps coming; if it runs dry before the host flushes,
 * that is a buffer underrun. Time is read from the injectable clock, lazily: the state is brought
 * up to date whenever a command looks at it, so a virtual clock gives exact results.
 */
import { SECTOR } from "./store.js";

interface Extent {
  lba: number;
  blocks: number;
}

export interface DrainResult {
  /** When the buffer ran dry while recording (clock ms), if it did since the last update. */
  readonly underrunAtMs?: number;
  /** LBA of the first block that did not reach the medium in time (the link point). */
  readonly underrunLba?: number;
}

export class DriveBuffer {
  private fillBytes = 0;
  private lastMs: number;
  private recording = false;
  private readonly pending: Extent[] = [];
  private head = 0;
  private headDrained = 0;
  /** User-data bytes per second at the current write speed. */
  rate = 1;

  constructor(
    readonly capacity: number,
    nowMs: number,
  ) {
    this.lastMs = nowMs;
  }

  get fill(): number {
    return this.fillBytes;
  }
  get free(): number {
    return this.capacity - this.fillBytes;
  }
  get isRecording(): boolean {
    return this.recording;
  }

  /** Drains what the medium took since the last look. */
  update(nowMs: number): DrainResult {
    const elapsed = Math.max(0, nowMs - this.lastMs);
    this.lastMs = nowMs;
    if (!this.recording || elapsed === 0) return {};
    const can = (this.rate * elapsed) / 1000;
    if (can >= this.fillBytes) {
      const emptyAt = nowMs - elapsed + (this.fillBytes / this.rate) * 1000;
      const underrunLba = this.nextLba();
      this.clear();
      // Emptying exactly now is not an underrun: the next block may still arrive in time.
      if (can - this.fillBytes > 0.5 || emptyAt < nowMs - 1e-6) {
        return underrunLba === undefined ? { underrunAtMs: emptyAt } : { underrunAtMs: emptyAt, underrunLba };
      }
      return {};
    }
    this.consume(can);
    return {};
  }

  /** LBA one past the last block accepted (where the next block goes), if anything is pending. */
  private nextLba(): number | undefined {
    const last = this.pending.at(-1);
    return last === undefined || this.head >= this.pending.length ? undefined : last.lba + last.blocks;
  }

  private consume(bytes: number): void {
    this.fillBytes -= bytes;
    let left = bytes + this.headDrained;
    while (this.head < this.pending.length) {
      const e = this.pending[this.head]!;
      const size = e.blocks * SECTOR;
      if (left < size) break;
      left -= size;
      this.head++;
    }
    this.headDrained = left;
    if (this.head > 1024 && this.head * 2 > this.pending.length) {
      this.pending.splice(0, this.head);
      this.head = 0;
    }
  }

  private clear(): void {
    this.fillBytes = 0;
    this.pending.length = 0;
    this.head = 0;
    this.headDrained = 0;
    this.recording = false;
  }

  /** Milliseconds until `bytes` fit, at the current rate (0 when they fit now). */
  waitFor(bytes: number): number {
    const over = this.fillBytes + bytes - this.capacity;
    if (over <= 0) return 0;
    this.recording = true; // a full buffer is past the start threshold
    return (over / this.rate) * 1000;
  }

  add(lba: number, blocks: number): void {
    this.pending.push({ lba, blocks });
    this.fillBytes += blocks * SECTOR;
    if (this.fillBytes >= this.capacity / 2) this.recording = true;
  }

  /** Milliseconds to record everything buffered (SYNCHRONIZE CACHE). */
  flushMs(): number {
    return (this.fillBytes / this.rate) * 1000;
  }

  /** Everything reached the medium: the drive stops recording. */
  flushed(): void {
    this.clear();
  }

  /** Power lost: what is still buffered never reaches the medium. Returns the first lost block. */
  lose(): { lba: number; blocks: number }[] {
    const lost: { lba: number; blocks: number }[] = [];
    const drainedBlocks = Math.floor(this.headDrained / SECTOR);
    for (let i = this.head; i < this.pending.length; i++) {
      const e = this.pending[i]!;
      const skip = i === this.head ? drainedBlocks : 0;
      if (e.blocks > skip) lost.push({ lba: e.lba + skip, blocks: e.blocks - skip });
    }
    this.clear();
    return lost;
  }
}
