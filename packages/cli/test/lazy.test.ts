/**
 * Start-up loads only the command table: help, --version, unknown commands, --help and argument
 * errors evaluate no command implementation, and a command loads only the packages it uses.
 * Each heavy package is wrapped so that evaluating it is recorded (the real module is used).
 */
import { describe, it, expect, vi } from "vitest";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli } from "./helpers.js";

const loaded = vi.hoisted(() => new Set<string>());

vi.mock("@discforge/drive", async (original) => (loaded.add("drive"), original()));
vi.mock("@discforge/transport", async (original) => (loaded.add("transport"), original()));
vi.mock("@discforge/transport-linux", async (original) => (loaded.add("transport-linux"), original()));
vi.mock("@discforge/emulator", async (original) => (loaded.add("emulator"), original()));
vi.mock("@discforge/burn", async (original) => (loaded.add("burn"), original()));
vi.mock("@discforge/mmc", async (original) => (loaded.add("mmc"), original()));
vi.mock("@discforge/image", async (original) => (loaded.add("image"), original()));
vi.mock("@discforge/image/udf", async (original) => (loaded.add("image/udf"), original()));

const seen = () => [...loaded].sort();

describe("lazy command loading", () => {
  it("help, --version, unknown commands, --help and usage errors load no command code; each command loads only its own", async () => {
    expect((await cli("help")).stdout).toMatch(/^ {2}mkiso +build an ISO 9660 image/m);
    expect((await cli()).code).toBe(2);
    expect((await cli("--version")).stdout).toBe("discforge 0.1.0\n");
    const unknown = await cli("frobnicate");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
    for (const name of ["mkiso", "burn", "info", "eject", "verify"]) {
      const r = await cli(name, "--help");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`usage: discforge ${name} `));
    }
    expect((await cli("mkiso", "--boot-bios")).code).toBe(2);
    const bad = await cli("burn", "--no-such-option");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^discforge burn: .*--no-such-option.*\nusage: discforge burn /s);
    expect(seen()).toEqual([]);

    // The wrapping does see loads: sense needs mmc and nothing of the drive stack.
    const sense = await cli("sense", "2", "3A", "02");
    expect(sense.code).toBe(0);
    expect(seen()).toEqual(["mmc"]);

    // mkiso builds an image without the drive, transport or burn code.
    const dir = mkdtempSync(join(tmpdir(), "discforge-lazy-"));
    mkdirSync(join(dir, "tree"));
    writeFileSync(join(dir, "tree", "a.txt"), "lazy\n");
    const iso = join(dir, "out.iso");
    const made = await cli("mkiso", "--quiet", "--date", "2020-01-01T00:00:00Z", join(dir, "tree"), "-o", iso);
    expect(made.code, made.stderr).toBe(0);
    expect(readFileSync(iso).subarray(16 * 2048 + 1, 16 * 2048 + 6).toString("latin1")).toBe("CD001");
    expect(seen()).not.toContain("drive");
    expect(seen()).not.toContain("transport");
    expect(seen()).not.toContain("burn");
    expect(seen()).toContain("image");

    // A device error is classified after loading the classes it is tested against: exit code 3.
    const r = await cli("info", "--drive", "/dev/null", "--json");
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { name: expect.any(String), code: expect.any(String) } });
    expect(seen()).toEqual(expect.arrayContaining(["drive", "transport"]));
  });
});
