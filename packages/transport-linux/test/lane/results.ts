/** Reads what one lane run left in its work folder, for the lane test and the lane benchmark. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface LaneCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly facts: Record<string, unknown>;
  readonly error?: string;
}

export interface LaneBench {
  readonly turCount: number;
  readonly sgRawCount: number;
  readonly turLatencyUs: {
    readonly discforge: number;
    readonly sgRawPerProcess: number;
    readonly sgTurs: number;
    /** The same SG_IO straight through koffi, without the transport: worker-thread and blocking. */
    readonly bareKoffiAsync?: number;
    readonly bareKoffiSync?: number;
  };
  readonly readBytes: number;
  readonly readMBps: { readonly discforge: number; readonly dd: number };
}

export interface LaneSummary {
  readonly guestExit: number;
  readonly burn: { readonly imageBytes: number; readonly backingFileBytes: number; readonly identical: boolean; readonly paddingIsZero: boolean; readonly imageSha256: string; readonly backingSha256: string };
  readonly seconds: number;
}

export interface ContractReport {
  readonly numTotalTests: number;
  readonly numPassedTests: number;
  readonly numFailedTests: number;
  readonly testResults: ReadonlyArray<{ readonly assertionResults: ReadonlyArray<{ readonly fullName: string; readonly status: string; readonly failureMessages: readonly string[] }> }>;
}

export function readLaneResults(resultsDir: string) {
  const json = <T>(name: string): T => JSON.parse(readFileSync(join(resultsDir, name), "utf8")) as T;
  const { checks, bench } = json<{ checks: LaneCheck[]; bench: LaneBench }>("checks.json");
  // The contract suite is skipped by the benchmark run.
  const contract = existsSync(join(resultsDir, "contract.json")) ? json<ContractReport>("contract.json") : undefined;
  return { summary: json<LaneSummary>("summary.json"), checks, bench, contract };
}

export function benchTable(b: LaneBench): string {
  const rows = [
    ["", "discforge (SG_IO via koffi)", "peer"],
    [`TEST UNIT READY latency, ${b.turCount} commands`, `${(b.turLatencyUs.discforge / 1000).toFixed(2)} ms`, `sg_turs -n ${b.turCount}: ${(b.turLatencyUs.sgTurs / 1000).toFixed(2)} ms`],
    [`TEST UNIT READY latency, one sg_raw process per command (${b.sgRawCount})`, `${(b.turLatencyUs.discforge / 1000).toFixed(2)} ms`, `sg_raw: ${(b.turLatencyUs.sgRawPerProcess / 1000).toFixed(2)} ms`],
    ...(b.turLatencyUs.bareKoffiAsync !== undefined && b.turLatencyUs.bareKoffiSync !== undefined
      ? [[`  of which: bare koffi ioctl, ${b.turCount} commands`, `async ${(b.turLatencyUs.bareKoffiAsync / 1000).toFixed(2)} ms, blocking ${(b.turLatencyUs.bareKoffiSync / 1000).toFixed(2)} ms`, ""]]
      : []),
    [`sequential READ(10), ${(b.readBytes / 1e6).toFixed(1)} MB from scsi-cd`, `${b.readMBps.discforge} MB/s`, `dd bs=1M iflag=direct: ${b.readMBps.dd} MB/s`],
  ];
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(w[i]!)).join(" | ")).join("\n");
}

export interface ContractVerdict {
  readonly nodes: readonly string[];
  readonly total: number;
  readonly passed: number;
  readonly failed: readonly string[];
}

export function contractVerdict(results: ReturnType<typeof readLaneResults>): ContractVerdict {
  const tests = (results.contract?.testResults ?? []).flatMap((f) => f.assertionResults);
  const nodes = [...new Set(tests.map((t) => /linux SG_IO (\/dev\/\w+)/.exec(t.fullName)?.[1]).filter((n): n is string => n !== undefined))].sort();
  const failed = tests
    .filter((t) => t.status !== "passed")
    .map((t) => `${t.fullName}: ${t.failureMessages[0]?.split("\n")[0]?.slice(0, 200) ?? t.status}`);
  return { nodes, total: tests.length, passed: tests.filter((t) => t.status === "passed").length, failed };
}
