/**
 * Issues 5 and 8 in the lane guest.
 * - `discforge info --json` against sg3-utils (sg_inq, sg_get_config, sg_readcap) on QEMU's
 *   scsi-cd and on a tgt DVD+R, blank and after the burn, field by field.
 * - `discforge burn --image` (our SG_IO transport) onto one blank tgt DVD+R (/dev/sr2) and
 *   `growisofs -Z` of the same image onto another (/dev/sr3); the host compares the two backing
 *   files byte for byte. Both command sequences (ours from --trace, growisofs's from the kernel's
 *   SCSI logging) and both burn times are recorded.
 * Results: $DISCFORGE_LANE_RESULTS/burn.json, burn-sequences.txt.
 *
 *   node --import tsx packages/transport-linux/test/lane/guest-burn.ts
 */
import { copyFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { assert, checkList, cliArgs, RESULTS } from "./guest-lib.js";

const BURN_IMAGE = process.env["DISCFORGE_LANE_BURN_IMAGE"] ?? "/work/burn.iso";
const CD = "/dev/sr0";
const OURS = process.env["DISCFORGE_LANE_OURS_DRIVE"] ?? "/dev/sr2";
const GROWISOFS = process.env["DISCFORGE_LANE_GROWISOFS_DRIVE"] ?? "/dev/sr3";
/** The image in guest memory, so neither burner waits on 9p. */
const LOCAL_IMAGE = "/tmp/lane-burn.iso";

function run(cmd: string, args: readonly string[], timeoutMs = 300_000) {
  const started = performance.now();
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, cwd: "/repo" });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "", ms: Math.round(performance.now() - started), error: r.error ? String(r.error) : undefined };
}

function discforge(args: readonly string[]) {
  return run("node", cliArgs(args));
}

/** sg3-utils' own table of profile names (sg_get_config --list), name -> code. */
function sgProfileCodes(): Map<string, number> {
  const text = run("sg_get_config", ["--list"]).stdout;
  const section = text.slice(text.indexOf("Known profiles"));
  const map = new Map<string, number>();
  for (const m of section.matchAll(/^\s+(.+?)\s+\[0x([0-9a-f]+)\]\s*$/gim)) map.set(m[1]!, parseInt(m[2]!, 16));
  return map;
}

interface SgView {
  vendor?: string;
  product?: string;
  revision?: string;
  peripheralType?: number;
  currentProfile?: number;
  profiles: number[];
  lastLba?: number;
  blocks?: number;
  blockLength?: number;
  readcapStatus: number | null;
  raw: { sg_inq: string; sg_get_config: string; sg_readcap: string };
}

function sgView(dev: string, names: Map<string, number>): SgView {
  const inq = run("sg_inq", [dev]);
  const cfg = run("sg_get_config", [dev]);
  const cap = run("sg_readcap", [dev]);
  const field = (label: string) => new RegExp(`${label}:\\s*(.*?)\\s*$`, "m").exec(inq.stdout)?.[1];
  const pdt = /PDT=(\d+)/.exec(inq.stdout)?.[1];
  const code = (name: string): number | undefined => names.get(name.trim());
  const current = /Current profile:\s*(.+?)\s*$/m.exec(cfg.stdout)?.[1];
  // The profile list feature's lines: "profile: DVD+R , currentP=1".
  const profiles: number[] = [];
  for (const m of cfg.stdout.matchAll(/^\s*profile:\s*(.+?)\s*,\s*currentP=\d/gm)) {
    const c = code(m[1]!);
    if (c === undefined) throw new Error(`sg_get_config names profile "${m[1]}", not in its own --list`);
    profiles.push(c);
  }
  const lastLba = /Last (?:logical block address|LBA)=(\d+)/i.exec(cap.stdout)?.[1];
  const blocks = /Number of (?:logical )?blocks=(\d+)/i.exec(cap.stdout)?.[1];
  const blockLength = /(?:Logical )?block length=(\d+)/i.exec(cap.stdout)?.[1];
  const v: SgView = { profiles, readcapStatus: cap.status, raw: { sg_inq: inq.stdout + inq.stderr, sg_get_config: cfg.stdout + cfg.stderr, sg_readcap: cap.stdout + cap.stderr } };
  const opt = <K extends keyof SgView>(k: K, value: SgView[K] | undefined) => {
    if (value !== undefined) v[k] = value;
  };
  opt("vendor", field("Vendor identification"));
  opt("product", field("Product identification"));
  opt("revision", field("Product revision level"));
  opt("peripheralType", pdt !== undefined ? Number(pdt) : undefined);
  opt("currentProfile", current !== undefined ? (/^0x[0-9a-f]+$/i.test(current) ? parseInt(current, 16) : code(current)) : undefined);
  opt("lastLba", lastLba !== undefined ? Number(lastLba) : undefined);
  opt("blocks", blocks !== undefined ? Number(blocks) : undefined);
  opt("blockLength", blockLength !== undefined ? Number(blockLength) : undefined);
  return v;
}

interface InfoJson {
  identity: { vendorId: string; productId: string; productRevision: string; peripheralDeviceType: number };
  profiles: { current: number; supported: { code: number; name: string; current: boolean }[] };
  media: { presence: string; profile?: number; capacityBlocks?: number; status?: string };
}

async function main(): Promise<void> {
  const list = checkList();
  const names = sgProfileCodes();
  const infoSides: Record<string, unknown> = {};

  const compareInfo = (label: string, dev: string, expectCurrent: number) =>
    list.check(`discforge info --json agrees with sg_inq, sg_get_config, sg_readcap on ${label} (${dev})`, (f) => {
      const r = discforge(["info", "--drive", dev, "--json"]);
      assert(r.status === 0, `discforge info exit ${r.status}: ${(r.stdout + r.stderr).slice(-1200)}`);
      const ours = JSON.parse(r.stdout) as InfoJson;
      const sg = sgView(dev, names);
      const pairs: [string, unknown, unknown][] = [
        ["vendor", ours.identity.vendorId.trim(), sg.vendor],
        ["product", ours.identity.productId.trim(), sg.product],
        ["revision", ours.identity.productRevision.trim(), sg.revision],
        ["peripheral type", ours.identity.peripheralDeviceType, sg.peripheralType],
        ["current profile", ours.profiles.current, sg.currentProfile],
        ["profile list", ours.profiles.supported.map((p) => p.code).sort((a, b) => a - b), [...sg.profiles].sort((a, b) => a - b)],
      ];
      // READ CAPACITY only means something with data on the disc; a blank disc's answer is recorded.
      if (sg.readcapStatus === 0 && sg.blocks !== undefined && sg.blocks > 1) {
        pairs.push(["capacity (blocks)", ours.media.capacityBlocks, sg.blocks]);
        // Our report has no block length: every optical data sector is 2048 bytes, so sg_readcap must say so.
        f["sgBlockLength"] = sg.blockLength;
        assert(sg.blockLength === 2048, `sg_readcap block length ${sg.blockLength}`);
      }
      const side = { discforge: ours, sg3utils: sg, fields: pairs.map(([field, o, s]) => ({ field, discforge: o, sg3utils: s, equal: JSON.stringify(o) === JSON.stringify(s) })) };
      infoSides[`${label} ${dev}`] = side;
      f["fields"] = side.fields;
      const unequal = side.fields.filter((x) => !x.equal);
      assert(sg.vendor !== undefined && sg.currentProfile !== undefined && sg.profiles.length > 0, `could not read sg3-utils' output: ${JSON.stringify(sg.raw).slice(0, 600)}`);
      assert(unequal.length === 0, `differ: ${JSON.stringify(unequal)}`);
      assert(ours.profiles.current === expectCurrent, `current profile ${ours.profiles.current.toString(16)}h, expected ${expectCurrent.toString(16)}h`);
    });

  // QEMU presents a disc image this small as a CD-ROM (0008h).
  await compareInfo("QEMU scsi-cd", CD, 0x0008);
  await compareInfo("tgt DVD+R, blank", OURS, 0x001b);

  copyFileSync(BURN_IMAGE, LOCAL_IMAGE);
  const burns: Record<string, unknown> = {};
  const sequences: Record<string, { opcode: string; name: string; count: number }[]> = {};

  await list.check(`discforge burn --image onto the blank tgt DVD+R (${OURS}) through SG_IO`, (f) => {
    const r = discforge(["burn", "--image", LOCAL_IMAGE, "--drive", OURS, "--trace", "--json"]);
    writeFileSync(`${RESULTS}/burn-discforge.trace.txt`, r.stderr);
    f["exit"] = r.status;
    f["processMs"] = r.ms;
    let result: Record<string, unknown> | undefined;
    try {
      result = JSON.parse(r.stdout.trim().split("\n").pop() ?? "") as Record<string, unknown>;
    } catch {
      result = undefined;
    }
    f["result"] = result;
    const trace = r.stderr.split("\n").flatMap((l) => {
      const m = /^trace: #\d+ (.+?) \[([0-9a-f]{2})/i.exec(l);
      return m ? [{ opcode: m[2]!.toLowerCase(), name: m[1]! }] : [];
    });
    sequences["discforge"] = runLength(trace);
    burns["discforge"] = { processMs: r.ms, writeMs: result?.["writeMs"], commands: trace.length };
    assert(r.status === 0, `exit ${r.status}: ${r.stderr.split("\n").filter((l) => !l.startsWith("trace:")).join("\n").slice(-1200)}`);
    assert(trace.length > 0, "no --trace lines");
    assert(trace.some((t) => t.opcode === "2a"), "no WRITE(10) in the trace");
  });

  await compareInfo("tgt DVD+R, after the burn", OURS, 0x0010);

  await list.check(`growisofs -Z ${GROWISOFS}=IMAGE onto a second blank tgt DVD+R, commands from the kernel's SCSI logging`, (f) => {
    run("dmesg", ["-C"]);
    writeFileSync("/proc/sys/dev/scsi/logging_level", "9216\n");
    let r: ReturnType<typeof run>;
    try {
      r = run("growisofs", ["-Z", `${GROWISOFS}=${LOCAL_IMAGE}`]);
    } finally {
      writeFileSync("/proc/sys/dev/scsi/logging_level", "0\n");
    }
    const dmesg = run("dmesg", []).stdout;
    writeFileSync(`${RESULTS}/burn-growisofs.log.txt`, `${r.stdout}\n${r.stderr}\n----- dmesg\n${dmesg}`);
    const dev = GROWISOFS.replace("/dev/", "");
    // The kernel logs each CDB when it is sent and again when it completes: count the sends.
    const sent = new Set<string>();
    const trace = dmesg.split("\n").flatMap((l) => {
      const send = new RegExp(`\\[${dev}\\] (tag#\\d+) Send:`).exec(l);
      if (send) sent.add(send[1]!);
      const m = new RegExp(`\\[${dev}\\] (tag#\\d+) CDB: (.+?) ([0-9a-f]{2})(?: [0-9a-f]{2})*\\s*$`, "i").exec(l);
      if (!m || !sent.delete(m[1]!)) return [];
      return [{ opcode: m[3]!.toLowerCase(), name: m[2]! }];
    });
    sequences["growisofs"] = runLength(trace);
    burns["growisofs"] = { processMs: r.ms, commands: trace.length };
    f["exit"] = r.status;
    f["processMs"] = r.ms;
    assert(r.status === 0, `growisofs exit ${r.status}: ${(r.stdout + r.stderr).slice(-1200)}`);
    assert(trace.some((t) => t.opcode === "2a"), `no WRITE(10) logged for ${dev}; dmesg has ${dmesg.split("\n").length} lines`);
  });

  writeFileSync(`${RESULTS}/burn-sequences.txt`, sideBySide(sequences["discforge"] ?? [], sequences["growisofs"] ?? []));
  const failed = list.save("burn.json", { info: infoSides, burns, sequences, imageBytes: (await import("node:fs")).statSync(LOCAL_IMAGE).size });
  console.log(`guest info and burn checks: ${list.checks.length - failed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

/** Consecutive commands with the same opcode folded into one row with a count. */
function runLength(trace: readonly { opcode: string; name: string }[]) {
  const out: { opcode: string; name: string; count: number }[] = [];
  for (const t of trace) {
    const last = out[out.length - 1];
    if (last?.opcode === t.opcode) last.count += 1;
    else out.push({ ...t, count: 1 });
  }
  return out;
}

function sideBySide(a: readonly { opcode: string; name: string; count: number }[], b: readonly { opcode: string; name: string; count: number }[]): string {
  const cell = (x?: { opcode: string; name: string; count: number }) => (x ? `${x.opcode} ${x.name}${x.count > 1 ? ` x${x.count}` : ""}` : "");
  const rows = [["discforge burn (--trace)", "growisofs (kernel SCSI logging)"]];
  for (let i = 0; i < Math.max(a.length, b.length); i++) rows.push([cell(a[i]), cell(b[i])]);
  const w = Math.max(...rows.map((r) => r[0]!.length));
  return rows.map((r) => `${r[0]!.padEnd(w)} | ${r[1]}`).join("\n") + "\n";
}

await main();
