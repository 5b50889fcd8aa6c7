/**
 * Windows keep-awake with an injected SetThreadExecutionState (this runs on Linux; the koffi
 * binding itself is not exercised here). The flag values are the ones Microsoft documents for
 * SetThreadExecutionState: ES_SYSTEM_REQUIRED 0x00000001, ES_AWAYMODE_REQUIRED 0x00000040,
 * ES_CONTINUOUS 0x80000000.
 */
import { describe, expect, it } from "vitest";
import type { TraceEntry } from "@discforge/drive";
import { DataWriter, ES_AWAYMODE_REQUIRED, ES_CONTINUOUS, ES_SYSTEM_REQUIRED, bytesSource, keepAwake, koffiExecutionStateApi, type ExecutionStateApi } from "../src/index.js";
import { pattern, rig } from "./helpers.js";

/** Records every call; answers `answers` in turn (a non-zero previous state means success). */
function fakeApi(answers: number[] = []): ExecutionStateApi & { calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    setThreadExecutionState(flags) {
      calls.push(flags);
      return answers.length ? answers.shift()! : ES_CONTINUOUS;
    },
  };
}

describe("keep awake on Windows (SetThreadExecutionState, injected)", () => {
  it("uses Microsoft's documented flag values", () => {
    expect(ES_SYSTEM_REQUIRED).toBe(0x00000001);
    expect(ES_AWAYMODE_REQUIRED).toBe(0x00000040);
    expect(ES_CONTINUOUS).toBe(0x80000000);
  });

  it("sets ES_CONTINUOUS | ES_SYSTEM_REQUIRED | ES_AWAYMODE_REQUIRED (0x80000041) and clears with ES_CONTINUOUS (0x80000000) once", async () => {
    const api = fakeApi();
    const h = await keepAwake("test", { platform: "win32", executionState: api });
    expect(h).toMatchObject({ active: true, method: "SetThreadExecutionState" });
    expect(api.calls).toEqual([0x80000041]);
    h.release();
    h.release();
    expect(api.calls).toEqual([0x80000041, 0x80000000]);
    // Unsigned 32-bit values, as EXECUTION_STATE (a DWORD) is: never a negative int32.
    expect(api.calls.every((f) => f >= 0 && f <= 0xffffffff)).toBe(true);
  });

  it("where away mode is refused (NULL), the system-required state alone; where that fails too, not active and why", async () => {
    const partly = fakeApi([0, 0x80000000]);
    const h = await keepAwake("test", { platform: "win32", executionState: partly });
    expect(h.active).toBe(true);
    expect(partly.calls).toEqual([0x80000041, 0x80000001]);
    h.release();
    expect(partly.calls.at(-1)).toBe(0x80000000);

    const refused = fakeApi([0, 0]);
    const n = await keepAwake("test", { platform: "win32", executionState: refused });
    expect(n.active).toBe(false);
    expect(n.reason).toMatch(/SetThreadExecutionState failed/);
    n.release();
    expect(refused.calls).toEqual([0x80000041, 0x80000001]);
  });

  it("burns on two drives at once share the state: it is cleared when the last one ends", async () => {
    const api = fakeApi();
    const first = await keepAwake("drive 1", { platform: "win32", executionState: api });
    const second = await keepAwake("drive 2", { platform: "win32", executionState: api });
    expect([first.active, second.active]).toEqual([true, true]);
    expect(api.calls).toEqual([0x80000041]);
    first.release();
    first.release();
    expect(api.calls, "still held for the second burn").toEqual([0x80000041]);
    second.release();
    expect(api.calls).toEqual([0x80000041, 0x80000000]);
    // And held again from scratch by the next burn.
    const third = await keepAwake("drive 1 again", { platform: "win32", executionState: api });
    third.release();
    expect(api.calls).toEqual([0x80000041, 0x80000000, 0x80000041, 0x80000000]);
  });

  it("without an injected binding off Windows: not active, with the reason", async () => {
    expect(() => koffiExecutionStateApi()).toThrow(/Windows only/);
    const h = await keepAwake("test", { platform: "win32" });
    expect(h.active).toBe(false);
    expect(h.reason).toMatch(/could not be loaded .*Windows only/);
  });

  it("a burn holds the state from before the first WRITE until it ends, and releases it when the burn fails too", async () => {
    const r = rig("bd-r");
    const api = fakeApi();
    const order: string[] = [];
    const spy: ExecutionStateApi = { setThreadExecutionState: (f) => (order.push(`state ${f.toString(16)}`), api.setThreadExecutionState(f)) };
    r.recorder.runner.addTraceSink((e: TraceEntry) => order.push(e.command));
    const result = await new DataWriter(r.recorder).write(bytesSource(pattern(64)), { keepAwake: true, keepAwakeWith: { platform: "win32", executionState: spy }, verify: "none" });
    expect(result.warnings.some((w) => /awake/.test(w))).toBe(false);
    expect(api.calls).toEqual([0x80000041, 0x80000000]);
    const firstWrite = order.findIndex((c) => /^WRITE/.test(c));
    expect(order.indexOf("state 80000041")).toBeLessThan(firstWrite);
    expect(order.indexOf("state 80000000")).toBeGreaterThan(order.findLastIndex((c) => /^WRITE|^SYNCHRONIZE|^CLOSE/.test(c)));

    // A burn cancelled mid-write releases the state too.
    const r2 = rig("bd-r");
    const again = fakeApi();
    const abort = new AbortController();
    r2.recorder.runner.addTraceSink((e: TraceEntry) => {
      if (/^WRITE/.test(e.command)) abort.abort();
    });
    await expect(new DataWriter(r2.recorder).write(bytesSource(pattern(4096)), { keepAwake: true, keepAwakeWith: { platform: "win32", executionState: again }, verify: "none", writeBlocks: 32, signal: abort.signal })).rejects.toThrow(/cancelled/);
    expect(again.calls).toEqual([0x80000041, 0x80000000]);
  });
});
