/**
 * The lane's verdict on one run's results folder (used by run.sh; the lane test applies the same
 * rules through the same functions). Prints the contract outcome and the benchmark table.
 *   node --import tsx scripts/lane/verdict.ts RESULTS_DIR
 */
import { compareTable, readBurnCompare } from "./burn-compare.js";
import { allChecks, benchTable, burnTable, contractVerdict, readLaneResults } from "../../packages/transport-linux/test/lane/results.js";

const dir = process.argv[2];
if (!dir) throw new Error("usage: verdict.ts RESULTS_DIR");
const results = readLaneResults(dir);
const checks = allChecks(results);
const failedChecks = checks.filter((c) => !c.ok);
console.log(`checks: ${checks.length - failedChecks.length} passed, ${failedChecks.length} failed`);
for (const c of failedChecks) console.log(`  FAILED ${c.name}: ${c.error ?? ""}`);
let ok = failedChecks.length === 0;
for (const [file, report] of [["fs.json", results.fs], ["burn.json", results.burn]] as const) {
  if (!report) {
    console.log(`${file}: missing`);
    ok = false;
  }
}
if (results.contract) {
  const v = contractVerdict(results);
  console.log(`contract suite on ${v.nodes.join(", ")}: ${v.passed}/${v.total} passed`);
  for (const u of v.failed) console.log(`  FAILED ${u}`);
  ok &&= v.failed.length === 0 && v.nodes.length === 4;
} else if (process.env["DISCFORGE_LANE_SKIP_CONTRACT"] !== "1") {
  console.log("contract suite: no contract.json");
  ok = false;
}
console.log(benchTable(results.bench));
console.log(burnTable(results.burn));
// The like-for-like comparison (guest-burn-compare.ts): its checks count like the others.
const compare = readBurnCompare(dir);
if (!compare.report) {
  console.log("burn-compare.json: missing");
  ok = false;
} else {
  for (const c of compare.report.checks.filter((x) => !x.ok)) console.log(`  FAILED ${c.name}: ${c.error ?? ""}`);
  ok &&= compare.report.checks.length > 0 && compare.report.checks.every((c) => c.ok);
}
console.log(compareTable(compare.report));
process.exit(ok ? 0 : 1);
