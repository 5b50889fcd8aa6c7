/**
 * The README's main job (`npm run demo`): make a fresh folder of sample files, burn it onto a new
 * blank emulated DVD+R with `discforge burn` (the image is built on the fly by the image package,
 * written by the burn engine and verified sector by sector against the source), then read the
 * disc back independently — with discforge's ISO reader and, when installed, xorriso — and compare
 * every file with the folder. Exits non-zero on any failure.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readdirSync, statSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../packages/cli/src/run.js";
import { IsoReader } from "../packages/image/src/index.js";

// The emulated drive runs without media timing so the job takes seconds.
const io = { stdout: process.stdout, stderr: process.stderr, env: { ...process.env, DISCFORGE_EMU_THROTTLE: "0" } };
const work = mkdtempSync(join(tmpdir(), "discforge-demo-"));
const folder = join(work, "photos-and-notes");
const disc = join(work, "demo.img");

function sample(): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const put = (path: string, data: Uint8Array | string) => {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    mkdirSync(join(folder, path, ".."), { recursive: true });
    writeFileSync(join(folder, path), bytes);
    files.set(path, bytes);
  };
  put("README.txt", "Burned by discforge's main job: a folder onto a new blank emulated DVD+R, verified.\n");
  put("notes/2026/ideas.md", "# Ideas\n\n- multisession\n- verify everything\n");
  put("notes/Überblick – Zusammenfassung.txt", "Unicode names survive Joliet and Rock Ridge.\n");
  // A few megabytes of deterministic, incompressible-looking data.
  const big = new Uint8Array(6 * 1024 * 1024 + 123);
  let x = 0x12345678;
  for (let i = 0; i < big.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    big[i] = x & 0xff;
  }
  put("photos/large-scan.raw", big);
  for (let i = 0; i < 40; i++) put(`photos/thumbs/thumb-${String(i).padStart(3, "0")}.bin`, big.subarray(i * 4096, i * 4096 + 1000 + i * 37));
  put("empty.dat", new Uint8Array(0));
  return files;
}

function fail(message: string): never {
  process.stderr.write(`main job FAILED: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  mkdirSync(folder, { recursive: true });
  const files = sample();
  const total = [...files.values()].reduce((n, f) => n + f.length, 0);
  process.stdout.write(`Sample folder: ${folder} (${files.size} files, ${(total / 1e6).toFixed(1)} MB)\n`);
  process.stdout.write(`Burning onto a new blank emulated DVD+R: emu:${disc}\n\n`);

  const code = await runCli(["burn", folder, "--drive", `emu:${disc}`, "--media", "dvd+r", "--verify", "full", "--udf"], io);
  if (code !== 0) fail(`discforge burn exited with ${code}`);

  // Independent read-back of the finished disc: every file equals the folder's.
  process.stdout.write("\nReading the disc back with discforge's ISO reader...\n");
  const reader = await IsoReader.open(disc);
  let compared = 0;
  try {
    for (const [path, want] of files) {
      const got = await reader.readFile(`/${path}`);
      if (!Buffer.from(got).equals(Buffer.from(want))) fail(`${path} differs on the disc`);
      compared++;
    }
    let onDisc = 0;
    for await (const [, entry] of reader.walk()) if (entry.type === "file") onDisc++;
    if (onDisc !== files.size) fail(`the disc holds ${onDisc} files, the folder ${files.size}`);
  } finally {
    await reader.close();
  }
  process.stdout.write(`  ${compared} files identical to the source folder\n`);

  const xorriso = spawnSync("xorriso", ["-indev", disc, "-find", "/", "-type", "f"], { encoding: "utf8" });
  if (xorriso.error) process.stdout.write("  xorriso not installed: independent check skipped\n");
  else {
    const listed = xorriso.stdout.split("\n").filter((l) => l.startsWith("'/"));
    if (xorriso.status !== 0 || listed.length !== files.size) fail(`xorriso lists ${listed.length} files (exit ${xorriso.status}): ${xorriso.stderr.slice(-400)}`);
    process.stdout.write(`  xorriso lists the same ${listed.length} files\n`);
  }
  const walk = (dir: string): number => readdirSync(dir).reduce((n, f) => n + (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : 1), 0);
  if (walk(folder) !== files.size) fail("the sample folder changed during the burn");
  process.stdout.write(`\nMain job OK: ${files.size} files burned, verified sector by sector and read back${process.env.DISCFORGE_KEEP_DEMO ? ` (disc image kept: ${disc})` : " (set DISCFORGE_KEEP_DEMO=1 to keep the disc image)"}.\n`);
}

try {
  await main();
} finally {
  if (!process.env.DISCFORGE_KEEP_DEMO) rmSync(work, { recursive: true, force: true });
}
