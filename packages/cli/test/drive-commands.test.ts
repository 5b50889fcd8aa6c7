import { describe, it, expect, beforeEach } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultDiscMaster } from "@discforge/drive";
import { cli } from "./helpers.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "discforge-cli-"));
});

describe("discforge drives", () => {
  it("lists exactly what DiscMaster finds and says so plainly when there is nothing", async () => {
    const { drives } = await defaultDiscMaster().enumerate();
    const r = await cli("drives");
    expect(r.code).toBe(0);
    if (drives.length === 0) {
      expect(r.stdout).toMatch(/^No optical drives found on this machine\./);
      expect(r.stdout).toMatch(/emu:<file>/);
    } else {
      for (const d of drives) expect(r.stdout).toContain(d.path);
    }
    const j = JSON.parse((await cli("drives", "--json")).stdout) as { ok: boolean; drives: unknown[] };
    expect(j.ok).toBe(true);
    expect(j.drives).toEqual(JSON.parse(JSON.stringify(drives)));
  });
});

describe("discforge info", () => {
  it("reports a new blank DVD+R in human form", async () => {
    const r = await cli("info", "--drive", `emu:${join(dir, "a.img")}`, "--media", "dvd+r");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\* 001Bh {2}DVD\+R\n/);
    expect(r.stdout).toMatch(/status +blank/);
    expect(r.stdout).toMatch(/capacity +2295104 blocks \(4\.38 GiB\)/);
    expect(r.stdout).toMatch(/track 1: start 0, size 2295104, data \(mode 1\), invisible, next writable 0/);
  });

  it("reports JSON that agrees with the medium", async () => {
    const r = await cli("info", "--drive", `emu:${join(dir, "b.img")}`, "--media", "bd-r", "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { ok: boolean; identity: { isMmc: boolean }; media: { profile: number; status: string; freeBlocks: number } };
    expect(j.ok).toBe(true);
    expect(j.identity.isMmc).toBe(true);
    expect(j.media).toMatchObject({ profile: 0x41, status: "blank", freeBlocks: 12_219_392 });
  });

  it("prints each command with --trace", async () => {
    const r = await cli("info", "--drive", `emu:${join(dir, "c.img")}`, "--media", "cd-r", "--trace");
    expect(r.stderr).toMatch(/trace: #1 INQUIRY \[12 00 00 00 60 00\] in 96 -> /);
    expect(r.stderr).toMatch(/READ TRACK INFORMATION \[52 01 00 00 00 01 00 00 30 00\]/);
  });

  it("refuses a device that is not an optical drive with a clear message and no stack trace", async () => {
    const r = await cli("info", "--drive", "/dev/null");
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^discforge info: \/dev\/null: .*not a SCSI device/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("asks for --media when the virtual disc does not exist yet", async () => {
    const r = await cli("info", "--drive", `emu:${join(dir, "new.img")}`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--media/);
  });

  it("asks for --drive when none is named", async () => {
    const r = await cli("info");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--drive: name the drive/);
  });

  it("refuses emulator options for real drives", async () => {
    const r = await cli("info", "--drive", "/dev/sr0", "--media", "cd-r");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--media: applies to emulated drives/);
  });
});

describe("discforge raw", () => {
  it("sends a read command and dumps the data", async () => {
    const r = await cli("raw", "--drive", `emu:${join(dir, "d.img")}`, "--media", "cd-rw", "12 00 00 00 24 00", "--in", "36");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^INQUIRY: good/);
    expect(r.stdout).toMatch(/00000000 {2}05 80/);
  });

  it("refuses write-class commands without --allow-write, and sends them with it", async () => {
    const img = `emu:${join(dir, "e.img")}`;
    const refused = await cli("raw", "--drive", img, "--media", "cd-rw", "a1 01 00 00 00 00 00 00 00 00 00 00");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/BLANK .*--allow-write/);
    // A fresh drive answers its first command with the power-on unit attention; raw shows it as is.
    const sent = await cli("raw", "--drive", img, "--media", "cd-rw", "--allow-write", "a1 11 00 00 00 00 00 00 00 00 00 00");
    expect(sent.stdout).toMatch(/^BLANK: check-condition/);
    expect(sent.stdout).toMatch(/POWER ON, RESET/);
  });

  it("decodes the sense of a refused command", async () => {
    const r = await cli("raw", "--drive", `emu:${join(dir, "f.img")}`, "--media", "dvd+r", "--allow-write", "ff 00 00 00 00 00");
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/check-condition/);
    expect(r.stdout).toMatch(/INVALID COMMAND OPERATION CODE/);
    expect(r.stdout).toMatch(/category +invalid-opcode/);
  });
});

describe("discforge sense", () => {
  it("explains a sense code with the IMAPI result", async () => {
    const r = await cli("sense", "2", "3A", "02");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/MEDIUM NOT PRESENT - TRAY OPEN/);
    expect(r.stdout).toMatch(/E_IMAPI_RECORDER_MEDIA_NO_MEDIA 0xC0AA0202/);
    const loss = JSON.parse((await cli("sense", "3", "0c", "09", "--json")).stdout) as { category: string; imapi: { name: string } };
    expect(loss).toMatchObject({ category: "loss-of-streaming", imapi: { name: "E_IMAPI_LOSS_OF_STREAMING" } });
  });
  it("rejects malformed codes as usage errors", async () => {
    expect((await cli("sense", "2", "zz", "0")).code).toBe(2);
    expect((await cli("sense", "10", "0", "0")).code).toBe(2);
  });
});

describe("discforge eject/load/lock/unlock", () => {
  it("runs each tray command on the emulated drive", async () => {
    const img = `emu:${join(dir, "g.img")}`;
    for (const cmd of ["lock", "unlock", "eject", "load"]) {
      const r = await cli(cmd, "--drive", img, ...(cmd === "lock" ? ["--media", "cd-r"] : []));
      expect(r.code, r.stderr).toBe(0);
    }
  });
});
