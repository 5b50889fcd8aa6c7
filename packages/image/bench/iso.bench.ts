/**
 * ISO image building: discforge against `xorriso -as mkisofs -R -J` and `genisoimage -R -J`, in
 * the same run on the same generated trees (20,000 small files of about 80 MB; 4 files of
 * 256 MiB), all writing to /dev/null, plus `tar -cf - TREE | cat > /dev/null` as the I/O floor for
 * the large tree. Each tool runs in its own process under /usr/bin/time, so every row's wall
 * time, CPU time (user + system) and peak RSS are of the whole process, start-up included.
 * discforge runs the way it ships: compiled JavaScript, bundled once by scripts/bundle-cli.ts (one
 * file, as an installed CLI would load it), the row being `discforge mkiso` itself. Its in-process time
 * (from the first tree scan to the last byte, printed by a bundled build-one.ts) is shown too.
 * Wall and CPU are each the best of RUNS runs (after a warm-up that puts the trees in the page
 * cache); RSS is the highest seen. Run with `pnpm bench iso.bench`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { bundleCli } from "../../../scripts/bundle-cli.js";
import { genLarge, genSmall } from "./trees.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
// Every tool runs without NODE_EXTRA_CA_CERTS: where it is set (as on the development machines),
// each Node process parses that CA bundle at start-up (50-90 ms here), which says nothing about
// building images; no tool here makes a TLS connection. Its cost is printed separately.
const benchEnv = { ...process.env };
delete benchEnv.NODE_EXTRA_CA_CERTS;
const root = mkdtempSync(join(tmpdir(), "discforge-iso-bench-"));
const here = import.meta.dirname;

function need(cmd: string, pkg: string): void {
  if (spawnSync("sh", ["-c", `command -v ${cmd}`]).status !== 0) {
    console.error(`bench: "${cmd}" is missing (Debian package ${pkg}, see scripts/system-packages.txt)`);
    process.exit(1);
  }
}

interface Result {
  /** Whole-process wall seconds. */
  readonly seconds: number;
  /** discforge only: seconds inside the process, from the first tree scan to the last byte written. */
  readonly inner?: number;
  /** User + system CPU seconds: steadier than wall time on a busy machine. */
  readonly cpu: number;
  readonly rssMiB: number;
}

/**
 * Runs `sh -c cmd` under /usr/bin/time RUNS times: best whole-process wall and CPU seconds (each
 * its own minimum), highest peak RSS, and with `inner` the best in-process time the build printed.
 */
function measure(cmd: string, inner = false): Result {
  let seconds = Infinity;
  let cpu = Infinity;
  let rssMiB = 0;
  let innerBest = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync("/usr/bin/time", ["-f", "TIME %e %M %U %S", "sh", "-c", cmd], { encoding: "utf8", maxBuffer: 64 << 20, env: benchEnv });
    if (r.status !== 0) throw new Error(`${cmd} failed:\n${r.stderr}`);
    const m = /TIME ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(r.stderr);
    if (!m) throw new Error(`no timing for ${cmd}:\n${r.stderr}`);
    seconds = Math.min(seconds, Number(m[1]));
    cpu = Math.min(cpu, Number(m[3]) + Number(m[4]));
    rssMiB = Math.max(rssMiB, Number(m[2]) / 1024);
    if (inner) innerBest = Math.min(innerBest, (JSON.parse(r.stdout.trim().split("\n").pop()!) as { ms: number }).ms / 1000);
  }
  return inner ? { seconds, cpu, rssMiB, inner: innerBest } : { seconds, cpu, rssMiB };
}

/** The CLI's whole-process figures with the in-process time of the bundled driver on the same tree. */
function withInner(whole: Result, driver: Result): Result {
  return { ...whole, inner: driver.inner! };
}

function row(name: string, r: Result, ref?: Result): string {
  const inner = r.inner !== undefined ? `   (in-process ${r.inner.toFixed(3)} s)` : "";
  return `  ${name.padEnd(30)} ${r.seconds.toFixed(3).padStart(8)} s wall ${r.cpu.toFixed(2).padStart(6)} s cpu ${r.rssMiB.toFixed(0).padStart(5)} MiB${ref ? `   wall x${(r.seconds / ref.seconds).toFixed(2)}, cpu x${(r.cpu / ref.cpu).toFixed(2)} of discforge` : ""}${inner}`;
}

need("xorriso", "xorriso");
need("genisoimage", "genisoimage");
need("tar", "tar");
try {
  const small = join(root, "small");
  const large = join(root, "large");
  console.log(`generating trees in ${root} ...`);
  genSmall(small);
  genLarge(large);
  // Compiled once, outside the timings: the CLI and the in-process driver, each one ES module.
  const cli = await bundleCli(root);
  const driver = await bundleCli(root, { entry: join(here, "build-one.ts"), name: "build-one.mjs" });
  const ours = (tree: string): string => `${process.execPath} ${cli} mkiso --quiet ${tree} -o /dev/null`;
  const inProcess = (tree: string): string => `${process.execPath} ${driver} ${tree} /dev/null`;
  const xorriso = (tree: string): string => `xorriso -as mkisofs -quiet -R -J -o /dev/null ${tree} 2>/dev/null`;
  const geniso = (tree: string): string => `genisoimage -quiet -R -J -o /dev/null ${tree}`;
  const tar = (tree: string): string => `tar -cf - -C ${tree} . | cat > /dev/null`;
  // Warm-up: page cache for both trees.
  measure(tar(small));
  measure(tar(large));
  const verdicts: [string, boolean][] = [];
  const caCerts = process.env.NODE_EXTRA_CA_CERTS;
  const startup = measure(`${process.execPath} -e 0`);
  const startupWithCerts = caCerts ? measure(`NODE_EXTRA_CA_CERTS='${caCerts}' ${process.execPath} -e 0`) : undefined;
  const cliStartup = measure(`${process.execPath} ${cli} --version`);
  console.log(`\nwhole-process figures for every tool (wall, user+system CPU, peak RSS). discforge is its bundled CLI; an empty`);
  console.log(`node process costs ${startup.seconds.toFixed(3)} s wall, ${startup.cpu.toFixed(2)} s cpu, ${startup.rssMiB.toFixed(0)} MiB here, \`discforge --version\` ${cliStartup.seconds.toFixed(3)} s.`);
  if (startupWithCerts) console.log(`(NODE_EXTRA_CA_CERTS is set here; with it an empty node process takes ${startupWithCerts.seconds.toFixed(3)} s. The rows below run without it.)`);

  console.log(`\n20,000 small files (~80 MB), best of ${RUNS}:`);
  const s = { ours: withInner(measure(ours(small)), measure(inProcess(small), true)), xorriso: measure(xorriso(small)), geniso: measure(geniso(small)) };
  console.log(row("discforge mkiso", s.ours));
  console.log(row("xorriso -as mkisofs -R -J", s.xorriso, s.ours));
  console.log(row("genisoimage -R -J", s.geniso, s.ours));
  verdicts.push(["small tree: faster than xorriso (whole-process wall)", s.ours.seconds < s.xorriso.seconds]);
  verdicts.push(["small tree: faster than genisoimage (whole-process wall)", s.ours.seconds < s.geniso.seconds]);
  verdicts.push(["small tree: at most half of genisoimage's time (whole-process wall)", s.ours.seconds <= s.geniso.seconds / 2]);
  verdicts.push(["small tree: less CPU than xorriso (whole process)", s.ours.cpu < s.xorriso.cpu]);
  verdicts.push(["small tree: less CPU than genisoimage (whole process)", s.ours.cpu < s.geniso.cpu]);
  verdicts.push([`small tree: in-process time at most half of genisoimage's whole-process wall (${s.ours.inner!.toFixed(3)} s vs ${(s.geniso.seconds / 2).toFixed(3)} s)`, s.ours.inner! <= s.geniso.seconds / 2]);

  console.log(`\n4 files of 256 MiB, best of ${RUNS}:`);
  const l = { ours: withInner(measure(ours(large)), measure(inProcess(large), true)), xorriso: measure(xorriso(large)), geniso: measure(geniso(large)), tar: measure(tar(large)) };
  console.log(row("discforge mkiso", l.ours));
  console.log(row("xorriso -as mkisofs -R -J", l.xorriso, l.ours));
  console.log(row("genisoimage -R -J", l.geniso, l.ours));
  console.log(row("tar -cf - | cat > /dev/null", l.tar, l.ours));
  verdicts.push([`large tree: within 10% of tar, whole-process wall (ratio ${(l.ours.seconds / l.tar.seconds).toFixed(2)})`, l.ours.seconds <= l.tar.seconds * 1.1]);
  verdicts.push([`large tree: within 10% of tar, discforge in-process (ratio ${(l.ours.inner! / l.tar.seconds).toFixed(2)})`, l.ours.inner! <= l.tar.seconds * 1.1]);
  verdicts.push([`large tree: peak RSS under 150 MiB (${l.ours.rssMiB.toFixed(0)} MiB)`, l.ours.rssMiB < 150]);

  console.log("\ntargets:");
  for (const [what, ok] of verdicts) console.log(`  ${ok ? "met    " : "NOT MET"}  ${what}`);
  console.log("\n(every wall, CPU and RSS column is the whole process, start-up included; discforge's in-process time is in");
  console.log(" parentheses. On a loaded machine compare the CPU columns: wall time there mostly measures waiting.)");
  console.log(`load average: ${loadavg().map((x) => x.toFixed(1)).join(" ")} on ${cpus().length} CPUs`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
