/**
 * The real-kernel lane (scripts/lane/run.sh): boots a Debian kernel under QEMU once, with QEMU's
 * scsi-cd and a tgt iSCSI DVD+R passed through with scsi-block, and runs the transport contract
 * suite, the guest checks and the benchmark there. Needs root (apt-get, tgtd) and the Debian
 * packages in scripts/system-packages.txt; without them this test fails, it never skips.
 */
import { describe, it, expect, beforeAll } from "vitest";
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchTable, contractVerdict, readLaneResults } from "./lane/results.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const laneDir = join(root, ".lane", "test");
const resultsDir = join(laneDir, "work", "results");
const LANE_TIMEOUT_MS = 14 * 60_000;

describe("real-kernel lane (QEMU + tgt)", () => {
  let results: ReturnType<typeof readLaneResults>;
  let log = "";
  let laneExit: number | null = null;

  beforeAll(async () => {
    if (process.getuid?.() !== 0) throw new Error("the lane needs root (apt-get, tgtd, QEMU); run npm test as root as CI does");
    rmSync(resultsDir, { recursive: true, force: true }); // never judge a previous run's results
    // Asynchronous: a synchronous wait would starve vitest's worker RPC for minutes.
    const r = await new Promise<{ status: number | null; error?: Error }>((resolve) => {
      const child = spawn("bash", [join(root, "scripts/lane/run.sh")], { cwd: root, env: { ...process.env, LANE_DIR: laneDir }, stdio: ["ignore", "pipe", "pipe"] });
      const keep = (chunk: Buffer) => {
        log = (log + chunk.toString("utf8")).slice(-256 * 1024);
      };
      child.stdout.on("data", keep);
      child.stderr.on("data", keep);
      const timer = setTimeout(() => child.kill("SIGTERM"), LANE_TIMEOUT_MS - 30_000);
      child.on("error", (error) => resolve({ status: null, error }));
      child.on("close", (status) => {
        clearTimeout(timer);
        resolve({ status });
      });
    });
    laneExit = r.status;
    try {
      results = readLaneResults(resultsDir);
    } catch (e) {
      throw new Error(`lane left no results (exit ${r.status}): ${String(e)}\n${log.slice(-4000)}`);
    }
    console.log(`lane: ${results.summary.seconds}s\n${benchTable(results.bench)}`);
  }, LANE_TIMEOUT_MS);

  it("the lane script (scripts/lane/run.sh) passed its own verdict", () => {
    expect(laneExit, log.slice(-4000)).toBe(0);
  });

  it("every guest check passed", () => {
    const failed = results.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.error}`);
    expect(failed, log.slice(-4000)).toEqual([]);
    expect(results.checks.length).toBeGreaterThanOrEqual(11);
  });

  it("the contract suite ran against the sg and sr nodes of both devices and passed", () => {
    expect(results.contract, "the lane wrote no contract.json").toBeDefined();
    const v = contractVerdict(results);
    expect(v.nodes).toEqual(["/dev/sg0", "/dev/sg1", "/dev/sr0", "/dev/sr1"]);
    expect(v.total).toBeGreaterThanOrEqual(4 * 9);
    expect(v.failed).toEqual([]);
  });

  it("the burn through SG_IO left the tgt backing file byte-identical to the image", () => {
    expect(results.summary.guestExit).toBe(0);
    expect(results.summary.burn.identical).toBe(true);
    expect(results.summary.burn.backingSha256).toBe(results.summary.burn.imageSha256);
    expect(results.summary.burn.backingFileBytes).toBe(results.summary.burn.imageBytes);
  });

  it("ran within the CI budget and produced benchmark figures", () => {
    expect(results.summary.seconds).toBeLessThan(15 * 60);
    expect(results.bench.turLatencyUs.discforge).toBeGreaterThan(0);
    expect(results.bench.readMBps.discforge).toBeGreaterThan(0);
    expect(results.bench.readMBps.dd).toBeGreaterThan(0);
  });
});
