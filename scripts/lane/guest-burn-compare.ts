/**
 * Issue 8 in the lane guest: our burn against growisofs's, like for like. The same image (tens of
 * MB of random data, in guest memory) onto two blank tgt DVD+R LUNs:
 *   discforge burn --image IMAGE --drive /dev/srA --verify none
 *   growisofs -Z /dev/srB=IMAGE
 * Both are timed as whole processes and both run with the kernel's SCSI logging on, so one
 * recorder gives both command streams (opcode counts, WRITE LBAs, device-side times). The host
 * compares the two backing files with the image byte for byte (run.sh).
 * Results: $DISCFORGE_LANE_RESULTS/burn-compare.json (figures, opcode table), burn-compare.txt (the
 * table as printed) and burn-compare-<tool>.dmesg.txt.
 *
 *   node --import tsx scripts/lane/guest-burn-compare.ts
 */
import { copyFileSync, statSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { assert, checkList, CLI_BUNDLE, cliArgs, RESULTS } from "../../packages/transport-linux/test/lane/guest-lib.js";
import { ESSENTIAL_OPCODES, burnRun, compareTable, opcodeCountTable, parseScsiLog, type BurnCompareReport, type BurnRun, type LoggedCommand } from "./burn-compare.js";

const IMAGE = process.env["DISCFORGE_LANE_COMPARE_IMAGE"] ?? "/work/compare.iso";
const OURS = process.env["DISCFORGE_LANE_COMPARE_OURS_DRIVE"] ?? "/dev/sr4";
const GROWISOFS = process.env["DISCFORGE_LANE_COMPARE_GROWISOFS_DRIVE"] ?? "/dev/sr5";
/** In guest memory (tmpfs), so neither burner reads over 9p. */
const LOCAL = "/tmp/lane-compare.iso";
const LOGGING = "/proc/sys/dev/scsi/logging_level";

function run(cmd: string, args: readonly string[]) {
  const started = performance.now();
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 300_000, maxBuffer: 64 * 1024 * 1024, cwd: "/repo" });
  return { status: r.status, out: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}`, ms: Math.round(performance.now() - started) };
}

/** The command line as a user types it: `node BUNDLE burn ...` is `discforge burn ...`. */
function label(cmd: string, args: readonly string[]): string {
  const bundle = args.indexOf(CLI_BUNDLE);
  return cmd === "node" ? ["discforge", ...args.slice(bundle + 1)].join(" ") : [cmd, ...args].join(" ");
}

/** Runs one burn with the kernel's SCSI logging on (MLQUEUE 4, MLCOMPLETE 2); same for both tools. */
function loggedBurn(tool: string, dev: string, cmd: string, args: readonly string[], imageBytes: number): { run: BurnRun; commands: LoggedCommand[]; out: string } {
  run("dmesg", ["-C"]);
  writeFileSync(LOGGING, "9216\n");
  let r: ReturnType<typeof run>;
  try {
    r = run(cmd, args);
  } finally {
    writeFileSync(LOGGING, "0\n");
  }
  const dmesg = run("dmesg", []).out;
  writeFileSync(`${RESULTS}/burn-compare-${tool}.dmesg.txt`, `${r.out}\n----- dmesg\n${dmesg}`);
  const commands = parseScsiLog(dmesg, dev.replace("/dev/", ""));
  return { run: burnRun(label(cmd, args), r.status, r.ms, imageBytes, commands), commands, out: r.out };
}

async function main(): Promise<void> {
  const list = checkList();
  copyFileSync(IMAGE, LOCAL);
  const bytes = statSync(LOCAL).size;
  const sectors = bytes / 2048;
  const runs: { discforge?: BurnRun; growisofs?: BurnRun } = {};
  const logged: { discforge?: LoggedCommand[]; growisofs?: LoggedCommand[] } = {};

  const burned = (tool: "discforge" | "growisofs", dev: string, cmd: string, args: readonly string[]) =>
    list.check(`${tool}: ${label(cmd, args)} (${(bytes / 1e6).toFixed(1)} MB), timed, commands from the kernel's SCSI logging`, (f) => {
      const b = loggedBurn(tool, dev, cmd, args, bytes);
      runs[tool] = b.run;
      logged[tool] = b.commands;
      Object.assign(f, b.run);
      assert(b.run.exit === 0, `exit ${b.run.exit}: ${b.out.slice(-1500)}`);
      assert(b.commands.length > 0, `no commands logged for ${dev}`);
      for (const [op, what] of ESSENTIAL_OPCODES) assert(b.commands.some((c) => c.opcode === op), `no ${op.toString(16)}h (${what}) command logged for ${dev}`);
      assert(b.run.processMs > 0 && b.run.processMBps > 0, "no time measured");
    });
  // Alternating order would need a second pair of blanks; growisofs first keeps ours from
  // profiting from anything the target warmed up.
  await burned("growisofs", GROWISOFS, "growisofs", ["-Z", `${GROWISOFS}=${LOCAL}`]);
  // discforge as it ships: the bundled CLI (scripts/bundle-cli.ts), started by plain node.
  // DISCFORGE_LANE_PROFILE=1: a CPU profile of our burn into RESULTS/profile (diagnosis only; the
  // sampling costs time, so the figures of such a run are not the comparison's).
  const profile = process.env["DISCFORGE_LANE_PROFILE"] === "1" ? ["--cpu-prof", `--cpu-prof-dir=${RESULTS}/profile`] : [];
  await burned("discforge", OURS, "node", [...profile, ...cliArgs(["burn", "--image", LOCAL, "--drive", OURS, "--verify", "none"])]);

  await list.check("discforge's WRITE commands cover exactly the image's LBAs (plus zero padding to the 16-sector ECC block), no gap, no overlap", (f) => {
    const c = runs.discforge?.coverage;
    assert(c, "no discforge burn");
    const padded = Math.ceil(sectors / 16) * 16;
    Object.assign(f, { imageSectors: sectors, paddedSectors: padded, coverage: c });
    assert(c.firstLba === 0, `first WRITE at LBA ${c.firstLba}`);
    assert(c.gapSectors === 0 && c.overlapSectors === 0, `gaps ${c.gapSectors}, overlaps ${c.overlapSectors}`);
    assert(c.endLba === padded && c.sectors === padded, `WRITEs cover ${c.sectors} sectors up to LBA ${c.endLba}; the image has ${sectors}, padded ${padded}`);
    // growisofs covers the same LBAs: the two disc layouts agree command by command.
    const g = runs.growisofs?.coverage;
    f["growisofsCoverage"] = g;
    assert(g && g.firstLba === c.firstLba && g.endLba === c.endLba && g.gapSectors === 0, `growisofs covers ${JSON.stringify(g)}`);
  });

  const report: Omit<BurnCompareReport, "checks"> = {
    image: { bytes, sectors },
    runs,
    opcodeTable: opcodeCountTable(logged.discforge ?? [], logged.growisofs ?? []),
  };
  const failed = list.save("burn-compare.json", report);
  const table = compareTable({ checks: list.checks, ...report });
  writeFileSync(`${RESULTS}/burn-compare.txt`, `${table}\n`);
  console.log(table);
  console.log(`guest burn comparison: ${list.checks.length - failed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

await main();
