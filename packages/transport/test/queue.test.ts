import { describe, it, expect } from "vitest";
import { InvalidArgumentError } from "@discforge/errors";
import { CommandQueue, validateCommand, statusName, type ScsiCommand, type ScsiResult } from "../src/index.js";

const tur: ScsiCommand = { cdb: new Uint8Array(6), direction: "none", timeoutMs: 1000 };
const good = (tag: number): ScsiResult => ({ kind: "good", data: new Uint8Array([tag]), residual: 0, durationMs: 0 });

describe("CommandQueue", () => {
  it("runs commands strictly one at a time in call order", async () => {
    const q = new CommandQueue();
    const log: string[] = [];
    let inFlight = 0;
    const send = (tag: number, ms: number) => async () => {
      inFlight++;
      expect(inFlight).toBe(1);
      log.push(`start ${tag}`);
      await new Promise((r) => setTimeout(r, ms));
      log.push(`end ${tag}`);
      inFlight--;
      return good(tag);
    };
    const rs = await Promise.all([q.run(tur, send(1, 20)), q.run(tur, send(2, 1)), q.run(tur, send(3, 5))]);
    expect(log).toEqual(["start 1", "end 1", "start 2", "end 2", "start 3", "end 3"]);
    expect(rs.map((r) => (r.kind === "good" ? r.data[0] : -1))).toEqual([1, 2, 3]);
  });

  it("answers aborted without sending when the signal fired before the turn", async () => {
    const q = new CommandQueue();
    let sent = 0;
    const r = await q.run({ ...tur, signal: AbortSignal.abort() }, async () => {
      sent++;
      return good(0);
    });
    expect(r).toMatchObject({ kind: "transport-error", reason: "aborted" });
    expect(sent).toBe(0);
  });

  it("resolves a queued command at once when its signal fires, and never sends it", async () => {
    const q = new CommandQueue();
    let release!: () => void;
    const first = q.run(tur, () => new Promise<ScsiResult>((res) => (release = () => res(good(1)))));
    const ac = new AbortController();
    let sent = false;
    const second = q.run({ ...tur, signal: ac.signal }, async () => {
      sent = true;
      return good(2);
    });
    ac.abort();
    expect(await second).toMatchObject({ kind: "transport-error", reason: "aborted" });
    release();
    expect(await first).toMatchObject({ kind: "good" });
    await q.run(tur, async () => good(3));
    expect(sent).toBe(false);
  });

  it("answers closed after close", async () => {
    const q = new CommandQueue();
    q.close();
    expect(await q.run(tur, async () => good(1))).toMatchObject({ kind: "transport-error", reason: "closed" });
  });
});

describe("validateCommand", () => {
  it("accepts well-formed requests", () => {
    expect(() => validateCommand(tur, 65536)).not.toThrow();
    expect(() => validateCommand({ cdb: new Uint8Array(10), direction: "in", dataInLength: 8, timeoutMs: 1 }, 65536)).not.toThrow();
    expect(() => validateCommand({ cdb: new Uint8Array(16), direction: "out", dataOut: new Uint8Array(2048), timeoutMs: 1 }, 65536)).not.toThrow();
  });
  it.each([
    ["short CDB", { cdb: new Uint8Array(5), direction: "none", timeoutMs: 1 }],
    ["long CDB", { cdb: new Uint8Array(17), direction: "none", timeoutMs: 1 }],
    ["in without length", { cdb: new Uint8Array(6), direction: "in", timeoutMs: 1 }],
    ["out without data", { cdb: new Uint8Array(6), direction: "out", timeoutMs: 1 }],
    ["none with data", { cdb: new Uint8Array(6), direction: "none", dataOut: new Uint8Array(1), timeoutMs: 1 }],
    ["too large", { cdb: new Uint8Array(10), direction: "in", dataInLength: 65537, timeoutMs: 1 }],
    ["zero timeout", { cdb: new Uint8Array(6), direction: "none", timeoutMs: 0 }],
  ] as const)("refuses %s", (_name, cmd) => {
    expect(() => validateCommand(cmd as ScsiCommand, 65536)).toThrow(InvalidArgumentError);
  });
});

describe("statusName", () => {
  it("names SAM status bytes", () => {
    expect(statusName(0x08)).toBe("busy");
    expect(statusName(0x18)).toBe("reservation-conflict");
    expect(statusName(0x28)).toBe("task-set-full");
    expect(statusName(0x77)).toBe("unknown");
  });
});
