/**
 * `pnpm bench lane`: runs the real-kernel lane (scripts/lane/run.sh, without the contract suite)
 * and prints our SG_IO path against sg3-utils and dd on the same device, and our burn against
 * growisofs's on the same image (whole process, write phase, opcode counts), side by side.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compareTable, readBurnCompare } from "../../../scripts/lane/burn-compare.js";
import { benchTable, readLaneResults } from "../test/lane/results.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const laneDir = join(root, ".lane", "bench");
const r = spawnSync("bash", [join(root, "scripts/lane/run.sh")], {
  cwd: root,
  env: { ...process.env, LANE_DIR: laneDir, DISCFORGE_LANE_SKIP_CONTRACT: "1" },
  stdio: ["ignore", "ignore", "pipe"],
  encoding: "utf8",
  maxBuffer: 64 * 1024 * 1024,
});
if (r.status !== 0) {
  console.error(`${r.stderr.slice(-8000)}\nlane failed (exit ${r.status})`);
  process.exit(1);
}
const resultsDir = join(laneDir, "work", "results");
const { bench, summary } = readLaneResults(resultsDir);
console.log(`real-kernel lane (QEMU TCG guest, ${summary.seconds}s in total)\n${benchTable(bench)}\n${compareTable(readBurnCompare(resultsDir).report)}`);
