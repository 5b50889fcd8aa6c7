/**
 * WRITE(10) throughput of the emulated drive, unthrottled (no buffer or media timing), in-process.
 * Target: at least 2 GB/s of user data. Figures printed:
 *  - BD-RE (formatted) rewriting a 256 MiB region: steady state, the store's memory already touched
 *  - BD-R sequential burn into fresh memory (first-touch page faults included)
 *  - DVD+R sequential burn into a sparse file in the OS temp directory (bound by the file system)
 *  - baseline: a plain Uint8Array copy of the same bytes (the ceiling for any in-memory store)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EmulatedDrive, PERSONALITIES, VirtualClock, VirtualDisc, openVirtualDisc } from "../src/index.js";

const TARGET = 2e9;
const MIB = 1024 * 1024;

function write10(lba: number, blocks: number): Uint8Array {
  const cdb = new Uint8Array(10);
  cdb[0] = 0x2a;
  new DataView(cdb.buffer).setUint32(2, lba);
  cdb[7] = blocks >> 8;
  cdb[8] = blocks & 0xff;
  return cdb;
}

async function burn(drive: EmulatedDrive, totalBytes: number, blocksPerWrite: number, regionBlocks: number): Promise<number> {
  const data = new Uint8Array(blocksPerWrite * 2048).fill(0x5a);
  const commands = Math.floor(totalBytes / data.length);
  let lba = 0;
  const t0 = performance.now();
  for (let i = 0; i < commands; i++) {
    const r = await drive.execute({ cdb: write10(lba, blocksPerWrite), direction: "out", dataOut: data, timeoutMs: 60_000 });
    if (r.kind !== "good") throw new Error(`WRITE(10) at ${lba} failed: ${JSON.stringify(r)}`);
    lba += blocksPerWrite;
    if (lba + blocksPerWrite > regionBlocks) lba = 0;
  }
  const seconds = (performance.now() - t0) / 1000;
  return (commands * data.length) / seconds;
}

async function ready(drive: EmulatedDrive): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const r = await drive.execute({ cdb: new Uint8Array(6), direction: "none", timeoutMs: 1000 });
    if (r.kind === "good") return;
  }
}

async function bdre(blocksPerWrite: number, totalBytes: number): Promise<number> {
  const drive = new EmulatedDrive({ disc: VirtualDisc.blank("bd-re"), personality: PERSONALITIES["bd-writer"], clock: new VirtualClock(), throttle: false });
  await ready(drive);
  const params = Uint8Array.of(0, 0, 0, 8, 0, 0xba, 0x74, 0, 0x31 << 2, 0, 0, 0);
  const f = await drive.execute({ cdb: Uint8Array.of(0x04, 0x11, 0, 0, 0, 0), direction: "out", dataOut: params, timeoutMs: 60_000 });
  if (f.kind !== "good") throw new Error("FORMAT UNIT failed");
  await burn(drive, 256 * MIB, 512, (256 * MIB) / 2048); // touch the region once
  const rate = await burn(drive, totalBytes, blocksPerWrite, (256 * MIB) / 2048);
  await drive.close();
  return rate;
}

const fmt = (bps: number) => `${(bps / 1e9).toFixed(2)} GB/s`;
const rows: [string, number][] = [];

rows.push(["BD-RE rewrite, WRITE(10) 1 MiB (512 blocks)", await bdre(512, 4096 * MIB)]);
rows.push(["BD-RE rewrite, WRITE(10) 64 KiB (32 blocks)", await bdre(32, 1024 * MIB)]);
{
  const drive = new EmulatedDrive({ disc: VirtualDisc.blank("bd-r"), personality: PERSONALITIES["bd-writer"], clock: new VirtualClock(), throttle: false });
  await ready(drive);
  rows.push(["BD-R sequential, fresh memory, 1 MiB writes", await burn(drive, 1024 * MIB, 512, 12_219_392)]);
  await drive.close();
}
{
  const dir = mkdtempSync(join(tmpdir(), "emu-bench-"));
  const drive = openVirtualDisc(join(dir, "disc.img"), { media: "dvd+r", clock: new VirtualClock(), throttle: false });
  await ready(drive);
  rows.push(["DVD+R sequential into a sparse file, 1 MiB writes", await burn(drive, 1024 * MIB, 512, 2_295_104)]);
  await drive.close();
  rmSync(dir, { recursive: true, force: true });
}
{
  const src = new Uint8Array(MIB).fill(1);
  const dst = new Uint8Array(256 * MIB).fill(2); // touched first, like the BD-RE region
  const t0 = performance.now();
  for (let i = 0; i < 4096; i++) dst.set(src, (i % 256) * MIB);
  rows.push(["baseline: Uint8Array.set of 1 MiB (memory copy ceiling)", (4096 * MIB) / ((performance.now() - t0) / 1000)]);
}

console.log("emulator WRITE(10) throughput, unthrottled, user data");
for (const [name, bps] of rows) console.log(`  ${name.padEnd(58)} ${fmt(bps).padStart(11)}`);
const headline = rows[0]![1];
console.log(`target >= ${fmt(TARGET)}: ${headline >= TARGET ? "MET" : "NOT MET"} (${fmt(headline)}, BD-RE rewrite with 1 MiB writes)`);
