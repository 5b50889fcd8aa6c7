/**
 * `pnpm bench lane`: runs the real-kernel lane (scripts/lane/run.sh, without the contract suite)
 * and prints our SG_IO path against sg3-utils and dd on the same device, side by side.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
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
const { bench, summary } = readLaneResults(join(laneDir, "work", "results"));
console.log(`real-kernel lane (QEMU TCG guest, ${summary.seconds}s in total)\n${benchTable(bench)}`);
