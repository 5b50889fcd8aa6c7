/** The structured command trace: every command with its CDB, outcome, sense, bytes and time. */
import { toHex } from "@discforge/bytes";

export interface TraceEntry {
  /** 1-based command number since the drive was created. */
  readonly index: number;
  readonly opcode: number;
  readonly name: string;
  readonly cdb: Uint8Array;
  readonly direction: "none" | "in" | "out";
  /** Bytes sent to the drive. */
  readonly bytesOut: number;
  /** Bytes returned to the host. */
  readonly bytesIn: number;
  readonly result: "good" | "check-condition" | "status" | "transport-error";
  readonly sense?: { readonly key: number; readonly asc: number; readonly ascq: number };
  /** Clock time the command started, and how long it took, in ms. */
  readonly startMs: number;
  readonly durationMs: number;
}

/** Bounded in-memory trace (oldest entries drop first). */
export class Trace {
  private readonly entries: TraceEntry[] = [];
  dropped = 0;
  constructor(readonly limit = 100_000) {}

  push(e: TraceEntry): void {
    if (this.limit <= 0) return;
    if (this.entries.length >= this.limit) {
      this.entries.shift();
      this.dropped++;
    }
    this.entries.push(e);
  }

  get all(): readonly TraceEntry[] {
    return this.entries;
  }

  clear(): void {
    this.entries.length = 0;
    this.dropped = 0;
  }

  /** One JSON-friendly object per entry (CDB as hex), for files and comparisons. */
  toJSON(): object[] {
    return this.entries.map((e) => ({ ...e, cdb: toHex(e.cdb) }));
  }

  /** The command names in order, runs of the same command collapsed as "NAME ×n". */
  summary(): string[] {
    const out: string[] = [];
    let prev = "";
    let n = 0;
    for (const e of this.entries) {
      if (e.name === prev) {
        n++;
        continue;
      }
      if (n > 0) out.push(n > 1 ? `${prev} ×${n}` : prev);
      prev = e.name;
      n = 1;
    }
    if (n > 0) out.push(n > 1 ? `${prev} ×${n}` : prev);
    return out;
  }
}
