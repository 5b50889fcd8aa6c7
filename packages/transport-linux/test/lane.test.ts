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
import { ESSENTIAL_OPCODES, compareTable, readBurnCompare } from "../../../scripts/lane/burn-compare.js";
import { UDF_REVISIONS, allChecks, benchTable, burnTable, contractVerdict, readLaneResults } from "./lane/results.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const laneDir = join(root, ".lane", "test");
const resultsDir = join(laneDir, "work", "results");
const LANE_TIMEOUT_MS = 14 * 60_000;

describe("real-kernel lane (QEMU + tgt)", () => {
  let results: ReturnType<typeof readLaneResults>;
  let compare: ReturnType<typeof readBurnCompare>;
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
    compare = readBurnCompare(resultsDir);
    // A failed guest step leaves figures out: say so and let the checks below name the failure.
    const bench = results.bench?.turLatencyUs ? benchTable(results.bench) : "(no benchmark figures: the benchmark step failed, see the guest checks)";
    console.log(`lane: ${results.summary.seconds}s\n${bench}\n${burnTable(results.burn)}\n${compareTable(compare.report)}`);
  }, LANE_TIMEOUT_MS);

  it("the lane script (scripts/lane/run.sh) passed its own verdict", () => {
    expect(laneExit, log.slice(-4000)).toBe(0);
  });

  it("every guest check passed", () => {
    const failed = allChecks(results).filter((c) => !c.ok).map((c) => `${c.name}: ${c.error}`);
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

  it("the kernel's isofs and udf mount our images (Rock Ridge, Joliet, UDF 1.02 to 2.60) and see every file of the source tree", () => {
    expect(results.fs, "the guest wrote no fs.json (guest-fs.ts did not run)").toBeDefined();
    const checks = results.fs!.checks;
    const named = (part: string) => checks.filter((c) => c.name.includes(part));
    for (const part of ["(ISO 9660 + Rock Ridge)", "(Joliet (norock))", ...UDF_REVISIONS.map((r) => `(UDF ${r})`)]) {
      const c = named(part);
      expect(c, `no mount check for ${part}`).toHaveLength(1);
      expect(c[0]!.error, `${part}: ${c[0]!.error}`).toBeUndefined();
      expect(c[0]!.ok).toBe(true);
      expect(c[0]!.facts["differences"]).toEqual([]);
      expect(c[0]!.facts["entries"]).toBeGreaterThanOrEqual(20);
    }
    // Rock Ridge and UDF carry the symlinks; the tree has two.
    for (const part of ["(ISO 9660 + Rock Ridge)", ...UDF_REVISIONS.map((r) => `(UDF ${r})`)]) expect(named(part)[0]!.facts["symlinks"]).toHaveLength(2);
  });

  it("discforge info --json agrees field by field with sg_inq, sg_get_config and sg_readcap (scsi-cd, blank DVD+R, burned DVD+R)", () => {
    expect(results.burn, "the guest wrote no burn.json (guest-burn.ts did not run)").toBeDefined();
    const sides = Object.entries(results.burn!.info);
    expect(sides.map(([k]) => k.split(" /dev/")[0])).toEqual(["QEMU scsi-cd", "tgt DVD+R, blank", "tgt DVD+R, after the burn"]);
    for (const [label, side] of sides) {
      const fields = side.fields.map((f) => f.field);
      for (const f of ["vendor", "product", "revision", "peripheral type", "current profile", "profile list"]) expect(fields, `${label} lacks ${f}`).toContain(f);
      expect(side.fields.filter((f) => !f.equal), label).toEqual([]);
    }
    // Discs with data: READ CAPACITY compared too.
    for (const label of sides.map(([k]) => k).filter((k) => !k.includes("blank"))) expect(results.burn!.info[label]!.fields.map((f) => f.field)).toContain("capacity (blocks)");
  });

  it("discforge burn and growisofs burn the same image onto blank LUNs of the same target with identical bytes; both command sequences recorded", () => {
    const s = results.summary;
    expect(s.burnDiscforge, "summary has no discforge burn comparison").toBeDefined();
    expect(s.burnGrowisofs, "summary has no growisofs burn comparison").toBeDefined();
    expect(s.burnDiscforge!.identical).toBe(true);
    expect(s.burnDiscforge!.paddingIsZero).toBe(true);
    expect(s.burnGrowisofs!.identical).toBe(true);
    expect(s.discforgeEqualsGrowisofs).toBe(true);
    expect(s.burnDiscforge!.backingSha256).toBe(s.burnGrowisofs!.backingSha256);
    const seq = results.burn!.sequences;
    for (const side of [seq.discforge, seq.growisofs]) {
      expect(side?.length).toBeGreaterThan(3);
      expect(side!.some((r) => r.opcode === "2a")).toBe(true); // WRITE(10)
      expect(side!.some((r) => r.opcode === "5b")).toBe(true); // CLOSE TRACK/SESSION
    }
    expect(results.burn!.burns.discforge?.processMs).toBeGreaterThan(0);
    expect(results.burn!.burns.growisofs?.processMs).toBeGreaterThan(0);
  });

  it("like for like: discforge burn and growisofs -Z of the same tens-of-MB image, both timed as whole processes and traced by the kernel; same bytes, the essential commands on both sides, our WRITEs cover exactly the image", () => {
    const r = compare.report;
    expect(r, "the guest wrote no burn-compare.json (guest-burn-compare.ts did not run)").toBeDefined();
    expect(r!.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.error}`)).toEqual([]);
    expect(r!.image.bytes).toBeGreaterThanOrEqual(48 * 1024 * 1024);
    expect(r!.image.bytes % 2048).toBe(0);
    const d = r!.runs.discforge!;
    const g = r!.runs.growisofs!;
    expect(d.command).toBe("discforge burn --image /tmp/lane-compare.iso --drive /dev/sr4 --verify none");
    expect(g.command).toBe("growisofs -Z /dev/sr5=/tmp/lane-compare.iso");
    for (const side of [d, g]) {
      expect(side.exit).toBe(0);
      expect(side.processMs).toBeGreaterThan(0);
      expect(side.processMBps).toBeGreaterThan(0);
      expect(side.processMBps).toBeCloseTo(r!.image.bytes / 1e3 / side.processMs, 1);
      expect(side.writePhaseMs).toBeGreaterThan(0);
      expect(side.hostGapMedianMs).toBeGreaterThan(0);
      expect(side.writeServiceMedianMs).toBeGreaterThan(0);
      expect(side.writePhaseMs).toBeLessThanOrEqual(side.deviceMs);
      expect(side.deviceMs).toBeLessThanOrEqual(side.processMs);
    }
    // The per-opcode table: names from the mmc opcode table; the essential commands on both sides.
    const row = (op: number) => r!.opcodeTable.find((o) => o.opcode === op.toString(16).padStart(2, "0"));
    for (const [op] of ESSENTIAL_OPCODES) {
      expect(row(op)?.discforge, `discforge sent no ${op.toString(16)}h`).toBeGreaterThan(0);
      expect(row(op)?.growisofs, `growisofs sent no ${op.toString(16)}h`).toBeGreaterThan(0);
    }
    expect(row(0x2a)!.name).toBe("WRITE(10)");
    expect(row(0x35)!.name).toBe("SYNCHRONIZE CACHE(10)");
    expect(row(0x5b)!.name).toBe("CLOSE TRACK/SESSION");
    expect(r!.opcodeTable.reduce((n, o) => n + o.discforge, 0)).toBe(d.commands);
    expect(r!.opcodeTable.reduce((n, o) => n + o.growisofs, 0)).toBe(g.commands);
    // Our data WRITEs: exactly the image's sectors from LBA 0, padded to the 16-sector ECC block.
    const padded = Math.ceil(r!.image.sectors / 16) * 16;
    expect(d.coverage).toMatchObject({ firstLba: 0, endLba: padded, sectors: padded, gapSectors: 0, overlapSectors: 0 });
    expect(row(0x2a)!.discforge).toBe(d.coverage.writes);
    expect(g.coverage).toMatchObject({ firstLba: 0, endLba: padded, gapSectors: 0 });
    // And the bytes: both backing files hold the image, and each other.
    const s = compare.summary!;
    expect(s.imageBytes).toBe(r!.image.bytes);
    for (const side of [s.discforge, s.growisofs]) expect(side).toMatchObject({ identical: true, paddingIsZero: true, backingFileBytes: padded * 2048 });
    expect(s.discforgeEqualsGrowisofs).toBe(true);
    // The summary carries the same side-by-side figures.
    expect(s.figures).toEqual({ runs: r!.runs, opcodeTable: r!.opcodeTable });
  });

  it("ran within the CI budget and produced benchmark figures", () => {
    expect(results.summary.seconds).toBeLessThan(10 * 60);
    expect(results.bench.turLatencyUs.discforge).toBeGreaterThan(0);
    expect(results.bench.readMBps.discforge).toBeGreaterThan(0);
    expect(results.bench.readMBps.dd).toBeGreaterThan(0);
  });
});
