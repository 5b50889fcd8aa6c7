/**
 * Time source of the emulated drive. Every duration the drive models (buffer drain, BLANK, FORMAT,
 * close, spin-up, faults at time T) is measured on this clock, so tests use a VirtualClock and run
 * faster than real time while staying exact.
 */
export interface Clock {
  /** Milliseconds since an arbitrary origin. */
  now(): number;
  /** Resolves once `ms` milliseconds have passed on this clock. */
  sleep(ms: number): Promise<void>;
}

/** Wall-clock time (performance.now + setTimeout). */
export class RealClock implements Clock {
  now(): number {
    return performance.now();
  }
  sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}

/**
 * Simulated time: it only moves when the drive waits (sleep) or a test calls `advance`, which
 * stands for time the host spends between commands.
 */
export class VirtualClock implements Clock {
  private t: number;
  constructor(startMs = 0) {
    this.t = startMs;
  }
  now(): number {
    return this.t;
  }
  sleep(ms: number): Promise<void> {
    if (ms > 0) this.t += ms;
    return Promise.resolve();
  }
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`cannot advance a clock by ${ms} ms`);
    this.t += ms;
  }
}
