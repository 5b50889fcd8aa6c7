/**
 * The lane's checks inside the guest (real kernel, QEMU scsi-cd and tgt DVD+R), run by
 * scripts/lane/guest-steps.sh. Each check records a verdict in $DISCFORGE_LANE_RESULTS/checks.json;
 * the benchmark figures go to bench.json. Exit code 0 only when every check passed.
 *
 *   node --import tsx packages/transport-linux/test/lane/guest-checks.ts
 */
import { createHash } from "node:crypto";
import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, statSync, writeFileSync, writeSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { ScsiResult } from "@discforge/transport";
import { enumerateDrives, ExclusiveAccessError, koffiSyscalls, LinuxSgTransport, openLinuxTransport, SG, sgIoHdr } from "../../src/index.js";
import { fakeDevice, fakeSysFs } from "../fake-device.js";
import { OsError } from "@discforge/transport";

const RESULTS = process.env["DISCFORGE_LANE_RESULTS"] ?? "/work/results";
const DISC_ISO = process.env["DISCFORGE_LANE_DISC_ISO"] ?? "/work/disc.iso";
const BURN_IMAGE = process.env["DISCFORGE_LANE_BURN_IMAGE"] ?? "/work/burn.iso";
const TUR_COUNT = Number(process.env["DISCFORGE_LANE_TUR_COUNT"] ?? 1000);
/** sg_raw sends one command per process; under TCG a process start costs far more than the command. */
const SG_RAW_COUNT = Number(process.env["DISCFORGE_LANE_SG_RAW_COUNT"] ?? 100);
const SECTOR = 2048;

interface Check {
  readonly name: string;
  ok: boolean;
  readonly facts: Record<string, unknown>;
  error?: string;
}
const checks: Check[] = [];
const bench: Record<string, unknown> = {};

async function check(name: string, body: (facts: Record<string, unknown>) => Promise<void>): Promise<void> {
  const c: Check = { name, ok: false, facts: {} };
  checks.push(c);
  const started = performance.now();
  try {
    await body(c.facts);
    c.ok = true;
  } catch (e) {
    c.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  c.facts["ms"] = Math.round(performance.now() - started);
  console.log(`${c.ok ? "PASS" : "FAIL"} ${name}${c.error ? ` — ${c.error}` : ""}`);
}

function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

function show(r: ScsiResult): string {
  if (r.kind === "check-condition") return `check-condition sense=${Buffer.from(r.sense).toString("hex")}`;
  if (r.kind === "good") return `good ${r.data.length} bytes, residual ${r.residual}`;
  return JSON.stringify(r);
}

function senseTriple(r: ScsiResult): [number, number, number] | undefined {
  if (r.kind !== "check-condition") return undefined;
  const s = r.sense;
  const code = (s[0] ?? 0) & 0x7f;
  if (code === 0x72 || code === 0x73) return [s[1]! & 0x0f, s[2]!, s[3]!];
  return [s[2]! & 0x0f, s[12] ?? 0, s[13] ?? 0];
}

const be32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const cdb = {
  tur: () => new Uint8Array(6),
  inquiry: (n: number) => new Uint8Array([0x12, 0, 0, 0, n, 0]),
  readCapacity: () => new Uint8Array([0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
  read10: (lba: number, blocks: number) => new Uint8Array([0x28, 0, ...be32(lba), 0, (blocks >> 8) & 0xff, blocks & 0xff, 0]),
  write10: (lba: number, blocks: number) => new Uint8Array([0x2a, 0, ...be32(lba), 0, (blocks >> 8) & 0xff, blocks & 0xff, 0]),
  synchronizeCache: () => new Uint8Array([0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
  /** MMC-6 6.3: close function 1 = close track, 2 = close session. */
  closeTrackSession: (fn: number, track: number) => new Uint8Array([0x5b, 0, fn, 0, (track >> 8) & 0xff, track & 0xff, 0, 0, 0, 0]),
  getConfiguration: () => new Uint8Array([0x46, 0x02, 0, 0, 0, 0, 0, 0, 8, 0]),
  readDiscInformation: () => new Uint8Array([0x51, 0, 0, 0, 0, 0, 0, 0, 34, 0]),
  readTrackInformation: (track: number) => new Uint8Array([0x52, 0x01, ...be32(track), 0, 0, 36, 0]),
  modeSelect10: (n: number) => new Uint8Array([0x55, 0x10, 0, 0, 0, 0, 0, (n >> 8) & 0xff, n & 0xff, 0]),
  formatUnit: () => new Uint8Array([0x04, 0x10, 0, 0, 0, 0]),
  ataPassThrough12: () => new Uint8Array([0xa1, 0x08, 0x0e, 0, 1, 0, 0, 0, 0, 0xec, 0, 0]),
};

async function run(t: LinuxSgTransport, command: Parameters<LinuxSgTransport["execute"]>[0]): Promise<ScsiResult> {
  return t.execute(command);
}

async function untilReady(t: LinuxSgTransport): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const r = await run(t, { cdb: cdb.tur(), direction: "none", timeoutMs: 10_000 });
    if (r.kind === "good") return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`${t.path} never became ready`);
}

async function readCapacity(t: LinuxSgTransport): Promise<number> {
  const r = await run(t, { cdb: cdb.readCapacity(), direction: "in", dataInLength: 8, timeoutMs: 30_000 });
  assert(r.kind === "good" && r.data.length === 8, `READ CAPACITY: ${show(r)}`);
  return new DataView(r.data.buffer, r.data.byteOffset, 8).getUint32(0) + 1;
}

async function readAll(t: LinuxSgTransport, sectors: number, chunkSectors: number, hashing = true): Promise<{ sha256: string; ms: number }> {
  const hash = createHash("sha256");
  const started = performance.now();
  for (let lba = 0; lba < sectors; lba += chunkSectors) {
    const n = Math.min(chunkSectors, sectors - lba);
    const r = await run(t, { cdb: cdb.read10(lba, n), direction: "in", dataInLength: n * SECTOR, timeoutMs: 60_000 });
    assert(r.kind === "good" && r.data.length === n * SECTOR, `READ(10) at ${lba}: ${show(r)}`);
    if (hashing) hash.update(r.data);
  }
  return { sha256: hash.digest("hex"), ms: performance.now() - started };
}

function sha256File(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** The lane's MMC devices: QEMU's scsi-cd plus one tgt DVD+R per iSCSI LUN (see scripts/lane/boot.sh). */
const MMC_DEVICES = Number(process.env["DISCFORGE_LANE_MMC_DEVICES"] ?? 2);

function findDrive(vendor: string, blockDevice?: string) {
  const d = enumerateDrives().drives.find((x) => x.vendor === vendor && (blockDevice === undefined || x.blockDevice === blockDevice));
  assert(d?.blockDevice && d.genericDevice, `no drive of vendor ${vendor}${blockDevice ? ` at ${blockDevice}` : ""} in enumeration`);
  return { sr: d.blockDevice, sg: d.genericDevice, drive: d };
}

function sgOfScsiDebug(): string | undefined {
  for (const sg of readdirSync("/sys/class/scsi_generic")) {
    const model = readFileSync(`/sys/class/scsi_generic/${sg}/device/model`, "utf8").trim();
    if (model === "scsi_debug") return `/dev/${sg}`;
  }
  return undefined;
}

async function main(): Promise<void> {
  mkdirSync(RESULTS, { recursive: true });
  // Opened now: the last check drops root privileges and must still be able to write.
  const out = openSync(`${RESULTS}/checks.json`, "w");

  await check("enumeration lists every MMC device with its sg node", async (f) => {
    const report = enumerateDrives();
    f["drives"] = report.drives;
    assert(report.drives.length === MMC_DEVICES, `expected ${MMC_DEVICES} drives, got ${report.drives.length}: ${JSON.stringify(report)}`);
    for (const d of report.drives) {
      assert(d.peripheralType === 5 && d.blockDevice && d.genericDevice && d.scsiAddress, `incomplete drive ${JSON.stringify(d)}`);
      assert(d.maxHwTransferBytes !== undefined && d.maxHwTransferBytes >= 65536, `max_hw_sectors_kb missing for ${d.path}`);
    }
    assert(report.drives.some((d) => d.vendor === "QEMU") && report.drives.some((d) => d.vendor === "IET"), "expected a QEMU and an IET drive");
  });

  const cd = findDrive("QEMU");
  // The first tgt LUN (scsi-id 1); the others are blanks for the burn comparison (guest-burn.ts).
  const dvdr = findDrive("IET", "/dev/sr1");

  await check("READ(10) of the whole scsi-cd matches the ISO file byte for byte (sr and sg nodes)", async (f) => {
    const expected = sha256File(DISC_ISO);
    const size = statSync(DISC_ISO).size;
    for (const node of [cd.sr, cd.sg]) {
      const t = await openLinuxTransport(node);
      try {
        await untilReady(t);
        const sectors = await readCapacity(t);
        assert(sectors * SECTOR === size, `${node}: READ CAPACITY says ${sectors} sectors, ISO has ${size / SECTOR}`);
        const r = await readAll(t, sectors, t.maxTransferBytes / SECTOR);
        assert(r.sha256 === expected, `${node}: sha256 ${r.sha256} != ${expected}`);
        f[node] = { sectors, maxTransferBytes: t.maxTransferBytes, sha256: r.sha256 };
      } finally {
        await t.close();
      }
    }
  });

  await check("a write to the read-only scsi-cd ends in CHECK CONDITION (DATA PROTECT or ILLEGAL REQUEST)", async (f) => {
    const t = await openLinuxTransport(cd.sg);
    try {
      await untilReady(t);
      const r = await run(t, { cdb: cdb.write10(0, 1), direction: "out", dataOut: new Uint8Array(SECTOR), timeoutMs: 10_000 });
      const s = senseTriple(r);
      f["result"] = show(r);
      assert(s && (s[0] === 0x07 || s[0] === 0x05), `expected sense key 7 or 5, got ${show(r)}`);
      f["sense"] = s.map((x) => x.toString(16));
    } finally {
      await t.close();
    }
  });

  await check("INQUIRY(96) byte counts through our transport agree with sg_raw on every node", async (f) => {
    for (const node of [cd.sr, cd.sg, dvdr.sr, dvdr.sg]) {
      const t = await openLinuxTransport(node);
      let ours: ScsiResult;
      try {
        ours = await run(t, { cdb: cdb.inquiry(96), direction: "in", dataInLength: 96, timeoutMs: 10_000 });
      } finally {
        await t.close();
      }
      assert(ours.kind === "good", `${node}: ${show(ours)}`);
      const raw = spawnSync("sg_raw", ["-r", "96", node, "12", "00", "00", "00", "60", "00"], { encoding: "utf8" });
      const m = /Received (\d+) bytes/.exec(`${raw.stdout}${raw.stderr}`);
      assert(m, `sg_raw said: ${raw.stdout}${raw.stderr}`);
      const sgRawBytes = Number(m[1]);
      f[node] = { ours: ours.data.length, sgRaw: sgRawBytes, inquiryLength: ours.data[4]! + 5 };
      assert(ours.data.length === sgRawBytes, `${node}: our transport got ${ours.data.length} bytes, sg_raw ${sgRawBytes}`);
    }
  });

  await check("mounted drive: enumeration shows the mount point and exclusive open is refused as busy", async (f) => {
    mkdirSync("/mnt/cd", { recursive: true });
    execFileSync("modprobe", ["isofs"]);
    execFileSync("mount", ["-t", "iso9660", "-o", "ro", cd.sr, "/mnt/cd"]);
    try {
      const d = enumerateDrives().drives.find((x) => x.blockDevice === cd.sr);
      f["mountPoints"] = d?.mountPoints;
      assert(d?.mountPoints.includes("/mnt/cd"), `mount point not listed: ${JSON.stringify(d)}`);
      let error: unknown;
      try {
        const t = await openLinuxTransport(cd.sr, { exclusive: { clientName: "lane-mounted" } });
        await t.close();
      } catch (e) {
        error = e;
      }
      f["error"] = error instanceof Error ? error.message : String(error);
      assert(error instanceof OsError && error.osKind === "busy" && error.tag === "EBUSY", `expected OsError EBUSY, got ${String(error)}`);
    } finally {
      execFileSync("umount", ["/mnt/cd"]);
    }
  });

  await check("burn an image onto the tgt DVD+R: WRITE(10), SYNCHRONIZE CACHE, CLOSE TRACK, CLOSE SESSION, read back", async (f) => {
    const image = readFileSync(BURN_IMAGE);
    assert(image.length % SECTOR === 0, "burn image is not whole sectors");
    const t = await openLinuxTransport(dvdr.sg, { exclusive: { clientName: "discforge-lane-burner" } });
    try {
      // Exclusive access: a second client is refused and told who holds the drive.
      let refused: unknown;
      try {
        (await openLinuxTransport(dvdr.sg, { exclusive: { clientName: "intruder" } })).close();
      } catch (e) {
        refused = e;
      }
      assert(refused instanceof ExclusiveAccessError && refused.owner?.clientName === "discforge-lane-burner", `second exclusive open: ${String(refused)}`);
      const viaSr = await openLinuxTransport(dvdr.sr);
      f["ownerSeenViaSr"] = viaSr.exclusiveAccessOwner()?.clientName;
      await viaSr.close();
      assert(f["ownerSeenViaSr"] === "discforge-lane-burner", "the sr node of the same drive does not see the owner");

      await untilReady(t);
      const profile = async () => {
        const r = await run(t, { cdb: cdb.getConfiguration(), direction: "in", dataInLength: 8, timeoutMs: 10_000 });
        assert(r.kind === "good" && r.data.length >= 8, `GET CONFIGURATION: ${show(r)}`);
        return (r.data[6]! << 8) | r.data[7]!;
      };
      f["profileBefore"] = (await profile()).toString(16);
      assert(f["profileBefore"] === "1b", `expected blank DVD+R (001Bh), got ${String(f["profileBefore"])}`);
      const di = await run(t, { cdb: cdb.readDiscInformation(), direction: "in", dataInLength: 34, timeoutMs: 10_000 });
      assert(di.kind === "good", `READ DISC INFORMATION: ${show(di)}`);
      f["discStatusBefore"] = di.data[2]! & 3;
      const ti = await run(t, { cdb: cdb.readTrackInformation(1), direction: "in", dataInLength: 36, timeoutMs: 10_000 });
      assert(ti.kind === "good", `READ TRACK INFORMATION: ${show(ti)}`);
      const nwaValid = (ti.data[7]! & 1) === 1;
      const nwa = nwaValid ? new DataView(ti.data.buffer, ti.data.byteOffset).getUint32(12) : 0;
      f["nextWritableAddress"] = nwaValid ? nwa : "not valid";

      const chunkSectors = Math.min(32, t.maxTransferBytes / SECTOR);
      const started = performance.now();
      for (let off = 0; off < image.length; off += chunkSectors * SECTOR) {
        const data = image.subarray(off, Math.min(image.length, off + chunkSectors * SECTOR));
        const r = await run(t, { cdb: cdb.write10(nwa + off / SECTOR, data.length / SECTOR), direction: "out", dataOut: data, timeoutMs: 60_000 });
        assert(r.kind === "good", `WRITE(10) at ${nwa + off / SECTOR}: ${show(r)}`);
      }
      const writeMs = performance.now() - started;
      f["writeMBps"] = +(image.length / 1e6 / (writeMs / 1000)).toFixed(2);
      const steps: Array<[string, Uint8Array]> = [
        ["SYNCHRONIZE CACHE", cdb.synchronizeCache()],
        ["CLOSE TRACK", cdb.closeTrackSession(1, 1)],
        ["CLOSE SESSION", cdb.closeTrackSession(2, 0)],
      ];
      for (const [name, bytes] of steps) {
        const r = await run(t, { cdb: bytes, direction: "none", timeoutMs: 600_000 });
        f[name] = show(r);
        assert(r.kind === "good", `${name}: ${show(r)}`);
      }
      f["profileAfter"] = (await profile()).toString(16);
      const sectors = await readCapacity(t);
      f["capacityAfter"] = sectors;
      const back = await readAll(t, image.length / SECTOR, chunkSectors);
      const expected = createHash("sha256").update(image).digest("hex");
      assert(back.sha256 === expected, `read back ${back.sha256} != image ${expected}`);
      f["sha256"] = expected;
    } finally {
      await t.close();
    }
  });

  await check("write-class safety on a real disk (scsi_debug, type 00h): every write-class command refused, data unchanged", async (f) => {
    execFileSync("modprobe", ["scsi_debug", "dev_size_mb=8", "ptype=0", "num_tgts=1", "max_luns=1"]);
    let sg: string | undefined;
    for (let i = 0; i < 100 && !(sg = sgOfScsiDebug()); i++) await new Promise((r) => setTimeout(r, 100));
    assert(sg && existsSync(sg), "scsi_debug sg node did not appear");
    f["device"] = sg;
    const t = await openLinuxTransport(sg);
    try {
      assert(t.peripheralType === 0, `expected type 0, INQUIRY said ${t.peripheralType}`);
      await untilReady(t);
      const before = await run(t, { cdb: cdb.read10(0, 4), direction: "in", dataInLength: 4 * 512, timeoutMs: 10_000 });
      assert(before.kind === "good", `READ(10) on the disk: ${show(before)}`);
      const attempts: Array<[string, Parameters<LinuxSgTransport["execute"]>[0]]> = [
        ["WRITE(10)", { cdb: cdb.write10(0, 4), direction: "out", dataOut: new Uint8Array(2048).fill(0xaa), timeoutMs: 10_000 }],
        ["SYNCHRONIZE CACHE", { cdb: cdb.synchronizeCache(), direction: "none", timeoutMs: 10_000 }],
        ["FORMAT UNIT", { cdb: cdb.formatUnit(), direction: "none", timeoutMs: 10_000 }],
        ["MODE SELECT(10)", { cdb: cdb.modeSelect10(8), direction: "out", dataOut: new Uint8Array(8), timeoutMs: 10_000 }],
        ["ATA PASS-THROUGH(12) / BLANK", { cdb: cdb.ataPassThrough12(), direction: "none", timeoutMs: 10_000 }],
        ["CLOSE TRACK/SESSION", { cdb: cdb.closeTrackSession(2, 0), direction: "none", timeoutMs: 10_000 }],
      ];
      for (const [name, command] of attempts) {
        const r = await run(t, command);
        f[name] = r.kind === "transport-error" ? r.reason : show(r);
        assert(r.kind === "transport-error" && r.reason === "refused", `${name} was not refused: ${show(r)}`);
      }
      const after = await run(t, { cdb: cdb.read10(0, 4), direction: "in", dataInLength: 4 * 512, timeoutMs: 10_000 });
      assert(after.kind === "good" && Buffer.from(after.data).equals(Buffer.from(before.data)), "disk contents changed");
    } finally {
      await t.close();
    }
  });

  await check("a command the device does not finish in time ends in transport-error timeout, without blocking the event loop", async (f) => {
    const sg = sgOfScsiDebug();
    assert(sg, "scsi_debug device missing");
    const t = await openLinuxTransport(sg);
    const delayFile = "/sys/bus/pseudo/drivers/scsi_debug/delay";
    try {
      await untilReady(t);
      // 10 s at HZ=250 (delay is in jiffies); our timeout is 2 s.
      writeFileSync(delayFile, "2500");
      let ticks = 0;
      const timer = setInterval(() => ticks++, 10);
      const started = performance.now();
      const r = await run(t, { cdb: cdb.tur(), direction: "none", timeoutMs: 2000 });
      const elapsed = performance.now() - started;
      clearInterval(timer);
      writeFileSync(delayFile, "0");
      f["result"] = show(r);
      f["elapsedMs"] = Math.round(elapsed);
      f["eventLoopTicksOf10ms"] = ticks;
      assert(r.kind === "transport-error" && r.reason === "timeout", `expected timeout, got ${show(r)}`);
      assert(elapsed >= 1900 && elapsed < 9000, `timeout after ${elapsed} ms`);
      assert(ticks >= (elapsed / 10) * 0.5, `event loop ran only ${ticks} ticks of 10 ms during ${elapsed} ms`);
    } finally {
      await t.close();
    }
  });

  await check("a device that goes away mid-session: commands end as disconnected, reopening says not found", async (f) => {
    const sg = sgOfScsiDebug();
    assert(sg, "scsi_debug device missing");
    const t = await openLinuxTransport(sg);
    try {
      await untilReady(t);
      writeFileSync(`/sys/class/scsi_generic/${sg.slice(5)}/device/delete`, "1");
      const r = await run(t, { cdb: cdb.tur(), direction: "none", timeoutMs: 5000 });
      f["result"] = show(r);
      const disconnected = (r.kind === "os-error" && r.osKind === "disconnected") || (r.kind === "transport-error" && r.reason === "disconnected");
      assert(disconnected, `expected disconnected, got ${show(r)}`);
    } finally {
      await t.close();
    }
    let error: unknown;
    try {
      await openLinuxTransport(sg);
    } catch (e) {
      error = e;
    }
    f["reopen"] = String(error);
    assert(error instanceof OsError && (error.osKind === "not-found" || error.osKind === "disconnected"), `reopen: ${String(error)}`);
  });

  await benchmarks(cd);

  await check("permission denied (unprivileged user): OsError EACCES with the cdrom-group hint", async (f) => {
    process.setgid?.(65534);
    process.setuid?.(65534);
    let error: unknown;
    try {
      await openLinuxTransport(cd.sg);
    } catch (e) {
      error = e;
    }
    f["error"] = String(error);
    assert(error instanceof OsError && error.osKind === "permission-denied" && error.tag === "EACCES" && /cdrom/.test(error.hint ?? ""), `got ${String(error)}`);
  });

  writeSync(out, JSON.stringify({ checks, bench }, null, 2));
  closeSync(out);
  const failed = checks.filter((c) => !c.ok).length;
  console.log(`guest checks: ${checks.length - failed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

async function benchmarks(cd: { sr: string; sg: string }): Promise<void> {
  await check(`benchmark: TEST UNIT READY latency (ours vs sg_raw vs sg_turs) and sequential READ(10) (ours vs dd)`, async (f) => {
    const t = await openLinuxTransport(cd.sg);
    let oursUs: number;
    try {
      await untilReady(t);
      const started = performance.now();
      for (let i = 0; i < TUR_COUNT; i++) {
        const r = await run(t, { cdb: cdb.tur(), direction: "none", timeoutMs: 10_000 });
        assert(r.kind === "good", `TUR ${i}: ${show(r)}`);
      }
      oursUs = ((performance.now() - started) * 1000) / TUR_COUNT;
    } finally {
      await t.close();
    }
    console.log(`bench: discforge ${TUR_COUNT} TUR done`);
    const bare = await bareKoffiTurLatency(cd.sg);
    const layers = await layerTurLatency(cd.sg);
    let started = performance.now();
    for (let i = 0; i < SG_RAW_COUNT; i++) {
      const r = spawnSync("sg_raw", ["-n", cd.sg, "00", "00", "00", "00", "00", "00"], { stdio: "ignore" });
      assert(r.status === 0, `sg_raw exit ${r.status}`);
    }
    const sgRawUs = ((performance.now() - started) * 1000) / SG_RAW_COUNT;
    console.log(`bench: sg_raw ${SG_RAW_COUNT} TUR done`);
    started = performance.now();
    const turs = spawnSync("sg_turs", ["-n", String(TUR_COUNT), cd.sg], { encoding: "utf8" });
    assert(turs.status === 0, `sg_turs exit ${turs.status}: ${turs.stderr}`);
    const sgTursUs = ((performance.now() - started) * 1000) / TUR_COUNT;
    console.log(`bench: sg_turs ${TUR_COUNT} TUR done`);

    const size = statSync(DISC_ISO).size;
    const r = await openLinuxTransport(cd.sr);
    let oursMBps: number;
    try {
      await untilReady(r);
      const read = await readAll(r, size / SECTOR, r.maxTransferBytes / SECTOR, false);
      oursMBps = size / 1e6 / (read.ms / 1000);
    } finally {
      await r.close();
    }
    started = performance.now();
    const dd = spawnSync("dd", [`if=${cd.sr}`, "of=/dev/null", "bs=1M", "iflag=direct"], { encoding: "utf8" });
    assert(dd.status === 0, `dd exit ${dd.status}: ${dd.stderr}`);
    const ddMBps = size / 1e6 / ((performance.now() - started) / 1000);

    Object.assign(bench, {
      turCount: TUR_COUNT,
      sgRawCount: SG_RAW_COUNT,
      turLatencyUs: { discforge: Math.round(oursUs), sgRawPerProcess: Math.round(sgRawUs), sgTurs: Math.round(sgTursUs), bareKoffiAsync: bare.asyncUs, bareKoffiSync: bare.syncUs, ...layers },
      readBytes: size,
      readMBps: { discforge: +oursMBps.toFixed(1), dd: +ddMBps.toFixed(1) },
    });
    Object.assign(f, bench);
  });
}

/**
 * The transport's layers, each on its own: our LinuxSyscalls.sgIo wrapper (buffers, header,
 * koffi async call, decode) without the transport, and the transport's JavaScript alone (queue,
 * checks, result mapping) over a fake SG_IO that answers at once.
 */
async function layerTurLatency(node: string): Promise<{ sgIoWrapper: number; transportJsOnly: number }> {
  const sys = koffiSyscalls();
  const fd = sys.open(node, 0o2 | 0o4000);
  assert(fd >= 0, `open ${node} failed`);
  const request = { cdb: cdb.tur(), dxferDirection: SG.dxferNone, dataInLength: 0, timeoutMs: 10_000, senseLength: 64 };
  let started = performance.now();
  try {
    for (let i = 0; i < TUR_COUNT; i++) {
      const r = await sys.sgIo(fd, request);
      assert(r.ret === 0 && r.status === 0, `sgIo TUR ${i}: ret ${r.ret} status ${r.status}`);
    }
  } finally {
    sys.close(fd);
  }
  const sgIoWrapper = Math.round(((performance.now() - started) * 1000) / TUR_COUNT);
  const fake = fakeDevice({ peripheralType: 5 });
  const t = await LinuxSgTransport.open(node, { syscalls: fake, sysfs: fakeSysFs({}), lockDirectory: "/tmp" });
  try {
    started = performance.now();
    for (let i = 0; i < TUR_COUNT; i++) {
      const r = await run(t, { cdb: cdb.tur(), direction: "none", timeoutMs: 10_000 });
      assert(r.kind === "good", `fake TUR ${i}: ${show(r)}`);
      if (fake.sent.length > 64) fake.sent.length = 0;
    }
  } finally {
    await t.close();
  }
  return { sgIoWrapper, transportJsOnly: Math.round(((performance.now() - started) * 1000) / TUR_COUNT) };
}

/**
 * Where our per-command time goes: the same SG_IO TEST UNIT READY issued straight through koffi,
 * once as an async (worker-thread) call and once as a blocking call, without the transport.
 */
async function bareKoffiTurLatency(node: string): Promise<{ asyncUs: number; syncUs: number }> {
  const koffi = (await import("koffi")).default;
  const libc = koffi.load("libc.so.6");
  const ioctl = libc.func("int ioctl(int fd, unsigned long request, void *arg)");
  const openFn = libc.func("int open(const char *path, int flags)");
  const closeFn = libc.func("int close(int fd)");
  const fd = openFn(node, 0o2 | 0o4000) as number;
  assert(fd >= 0, `open ${node} failed`);
  const mem = koffi.alloc("uint8_t", 256) as unknown as bigint;
  const bytes = new Uint8Array(koffi.view(mem as never, 256));
  const hdrSize = sgIoHdr.size(8);
  sgIoHdr.encode({ dxferDirection: SG.dxferNone, cmdLen: 6, mxSbLen: 64, dxferLen: 0, dxferp: 0n, cmdp: mem + BigInt(hdrSize), sbp: mem + BigInt(hdrSize + 16), timeout: 10_000, flags: 0, packId: 0 }, 8, bytes);
  try {
    let started = performance.now();
    for (let i = 0; i < TUR_COUNT; i++) {
      const ret = await new Promise<number>((resolve) => ioctl.async(fd, SG.io, mem, (_e: unknown, r: number) => resolve(r)));
      assert(ret === 0 && bytes[64] === 0, `async TUR ${i} failed`);
    }
    const asyncUs = Math.round(((performance.now() - started) * 1000) / TUR_COUNT);
    started = performance.now();
    for (let i = 0; i < TUR_COUNT; i++) assert(ioctl(fd, SG.io, mem) === 0 && bytes[64] === 0, `sync TUR ${i} failed`);
    const syncUs = Math.round(((performance.now() - started) * 1000) / TUR_COUNT);
    return { asyncUs, syncUs };
  } finally {
    closeFn(fd);
    koffi.free(mem as never);
  }
}

await main();
