/**
 * ISO image building: discforge against `xorriso -as mkisofs -R -J` and `genisoimage -R -J`, in
 * the same run on the same generated trees (20,000 small files of about 80 MB; 4 files of
 * 256 MiB), all writing to /dev/null, plus `tar -cf - TREE | cat > /dev/null` as the I/O floor for
 * the large tree. Each tool runs in its own process under /usr/bin/time for peak RSS; every
 * figure is the best of RUNS runs after a warm-up that puts the trees in the page cache.
 * Run with `pnpm bench image`.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const root = mkdtempSync(join(tmpdir(), "discforge-iso-bench-"));
const here = import.meta.dirname;

function need(cmd: string, pkg: string): void {
  if (spawnSync("sh", ["-c", `command -v ${cmd}`]).status !== 0) {
    console.error(`bench: "${cmd}" is missing (Debian package ${pkg}, see scripts/system-packages.txt)`);
    process.exit(1);
  }
}

function pattern(seed: number, size: number): Buffer {
  const b = Buffer.allocUnsafe(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b.writeUInt32LE(x >>> 0, i);
  }
  return b;
}

function genSmall(dir: string): void {
  const pool = pattern(1, 16 << 20);
  for (let i = 0; i < 20_000; i++) {
    const d = join(dir, `dir${String(Math.floor(i / 100)).padStart(3, "0")}`);
    if (i % 100 === 0) mkdirSync(d, { recursive: true });
    const size = 1 + ((i * 7919) % 8000); // about 4 KB on average: 80 MB in all
    const off = (i * 4099) % (pool.length - size);
    writeFileSync(join(d, `file-${i}.dat`), pool.subarray(off, off + size));
  }
}

function genLarge(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const block = pattern(2, 16 << 20);
  for (let f = 0; f < 4; f++) {
    const parts: Buffer[] = [];
    for (let i = 0; i < 16; i++) parts.push(block);
    block[0] = f;
    writeFileSync(join(dir, `big-${f}.bin`), Buffer.concat(parts));
  }
}

interface Result {
  readonly seconds: number;
  /** User + system CPU seconds: steadier than wall time on a busy machine. */
  readonly cpu: number;
  readonly rssMiB: number;
}

/** Runs `sh -c cmd` under /usr/bin/time; returns wall seconds (or the inner figure) and max RSS. */
function measure(cmd: string, inner = false): Result {
  let best: Result | undefined;
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync("/usr/bin/time", ["-f", "TIME %e %M %U %S", "sh", "-c", cmd], { encoding: "utf8", maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`${cmd} failed:\n${r.stderr}`);
    const m = /TIME ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(r.stderr);
    if (!m) throw new Error(`no timing for ${cmd}:\n${r.stderr}`);
    let seconds = Number(m[1]);
    if (inner) seconds = (JSON.parse(r.stdout.trim().split("\n").pop()!) as { ms: number }).ms / 1000;
    const res = { seconds, cpu: Number(m[3]) + Number(m[4]), rssMiB: Number(m[2]) / 1024 };
    if (!best || res.seconds < best.seconds) best = { ...res, rssMiB: Math.max(res.rssMiB, best?.rssMiB ?? 0) };
    else best = { ...best, rssMiB: Math.max(best.rssMiB, res.rssMiB) };
  }
  return best!;
}

function row(name: string, r: Result, ref?: Result): string {
  return `  ${name.padEnd(30)} ${r.seconds.toFixed(3).padStart(8)} s wall ${r.cpu.toFixed(2).padStart(6)} s cpu ${r.rssMiB.toFixed(0).padStart(5)} MiB${ref ? `   wall x${(r.seconds / ref.seconds).toFixed(2)}, cpu x${(r.cpu / ref.cpu).toFixed(2)} of discforge` : ""}`;
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
  const ours = (tree: string): string => `${process.execPath} --import tsx ${join(here, "build-one.ts")} ${tree} /dev/null`;
  const xorriso = (tree: string): string => `xorriso -as mkisofs -quiet -R -J -o /dev/null ${tree} 2>/dev/null`;
  const geniso = (tree: string): string => `genisoimage -quiet -R -J -o /dev/null ${tree}`;
  const tar = (tree: string): string => `tar -cf - -C ${tree} . | cat > /dev/null`;
  // Warm-up: page cache for both trees.
  measure(tar(small));
  measure(tar(large));
  const verdicts: [string, boolean][] = [];

  console.log(`\n20,000 small files (~80 MB), best of ${RUNS}:`);
  const s = { ours: measure(ours(small), true), xorriso: measure(xorriso(small)), geniso: measure(geniso(small)) };
  console.log(row("discforge (plan + write)", s.ours));
  console.log(row("xorriso -as mkisofs -R -J", s.xorriso, s.ours));
  console.log(row("genisoimage -R -J", s.geniso, s.ours));
  verdicts.push(["small tree: faster than xorriso", s.ours.seconds < s.xorriso.seconds]);
  verdicts.push(["small tree: faster than genisoimage", s.ours.seconds < s.geniso.seconds]);
  verdicts.push(["small tree: at most half of genisoimage's time", s.ours.seconds <= s.geniso.seconds / 2]);

  console.log(`\n4 files of 256 MiB, best of ${RUNS}:`);
  const l = { ours: measure(ours(large), true), xorriso: measure(xorriso(large)), geniso: measure(geniso(large)), tar: measure(tar(large)) };
  console.log(row("discforge (plan + write)", l.ours));
  console.log(row("xorriso -as mkisofs -R -J", l.xorriso, l.ours));
  console.log(row("genisoimage -R -J", l.geniso, l.ours));
  console.log(row("tar -cf - | cat > /dev/null", l.tar, l.ours));
  verdicts.push([`large tree: within 10% of tar (ratio ${(l.ours.seconds / l.tar.seconds).toFixed(2)})`, l.ours.seconds <= l.tar.seconds * 1.1]);
  verdicts.push([`large tree: peak RSS under 150 MiB (${l.ours.rssMiB.toFixed(0)} MiB)`, l.ours.rssMiB < 150]);

  console.log("\ntargets:");
  for (const [what, ok] of verdicts) console.log(`  ${ok ? "met    " : "NOT MET"}  ${what}`);
  console.log("\n(discforge's wall time is measured inside its process, without Node start-up; its CPU time and peak RSS");
  console.log(" include start-up. On a loaded machine compare the CPU columns: wall time there mostly measures waiting.)");
  console.log(`load average: ${loadavg().map((x) => x.toFixed(1)).join(" ")} on ${cpus().length} CPUs`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
