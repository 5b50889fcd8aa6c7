/** Reads what one lane run left in its work folder, for the lane test and the lane benchmark. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Every UDF revision the builder writes; the lane mounts one image of each with the kernel's udf. */
export const UDF_REVISIONS = ["1.02", "1.50", "2.00", "2.01", "2.50", "2.60"] as const;

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
    /** Our LinuxSyscalls.sgIo alone, and the transport's JavaScript alone over a fake SG_IO. */
    readonly sgIoWrapper?: number;
    readonly transportJsOnly?: number;
  };
  readonly readBytes: number;
  readonly readMBps: { readonly discforge: number; readonly dd: number };
}

export interface BackingFileComparison {
  readonly backingFileBytes: number;
  readonly identical: boolean;
  readonly paddingIsZero: boolean;
  readonly backingSha256: string;
}

export interface LaneSummary {
  readonly guestExit: number;
  readonly burn: BackingFileComparison & { readonly imageBytes: number; readonly imageSha256: string };
  /** `discforge burn --image` and `growisofs -Z` of the same image, each onto its own blank LUN. */
  readonly burnDiscforge?: BackingFileComparison;
  readonly burnGrowisofs?: BackingFileComparison;
  readonly discforgeEqualsGrowisofs?: boolean;
  readonly seconds: number;
}

/** guest-fs.ts: our images under the kernel's isofs and udf. */
export interface LaneFsReport {
  readonly checks: LaneCheck[];
}

export interface OpcodeRun {
  readonly opcode: string;
  readonly name: string;
  readonly count: number;
}

/** guest-burn.ts: info against sg3-utils, discforge burn against growisofs. */
export interface LaneBurnReport {
  readonly checks: LaneCheck[];
  readonly info: Record<string, { readonly fields: ReadonlyArray<{ readonly field: string; readonly discforge: unknown; readonly sg3utils: unknown; readonly equal: boolean }> }>;
  readonly burns: { readonly discforge?: { readonly processMs: number; readonly writeMs?: number; readonly commands: number }; readonly growisofs?: { readonly processMs: number; readonly commands: number } };
  readonly sequences: { readonly discforge?: readonly OpcodeRun[]; readonly growisofs?: readonly OpcodeRun[] };
  readonly imageBytes: number;
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
  // Missing reports stay undefined here; the lane test and the verdict fail on them by name.
  const fs = existsSync(join(resultsDir, "fs.json")) ? json<LaneFsReport>("fs.json") : undefined;
  const burn = existsSync(join(resultsDir, "burn.json")) ? json<LaneBurnReport>("burn.json") : undefined;
  return { summary: json<LaneSummary>("summary.json"), checks, bench, contract, fs, burn };
}

/** Every check of the run: guest-checks.ts, guest-fs.ts and guest-burn.ts. */
export function allChecks(results: ReturnType<typeof readLaneResults>): LaneCheck[] {
  return [...results.checks, ...(results.fs?.checks ?? []), ...(results.burn?.checks ?? [])];
}

/** The lane's burn benchmark: the same image, our burn against growisofs's, on the same target. */
export function burnTable(b: LaneBurnReport | undefined): string {
  if (!b) return "burn benchmark: no burn.json";
  const mb = (b.imageBytes / 1e6).toFixed(1);
  const rate = (ms: number | undefined) => (ms ? `${(ms / 1000).toFixed(2)} s (${(b.imageBytes / 1e3 / ms).toFixed(1)} MB/s)` : "n/a");
  const ours = b.burns.discforge;
  const theirs = b.burns.growisofs;
  return [
    `burn of a ${mb} MB image onto a blank tgt DVD+R (iSCSI, scsi-block, TCG guest)`,
    `  discforge burn: ${rate(ours?.processMs)} whole process incl. node start; writing ${rate(ours?.writeMs)}; ${ours?.commands ?? "?"} commands`,
    `  growisofs -Z:   ${rate(theirs?.processMs)} whole process; ${theirs?.commands ?? "?"} commands`,
  ].join("\n");
}

export function benchTable(b: LaneBench): string {
  const rows = [
    ["", "discforge (SG_IO via koffi)", "peer"],
    [`TEST UNIT READY latency, ${b.turCount} commands`, `${(b.turLatencyUs.discforge / 1000).toFixed(2)} ms`, `sg_turs -n ${b.turCount}: ${(b.turLatencyUs.sgTurs / 1000).toFixed(2)} ms`],
    [`TEST UNIT READY latency, one sg_raw process per command (${b.sgRawCount})`, `${(b.turLatencyUs.discforge / 1000).toFixed(2)} ms`, `sg_raw: ${(b.turLatencyUs.sgRawPerProcess / 1000).toFixed(2)} ms`],
    ...(b.turLatencyUs.bareKoffiAsync !== undefined && b.turLatencyUs.bareKoffiSync !== undefined
      ? [[`  of which: bare koffi ioctl, ${b.turCount} commands`, `async ${(b.turLatencyUs.bareKoffiAsync / 1000).toFixed(2)} ms, blocking ${(b.turLatencyUs.bareKoffiSync / 1000).toFixed(2)} ms`, ""]]
      : []),
    ...(b.turLatencyUs.sgIoWrapper !== undefined && b.turLatencyUs.transportJsOnly !== undefined
      ? [[`  of which: our sgIo wrapper alone; transport JS alone (fake SG_IO)`, `${(b.turLatencyUs.sgIoWrapper / 1000).toFixed(2)} ms; ${(b.turLatencyUs.transportJsOnly / 1000).toFixed(2)} ms`, ""]]
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
