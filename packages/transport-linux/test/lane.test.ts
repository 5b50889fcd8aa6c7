/**
 * The real-kernel lane (scripts/lane/run.sh): boots a Debian kernel under QEMU once, with QEMU's
 * scsi-cd and a tgt iSCSI DVD+R passed through with scsi-block, and runs the transport contract
 * suite, the guest checks and the benchmark there. Needs root (apt-get, tgtd) and the Debian
 * packages in scripts/system-packages.txt; without them this test fails, it never skips.
 */
import { describe, it, expect, beforeAll } from "vitest";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchTable, readLaneResults } from "./lane/results.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const laneDir = join(root, ".lane", "test");
const resultsDir = join(laneDir, "work", "results");
const LANE_TIMEOUT_MS = 14 * 60_000;

/**
 * Known deviation below our transport: through QEMU's iSCSI pass-through, tgt's INQUIRY answers
 * arrive with no residual (the guest kernel, and sg_raw, see all 96 requested bytes although the
 * data says 66). The guest check "INQUIRY(96) byte counts ... agree with sg_raw" proves the
 * transport reports what the kernel reports; the contract's exact-length test can then only fail
 * on these two nodes, and only with exactly this message.
 */
const KNOWN_DEVICE_DEVIATION = { test: "returns standard INQUIRY data of the expected device type with a consistent residual", message: "expected 96 to be 66" };

describe("real-kernel lane (QEMU + tgt)", () => {
  let results: ReturnType<typeof readLaneResults>;
  let log = "";

  beforeAll(() => {
    if (process.getuid?.() !== 0) throw new Error("the lane needs root (apt-get, tgtd, QEMU); run npm test as root as CI does");
    const r = spawnSync("bash", [join(root, "scripts/lane/run.sh")], {
      cwd: root,
      env: { ...process.env, LANE_DIR: laneDir },
      encoding: "utf8",
      timeout: LANE_TIMEOUT_MS,
      maxBuffer: 64 * 1024 * 1024,
    });
    log = `${r.stdout}${r.stderr}`;
    if (r.error) throw new Error(`lane did not finish: ${r.error.message}\n${log.slice(-4000)}`);
    try {
      results = readLaneResults(resultsDir);
    } catch (e) {
      throw new Error(`lane left no results (exit ${r.status}): ${String(e)}\n${log.slice(-4000)}`);
    }
    console.log(`lane: ${results.summary.seconds}s\n${benchTable(results.bench)}`);
  }, LANE_TIMEOUT_MS);

  it("every guest check passed", () => {
    const failed = results.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.error}`);
    expect(failed, log.slice(-4000)).toEqual([]);
    expect(results.checks.length).toBeGreaterThanOrEqual(11);
  });

  it("the contract suite ran against the sg and sr nodes of both devices and passed", () => {
    expect(results.contract, "the lane wrote no contract.json").toBeDefined();
    const tests = results.contract!.testResults.flatMap((f) => f.assertionResults);
    const nodes = new Set(tests.map((t) => /linux SG_IO (\/dev\/\w+)/.exec(t.fullName)?.[1]).filter(Boolean));
    expect([...nodes].sort()).toEqual(["/dev/sg0", "/dev/sg1", "/dev/sr0", "/dev/sr1"]);
    expect(tests.length).toBeGreaterThanOrEqual(4 * 9);
    const inquiryCheck = results.checks.find((c) => c.name.startsWith("INQUIRY(96) byte counts"));
    expect(inquiryCheck?.ok).toBe(true);
    const unexplained = tests.filter((t) => {
      if (t.status === "passed") return false;
      const tgtNode = /(\/dev\/s[rg]\d+)/.exec(t.fullName)?.[1];
      const facts = tgtNode ? (inquiryCheck?.facts[tgtNode] as { ours: number; sgRaw: number; inquiryLength: number } | undefined) : undefined;
      const known = t.fullName.endsWith(KNOWN_DEVICE_DEVIATION.test) && t.failureMessages.some((m) => m.includes(KNOWN_DEVICE_DEVIATION.message)) && facts !== undefined && facts.sgRaw === 96 && facts.inquiryLength === 66;
      return !known;
    });
    expect(unexplained.map((t) => `${t.fullName}: ${t.failureMessages[0]?.slice(0, 300)}`)).toEqual([]);
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
