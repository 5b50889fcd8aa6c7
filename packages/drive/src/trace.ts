/** A structured record of every command a Recorder sends, for `--trace` and comparisons. */
import { toHex } from "@discforge/bytes";
import type { ScsiResult } from "@discforge/transport";

export interface TraceEntry {
  readonly seq: number;
  readonly command: string;
  readonly cdb: string;
  readonly direction: "none" | "in" | "out";
  /** Bytes requested (in) or sent (out). */
  readonly length: number;
  readonly outcome: ScsiResult["kind"];
  /** good: bytes transferred; check-condition: "KEY ASC/ASCQ"; otherwise the reason. */
  readonly detail: string;
  readonly senseHex?: string;
  readonly durationMs: number;
  /** Which attempt of the same command this was (retries after "becoming ready" etc.). */
  readonly attempt: number;
}

export type TraceSink = (entry: TraceEntry) => void;

export function traceDetail(result: ScsiResult): { detail: string; senseHex?: string } {
  switch (result.kind) {
    case "good":
      return { detail: `${result.data.length} byte(s)` };
    case "check-condition": {
      const s = result.sense;
      const code = (s[0] ?? 0) & 0x7f;
      const [key, asc, ascq] = code >= 0x72 ? [s[1] ?? 0, s[2] ?? 0, s[3] ?? 0] : [s[2] ?? 0, s[12] ?? 0, s[13] ?? 0];
      const h = (n: number) => n.toString(16).toUpperCase().padStart(2, "0");
      return { detail: `${(key & 0x0f).toString(16).toUpperCase()} ${h(asc)}/${h(ascq)}`, senseHex: toHex(s) };
    }
    case "status":
      return { detail: result.status };
    case "transport-error":
      return { detail: `${result.reason}: ${result.detail}` };
    case "os-error":
      return { detail: `${result.tag}: ${result.message}` };
  }
}

/** One line per command, the way `--trace` prints it. */
export function formatTraceEntry(e: TraceEntry): string {
  const retry = e.attempt > 1 ? ` (attempt ${e.attempt})` : "";
  return `#${e.seq} ${e.command} [${e.cdb}] ${e.direction}${e.length ? ` ${e.length}` : ""} -> ${e.outcome} ${e.detail} ${e.durationMs.toFixed(1)} ms${retry}`;
}
