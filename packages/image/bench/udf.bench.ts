/**
 * Bridged ISO 9660 + Joliet + Rock Ridge + UDF image building: discforge with UDF on against
 * `genisoimage -R -J -udf`, in the same run on the ISO benchmark trees (20,000 small files of about
 * 80 MB; 4 files of 256 MiB), both writing to /dev/null. Each build runs in its own process under
 * /usr/bin/time for peak RSS; every figure is the best of RUNS runs, each right after reading the
 * tree (warm page cache).
 * Run with `pnpm exec tsx packages/image/bench/udf.bench.ts` (BENCH_RUNS, UDF_REVISION to vary).
 *
 * With `--build TREE OUT REVISION` it is the child: plans and writes one image and prints
 * {"ms": ...} measured from the tree scan to the last byte (Node start-up excluded); REVISION
 * "none" builds the same image without UDF, to show what UDF adds.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { genLarge, genSmall } from "./trees.js";
import { FileSystemImage, planImage, writeImageFile } from "../src/index.js";
import { parseUdfRevision } from "../src/udf/index.js";

async function child(tree: string, out: string, revision: string): Promise<void> {
  const started = performance.now();
  const image = new FileSystemImage();
  image.addTree(tree);
  const udf = revision === "none" ? false : { revision: parseUdfRevision(revision) };
  const plan = planImage(image, { rockRidge: "1.12", joliet: true, udf });
  await writeImageFile(plan, out);
  process.stdout.write(JSON.stringify({ ms: performance.now() - started, sectors: plan.sectorCount }) + "\n");
}

interface Result {
  readonly seconds: number;
  readonly rssMiB: number;
}

/**
 * Best of `runs` runs of `cmd`; `warm` (a tree) is read right before each, because these machines
 * give cached file pages back within seconds (see iso.bench.ts).
 */
function measure(cmd: string, runs: number, inner = false, warm?: string): Result {
  let best: Result | undefined;
  let rss = 0;
  for (let i = 0; i < runs; i++) {
    if (warm !== undefined) spawnSync("sh", ["-c", `tar -cf - -C '${warm}' . | cat > /dev/null`]);
    const r = spawnSync("/usr/bin/time", ["-f", "TIME %e %M", "sh", "-c", cmd], { encoding: "utf8", maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`${cmd} failed:\n${r.stderr}`);
    const m = /TIME ([\d.]+) (\d+)/.exec(r.stderr);
    if (!m) throw new Error(`no timing for ${cmd}:\n${r.stderr}`);
    const seconds = inner ? (JSON.parse(r.stdout.trim().split("\n").pop()!) as { ms: number }).ms / 1000 : Number(m[1]);
    rss = Math.max(rss, Number(m[2]) / 1024);
    if (!best || seconds < best.seconds) best = { seconds, rssMiB: 0 };
  }
  return { seconds: best!.seconds, rssMiB: rss };
}

function row(name: string, r: Result, ref?: Result): string {
  return `  ${name.padEnd(36)} ${r.seconds.toFixed(3).padStart(8)} s ${r.rssMiB.toFixed(0).padStart(6)} MiB${ref ? `   x${(r.seconds / ref.seconds).toFixed(2)} of discforge` : ""}`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === "--build") return child(args[1]!, args[2]!, args[3]!);
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const revision = parseUdfRevision(process.env.UDF_REVISION ?? "1.02");
  for (const [cmd, pkg] of [["genisoimage", "genisoimage"], ["tar", "tar"]] as const) {
    if (spawnSync("sh", ["-c", `command -v ${cmd}`]).status !== 0) {
      console.error(`bench: "${cmd}" is missing (Debian package ${pkg}, see scripts/system-packages.txt)`);
      process.exit(1);
    }
  }
  const root = mkdtempSync(join(tmpdir(), "discforge-udf-bench-"));
  try {
    const small = join(root, "small");
    const large = join(root, "large");
    console.log(`generating trees in ${root} ...`);
    genSmall(small);
    genLarge(large);
    const ours = (tree: string, rev: string = revision): string => `${process.execPath} --import tsx ${import.meta.filename} --build ${tree} /dev/null ${rev}`;
    const geniso = (tree: string): string => `genisoimage -quiet -R -J -udf -o /dev/null ${tree}`;
    const tar = (tree: string): string => `tar -cf - -C ${tree} . | cat > /dev/null`;
    for (const [label, tree] of [["20,000 small files (~80 MB)", small], ["4 files of 256 MiB", large]] as const) {
      console.log(`\n${label}, UDF ${revision} + Rock Ridge + Joliet, best of ${runs}:`);
      const o = measure(ours(tree), runs, true, tree);
      const g = measure(geniso(tree), runs, false, tree);
      const isoOnly = measure(ours(tree, "none"), runs, true, tree);
      console.log(row(`discforge (plan + write, UDF ${revision})`, o));
      console.log(row("genisoimage -R -J -udf", g, o));
      console.log(row("discforge without UDF (its cost)", isoOnly, o));
      if (tree === large) console.log(row("tar -cf - | cat > /dev/null", measure(tar(tree), runs, false, tree), o));
      console.log(`  ratio genisoimage / discforge: ${(g.seconds / o.seconds).toFixed(2)}`);
    }
    console.log("\n(discforge's time is measured inside its process, without Node start-up; peak RSS includes it.)");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
