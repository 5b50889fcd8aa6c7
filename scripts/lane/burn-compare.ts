/**
 * The like-for-like burn comparison of the lane (issue 8): `discforge burn` and `growisofs -Z` of
 * the same image, each onto its own blank tgt DVD+R, both timed as whole processes and both
 * traced the same way, by the kernel's SCSI logging (so one recorder sees both command streams).
 * This module parses that log and builds the side-by-side figures; guest-burn-compare.ts runs the
 * burns, the lane test and verdict.ts judge and print the result.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { opcodeName } from "../../packages/mmc/src/index.js";

/** One command as the SCSI midlayer logged it for one device. */
export interface LoggedCommand {
  /** Kernel time of the "Send:" line, seconds. */
  readonly sentAt: number;
  /** Kernel time of the "Done:" line, seconds (missing if the log ends first). */
  doneAt?: number;
  readonly opcode: number;
  readonly cdb: readonly number[];
}

/**
 * The commands sent to `dev` (e.g. "sr4") in `dmesg` output with scsi logging_level 9216
 * (MLQUEUE 4, MLCOMPLETE 2): each command logs "Send:" then its CDB, and on completion "Done:"
 * then the CDB again; the second CDB line is not a new command.
 */
export function parseScsiLog(dmesg: string, dev: string): LoggedCommand[] {
  const out: LoggedCommand[] = [];
  const sending = new Map<string, number>(); // tag -> time of its Send line, until its CDB line
  const inFlight = new Map<string, LoggedCommand>(); // tag -> command waiting for its Done line
  const esc = dev.replace(/[^a-z0-9]/gi, "");
  const line = new RegExp(`^\\[\\s*(\\d+\\.\\d+)\\].*\\[${esc}\\] (tag#\\d+) (Send:|Done:|CDB: (?:.+?) ((?:[0-9a-f]{2} ?)+)\\s*$)`, "i");
  for (const l of dmesg.split("\n")) {
    const m = line.exec(l);
    if (!m) continue;
    const t = Number(m[1]);
    const tag = m[2]!;
    if (m[3] === "Send:") sending.set(tag, t);
    else if (m[3] === "Done:") {
      const c = inFlight.get(tag);
      if (c) {
        c.doneAt = t;
        inFlight.delete(tag);
      }
    } else if (sending.has(tag)) {
      const cdb = m[4]!.trim().split(/\s+/).map((h) => parseInt(h, 16));
      const c: LoggedCommand = { sentAt: sending.get(tag)!, opcode: cdb[0]!, cdb };
      sending.delete(tag);
      inFlight.set(tag, c);
      out.push(c);
    }
  }
  return out;
}

export interface OpcodeCountRow {
  /** Two hex digits. */
  readonly opcode: string;
  /** From @discforge/mmc's opcode table. */
  readonly name: string;
  readonly discforge: number;
  readonly growisofs: number;
}

/** Per-opcode command counts of both burns, side by side, in opcode order. */
export function opcodeCountTable(discforge: readonly LoggedCommand[], growisofs: readonly LoggedCommand[]): OpcodeCountRow[] {
  const counts = new Map<number, { discforge: number; growisofs: number }>();
  for (const [side, list] of [["discforge", discforge], ["growisofs", growisofs]] as const) {
    for (const c of list) {
      const row = counts.get(c.opcode) ?? { discforge: 0, growisofs: 0 };
      row[side]++;
      counts.set(c.opcode, row);
    }
  }
  return [...counts.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([op, n]) => ({ opcode: op.toString(16).padStart(2, "0"), name: opcodeName(op), ...n }));
}

export interface WriteCoverage {
  readonly writes: number;
  readonly sectors: number;
  readonly firstLba: number;
  /** One past the last sector written. */
  readonly endLba: number;
  readonly minBlocks: number;
  readonly maxBlocks: number;
  /** Sectors between the first and last written sector that no WRITE covered. */
  readonly gapSectors: number;
  /** Sectors written more than once. */
  readonly overlapSectors: number;
}

/** Which LBAs the data WRITE(10)/WRITE(12) commands of one burn cover. */
export function writeCoverage(commands: readonly LoggedCommand[]): WriteCoverage {
  const ranges: { lba: number; blocks: number }[] = [];
  for (const c of commands) {
    const b = c.cdb;
    const lba = ((b[2]! << 24) >>> 0) + (b[3]! << 16) + (b[4]! << 8) + b[5]!;
    if (c.opcode === 0x2a) ranges.push({ lba, blocks: (b[7]! << 8) + b[8]! });
    else if (c.opcode === 0xaa) ranges.push({ lba, blocks: ((b[6]! << 24) >>> 0) + (b[7]! << 16) + (b[8]! << 8) + b[9]! });
  }
  ranges.sort((a, b) => a.lba - b.lba);
  let gap = 0;
  let overlap = 0;
  let end = ranges[0]?.lba ?? 0;
  for (const r of ranges) {
    if (r.lba > end) gap += r.lba - end;
    else overlap += Math.min(end, r.lba + r.blocks) - r.lba;
    end = Math.max(end, r.lba + r.blocks);
  }
  const blocks = ranges.map((r) => r.blocks);
  return {
    writes: ranges.length,
    sectors: blocks.reduce((a, b) => a + b, 0),
    firstLba: ranges[0]?.lba ?? -1,
    endLba: end,
    minBlocks: blocks.length ? Math.min(...blocks) : 0,
    maxBlocks: blocks.length ? Math.max(...blocks) : 0,
    gapSectors: gap,
    overlapSectors: overlap,
  };
}

/** Milliseconds from the first command sent to the last completed, and the same for the WRITEs. */
export function deviceSpans(commands: readonly LoggedCommand[]): { allMs: number; writeMs: number } {
  const span = (list: readonly LoggedCommand[]) => (list.length ? Math.round((Math.max(...list.map((c) => c.doneAt ?? c.sentAt)) - list[0]!.sentAt) * 1000) : 0);
  return { allMs: span(commands), writeMs: span(commands.filter((c) => c.opcode === 0x2a || c.opcode === 0xaa)) };
}

/**
 * Medians, ms: the host's time between one command's completion and the next one's send (the
 * tool's own per-command cost), and the target's time to complete a WRITE.
 */
export function perCommandMedians(commands: readonly LoggedCommand[]): { hostGapMs: number; writeServiceMs: number } {
  const median = (a: number[]) => (a.length ? [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]! : 0);
  const gaps: number[] = [];
  for (let i = 1; i < commands.length; i++) gaps.push((commands[i]!.sentAt - (commands[i - 1]!.doneAt ?? commands[i - 1]!.sentAt)) * 1000);
  const service = commands.filter((c) => (c.opcode === 0x2a || c.opcode === 0xaa) && c.doneAt !== undefined).map((c) => (c.doneAt! - c.sentAt) * 1000);
  const round = (x: number) => Math.round(x * 100) / 100;
  return { hostGapMs: round(median(gaps)), writeServiceMs: round(median(service)) };
}

/** The commands every DVD+R data burn needs, by opcode. */
export const ESSENTIAL_OPCODES = [
  [0x2a, "data"],
  [0x35, "flush"],
  [0x5b, "close"],
  [0x51, "disc state"],
  [0x52, "track state"],
] as const;

export interface BurnRun {
  /** The exact command line. */
  readonly command: string;
  readonly exit: number | null;
  /** Whole-process wall time. */
  readonly processMs: number;
  /** Image bytes / process seconds, MB/s (10^6). */
  readonly processMBps: number;
  /** From the kernel log: first command sent to last completed, and the WRITE phase. */
  readonly deviceMs: number;
  readonly writePhaseMs: number;
  readonly writePhaseMBps: number;
  readonly commands: number;
  /** Median host time between commands and median WRITE completion time, ms. */
  readonly hostGapMedianMs: number;
  readonly writeServiceMedianMs: number;
  readonly coverage: WriteCoverage;
}

/** guest-burn-compare.ts: $DISCFORGE_LANE_RESULTS/burn-compare.json. */
export interface BurnCompareReport {
  readonly checks: { readonly name: string; readonly ok: boolean; readonly facts: Record<string, unknown>; readonly error?: string }[];
  readonly image: { readonly bytes: number; readonly sectors: number };
  readonly runs: { readonly discforge?: BurnRun; readonly growisofs?: BurnRun };
  readonly opcodeTable: readonly OpcodeCountRow[];
}

export function burnRun(command: string, exit: number | null, processMs: number, imageBytes: number, commands: readonly LoggedCommand[]): BurnRun {
  const spans = deviceSpans(commands);
  const mbps = (ms: number) => (ms > 0 ? Math.round((imageBytes / 1e3 / ms) * 100) / 100 : 0);
  return {
    command,
    exit,
    processMs,
    processMBps: mbps(processMs),
    deviceMs: spans.allMs,
    writePhaseMs: spans.writeMs,
    writePhaseMBps: mbps(spans.writeMs),
    commands: commands.length,
    hostGapMedianMs: perCommandMedians(commands).hostGapMs,
    writeServiceMedianMs: perCommandMedians(commands).writeServiceMs,
    coverage: writeCoverage(commands),
  };
}

/** The side-by-side table the lane prints. */
export function compareTable(r: BurnCompareReport | undefined): string {
  if (!r) return "burn comparison: no burn-compare.json";
  const d = r.runs.discforge;
  const g = r.runs.growisofs;
  const rows: string[][] = [
    ["", "discforge burn", "growisofs -Z"],
    ["command", d?.command ?? "n/a", g?.command ?? "n/a"],
    ["whole process", d ? `${(d.processMs / 1000).toFixed(2)} s, ${d.processMBps} MB/s` : "n/a", g ? `${(g.processMs / 1000).toFixed(2)} s, ${g.processMBps} MB/s` : "n/a"],
    ["first to last command (kernel log)", d ? `${(d.deviceMs / 1000).toFixed(2)} s` : "n/a", g ? `${(g.deviceMs / 1000).toFixed(2)} s` : "n/a"],
    ["outside it (start-up, exit)", d ? `${((d.processMs - d.deviceMs) / 1000).toFixed(2)} s` : "n/a", g ? `${((g.processMs - g.deviceMs) / 1000).toFixed(2)} s` : "n/a"],
    ["first to last WRITE (kernel log)", d ? `${(d.writePhaseMs / 1000).toFixed(2)} s, ${d.writePhaseMBps} MB/s` : "n/a", g ? `${(g.writePhaseMs / 1000).toFixed(2)} s, ${g.writePhaseMBps} MB/s` : "n/a"],
    ["commands", String(d?.commands ?? "n/a"), String(g?.commands ?? "n/a")],
    ["median host time between commands", d?.hostGapMedianMs !== undefined ? `${d.hostGapMedianMs} ms` : "n/a", g?.hostGapMedianMs !== undefined ? `${g.hostGapMedianMs} ms` : "n/a"],
    ["median WRITE completion (target)", d?.writeServiceMedianMs !== undefined ? `${d.writeServiceMedianMs} ms` : "n/a", g?.writeServiceMedianMs !== undefined ? `${g.writeServiceMedianMs} ms` : "n/a"],
    ["WRITE LBAs", d ? `${d.coverage.firstLba}..${d.coverage.endLba - 1} in ${d.coverage.writes} (${d.coverage.minBlocks}-${d.coverage.maxBlocks} sectors each)` : "n/a", g ? `${g.coverage.firstLba}..${g.coverage.endLba - 1} in ${g.coverage.writes} (${g.coverage.minBlocks}-${g.coverage.maxBlocks} sectors each)` : "n/a"],
    ["-- opcode", "count", "count"],
    ...r.opcodeTable.map((o) => [`${o.opcode} ${o.name}`, String(o.discforge), String(o.growisofs)]),
  ];
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
  const head = `same image, ${(r.image.bytes / 1e6).toFixed(1)} MB (${r.image.sectors} sectors), onto blank tgt DVD+R LUNs; both traced by the kernel's SCSI logging`;
  return [head, ...rows.map((row) => row.map((c, i) => c.padEnd(w[i]!)).join(" | "))].join("\n");
}

/** What run.sh adds to summary.json for the comparison: both backing files against the image. */
export interface CompareBurnSummary {
  readonly imageBytes: number;
  readonly imageSha256: string;
  readonly discforge: { readonly backingFileBytes: number; readonly identical: boolean; readonly paddingIsZero: boolean; readonly backingSha256: string };
  readonly growisofs: { readonly backingFileBytes: number; readonly identical: boolean; readonly paddingIsZero: boolean; readonly backingSha256: string };
  readonly discforgeEqualsGrowisofs: boolean;
  /** burn-compare.json's side-by-side figures, copied into the summary (null when it is missing). */
  readonly figures: Pick<BurnCompareReport, "runs" | "opcodeTable"> | null;
}

/** burn-compare.json and summary.json's compareBurn of one results folder (undefined when missing). */
export function readBurnCompare(resultsDir: string): { report?: BurnCompareReport; summary?: CompareBurnSummary } {
  const file = join(resultsDir, "burn-compare.json");
  const summary = (JSON.parse(readFileSync(join(resultsDir, "summary.json"), "utf8")) as { compareBurn?: CompareBurnSummary }).compareBurn;
  return {
    ...(existsSync(file) ? { report: JSON.parse(readFileSync(file, "utf8")) as BurnCompareReport } : {}),
    ...(summary ? { summary } : {}),
  };
}
