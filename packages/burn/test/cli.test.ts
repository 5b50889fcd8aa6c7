/**
 * The burn, erase and verify commands of the command line, run in-process against emulated
 * drives backed by virtual disc files (the real user path: `discforge burn ... --drive emu:FILE`).
 */
import { describe, expect, it } from "vitest";
import { Writable } from "node:stream";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../cli/src/run.js";
import { pattern } from "./helpers.js";

function capture() {
  let out = "";
  let err = "";
  const stdout = new Writable({ write: (c, _e, cb) => ((out += String(c)), cb()) });
  const stderr = new Writable({ write: (c, _e, cb) => ((err += String(c)), cb()) });
  return { io: { stdout, stderr, env: { DISCFORGE_EMU_THROTTLE: "0" } }, out: () => out, err: () => err };
}

async function cli(args: string[]) {
  const c = capture();
  const code = await runCli(args, c.io);
  return { code, out: c.out(), err: c.err() };
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), "burn-cli-"));
}

describe("discforge burn / erase / verify", () => {
  it("burns an image file with full verify, prints plain progress lines and the report; verify agrees", async () => {
    const dir = tmp();
    try {
      const iso = join(dir, "in.iso");
      writeFileSync(iso, pattern(1000));
      const r = await cli(["burn", "--image", iso, "--drive", `emu:${join(dir, "d.img")}`, "--media", "dvd-r", "--verify", "full", "--speed", "4", "--buffer", "4M"]);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(/Burn complete: DVD-R .*1000 sectors/);
      expect(r.out).toMatch(/verification {2}full: 1000 sectors read back, all equal/);
      expect(r.out).toMatch(/speed {9}4x/);
      expect(r.err).toMatch(/^validating media$/m);
      expect(r.err).toMatch(/^writing 100%/m);
      expect(readFileSync(join(dir, "d.img")).subarray(0, 1000 * 2048).equals(readFileSync(iso))).toBe(true);
      const v = await cli(["verify", "--drive", `emu:${join(dir, "d.img")}`, iso]);
      expect(v.code, v.err).toBe(0);
      expect(v.out).toMatch(/matches .*1000 sectors/);
      writeFileSync(iso, pattern(1000, 2));
      const bad = await cli(["verify", "--drive", `emu:${join(dir, "d.img")}`, iso, "--json"]);
      expect(bad.code).toBe(1);
      expect(JSON.parse(bad.out)).toMatchObject({ passed: false, sectorsChecked: 1000 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("--simulate on CD-RW leaves the disc blank; on DVD+R it is refused before writing with exit 1", async () => {
    const dir = tmp();
    try {
      const iso = join(dir, "in.iso");
      writeFileSync(iso, pattern(64));
      const sim = await cli(["burn", "--image", iso, "--drive", `emu:${join(dir, "cd.img")}`, "--media", "cd-rw", "--simulate", "--json"]);
      expect(sim.code, sim.err).toBe(0);
      expect(JSON.parse(sim.out)).toMatchObject({ simulated: true, discState: { status: "blank" } });
      const refused = await cli(["burn", "--image", iso, "--drive", `emu:${join(dir, "plus.img")}`, "--media", "dvd+r", "--simulate"]);
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/cannot simulate/);
      expect(refused.err).toMatch(/E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("burns a folder, appends with --multisession, closes with --close, then refuses the closed disc", async () => {
    const dir = tmp();
    try {
      const src = join(dir, "src");
      mkdirSync(join(src, "sub"), { recursive: true });
      writeFileSync(join(src, "a.txt"), "a");
      writeFileSync(join(src, "sub", "b.txt"), "b");
      const drive = `emu:${join(dir, "bd.img")}`;
      const first = await cli(["burn", src, "--drive", drive, "--media", "bd-r", "--json"]);
      expect(first.code, first.err).toBe(0);
      writeFileSync(join(src, "c.txt"), "c");
      const second = await cli(["burn", src, "--drive", drive, "--multisession", "--close", "--json"]);
      expect(second.code, second.err).toBe(0);
      const result = JSON.parse(second.out) as { startLba: number; discState: { status: string } };
      expect(result.startLba).toBeGreaterThan(0);
      expect(result.discState.status).toBe("complete");
      const third = await cli(["burn", src, "--drive", drive]);
      expect(third.code).toBe(1);
      expect(third.err).toMatch(/closed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("an appendable disc without --multisession is refused with advice, nothing written", async () => {
    const dir = tmp();
    try {
      const iso = join(dir, "in.iso");
      writeFileSync(iso, pattern(32));
      const drive = `emu:${join(dir, "d.img")}`;
      expect((await cli(["burn", "--image", iso, "--drive", drive, "--media", "dvd+r"])).code).toBe(0);
      const again = await cli(["burn", "--image", iso, "--drive", drive]);
      expect(again.code).toBe(2);
      expect(again.err).toMatch(/next writable address \d+.*--multisession/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("erase: quick on CD-RW after a burn; write-once media refused", async () => {
    const dir = tmp();
    try {
      const iso = join(dir, "in.iso");
      writeFileSync(iso, pattern(32));
      const drive = `emu:${join(dir, "rw.img")}`;
      expect((await cli(["burn", "--image", iso, "--drive", drive, "--media", "cd-rw"])).code).toBe(0);
      const e = await cli(["erase", "--drive", drive]);
      expect(e.code, e.err).toBe(0);
      expect(e.out).toMatch(/Erased CD-RW \(blank-minimal\).*blank/);
      const r = await cli(["erase", "--drive", `emu:${join(dir, "r.img")}`, "--media", "cd-r"]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/cannot be erased/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("usage errors: no source, both sources, bad --verify, bad --buffer", async () => {
    expect((await cli(["burn", "--drive", "emu:/nonexistent/x.img"])).code).toBe(2);
    expect((await cli(["burn", "--image", "a.iso", "x", "--drive", "emu:/nonexistent/x.img"])).code).toBe(2);
    expect((await cli(["burn", "--image", "a.iso", "--verify", "sometimes", "--drive", "emu:/x"])).code).toBe(2);
    expect((await cli(["burn", "--image", "a.iso", "--buffer", "lots", "--drive", "emu:/x"])).code).toBe(2);
  });
});

describe("progress display", () => {
  it("a terminal gets one live line per phase (carriage returns), a pipe gets plain lines", async () => {
    const { progressPrinter } = await import("../../cli/src/commands/burn.js");
    const events = [
      { type: "phase", phase: "writing", elapsedMs: 0 },
      { type: "progress", phase: "writing", elapsedMs: 100, lba: 100, sectorsDone: 50, sectorsTotal: 100, ringFill: 0.5, driveBufferFill: 0.75, speedX: 8, bytesPerSecond: 11e6, remainingMs: 1000, bufeEngagements: 2 },
      { type: "progress", phase: "writing", elapsedMs: 200, lba: 200, sectorsDone: 100, sectorsTotal: 100 },
      { type: "warning", code: "x", message: "careful" },
    ] as const;
    const tty = capture();
    (tty.io.stderr as unknown as { isTTY: boolean }).isTTY = true;
    const p1 = progressPrinter(tty.io, false);
    for (const e of events) p1(e);
    expect(tty.err()).toContain("\r\u001b[Kwriting 50%  50/100 sectors  8.0x  11.0 MB/s  ETA 1.0s  ring 50%  drive buffer 75%  BUFE links 2");
    expect(tty.err()).toMatch(/warning: careful/);
    const pipe = capture();
    const p2 = progressPrinter(pipe.io, false);
    for (const e of events) p2(e);
    expect(pipe.err()).not.toMatch(/\r/);
    expect(pipe.err().split("\n").filter((l) => l.startsWith("writing "))).toHaveLength(2);
    const json = capture();
    const p3 = progressPrinter(json.io, true);
    for (const e of events) p3(e);
    expect(json.err()).toBe("");
  });
});
