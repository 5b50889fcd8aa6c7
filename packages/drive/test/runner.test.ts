import { describe, it, expect } from "vitest";
import { CancelledError } from "@discforge/errors";
import { OsError, ScsiStatusError, TransportError, type ScsiCommand, type ScsiResult, type ScsiTransport } from "@discforge/transport";
import { ScsiCheckConditionError, buildTestUnitReady, buildInquiry, encodeFixedSense } from "@discforge/mmc";
import { CommandRunner, formatTraceEntry, type RunnerClock, type TraceEntry } from "../src/index.js";

/** A transport that answers from a script and records what it was sent. */
class ScriptedTransport implements ScsiTransport {
  readonly description = "scripted";
  readonly maxTransferBytes = 65536;
  readonly sent: ScsiCommand[] = [];
  constructor(private readonly script: ScsiResult[]) {}
  async execute(command: ScsiCommand): Promise<ScsiResult> {
    this.sent.push(command);
    const next = this.script.shift();
    if (!next) throw new Error("script exhausted");
    return next;
  }
  async close(): Promise<void> {}
}

const good = (data: number[] = []): ScsiResult => ({ kind: "good", data: new Uint8Array(data), residual: 0, durationMs: 1 });
const check = (key: number, asc: number, ascq: number): ScsiResult => ({
  kind: "check-condition",
  sense: encodeFixedSense({ key, asc, ascq }),
  data: new Uint8Array(0),
  residual: 0,
  durationMs: 1,
});

function fakeClock(): RunnerClock & { slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
  };
}

describe("CommandRunner", () => {
  it("returns data of a good command and uses the request's timeout class", async () => {
    const t = new ScriptedTransport([good([1, 2, 3])]);
    const r = await new CommandRunner(t).run(buildInquiry({ allocationLength: 36 }));
    expect([...r.data]).toEqual([1, 2, 3]);
    expect(t.sent[0]).toMatchObject({ direction: "in", dataInLength: 36, timeoutMs: 10_000 });
  });

  it("waits and retries while the drive is becoming ready (04/01), then succeeds", async () => {
    const clock = fakeClock();
    const t = new ScriptedTransport([check(2, 0x04, 0x01), check(2, 0x04, 0x01), good()]);
    const r = await new CommandRunner(t, { clock }).run(buildTestUnitReady());
    expect(r.attempts).toBe(3);
    expect(clock.slept).toEqual([1000, 1000]);
  });

  it("gives up on becoming-ready when the retry budget is spent, with the IMAPI code", async () => {
    const clock = fakeClock();
    const t = new ScriptedTransport(Array.from({ length: 10 }, () => check(2, 0x04, 0x01)));
    const err = await new CommandRunner(t, { clock, retryBudgetMs: 2500 }).run(buildTestUnitReady()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScsiCheckConditionError);
    expect((err as ScsiCheckConditionError).imapi?.name).toBe("E_IMAPI_RECORDER_MEDIA_BECOMING_READY");
    expect(t.sent.length).toBe(3); // 0 s, 1 s, 2 s; the next wait would pass 2.5 s
  });

  it("re-reads media state after a unit attention and retries without waiting", async () => {
    const clock = fakeClock();
    const changes: string[] = [];
    const t = new ScriptedTransport([check(6, 0x28, 0x00), good([9])]);
    const r = await new CommandRunner(t, { clock, onStateChanged: (c) => changes.push(c) }).run(buildTestUnitReady());
    expect(changes).toEqual(["medium-changed"]);
    expect(r.attempts).toBe(2);
    expect(clock.slept).toEqual([]);
  });

  it("fails at once on medium not present, naming tray open and the IMAPI code", async () => {
    const t = new ScriptedTransport([check(2, 0x3a, 0x02)]);
    const err = (await new CommandRunner(t).run(buildTestUnitReady()).catch((e: unknown) => e)) as ScsiCheckConditionError;
    expect(err).toBeInstanceOf(ScsiCheckConditionError);
    expect(err.category).toBe("medium-absent");
    expect(err.imapi?.hresult).toBe(0xc0aa0202);
    expect(err.message).toMatch(/TRAY OPEN/);
    expect(t.sent.length).toBe(1);
  });

  it("treats a recovered error as success and hands the sense back", async () => {
    const recovered = check(1, 0x17, 0x01) as Extract<ScsiResult, { kind: "check-condition" }>;
    const t = new ScriptedTransport([{ ...recovered, data: new Uint8Array([7]) }]);
    const r = await new CommandRunner(t).run(buildTestUnitReady());
    expect(r.sense?.asc).toBe(0x17);
  });

  it("returns check conditions to callers that accept them", async () => {
    const t = new ScriptedTransport([check(5, 0x20, 0x00)]);
    const r = await new CommandRunner(t).run(buildTestUnitReady(), { acceptCheckCondition: true });
    expect(r.sense).toMatchObject({ senseKey: 5, asc: 0x20, ascq: 0 });
  });

  it("retries BUSY within the budget and reports RESERVATION CONFLICT as the recorder being locked", async () => {
    const clock = fakeClock();
    const t = new ScriptedTransport([
      { kind: "status", status: "busy", statusByte: 8, durationMs: 0 },
      good(),
      { kind: "status", status: "reservation-conflict", statusByte: 0x18, durationMs: 0 },
    ]);
    const runner = new CommandRunner(t, { clock });
    await runner.run(buildTestUnitReady());
    const err = await runner.run(buildTestUnitReady()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScsiStatusError);
    expect((err as ScsiStatusError).imapi?.name).toBe("E_IMAPI_RECORDER_LOCKED");
  });

  it("maps transport and OS failures to typed errors with IMAPI codes", async () => {
    const t = new ScriptedTransport([
      { kind: "transport-error", reason: "timeout", detail: "no answer", durationMs: 5 },
      { kind: "transport-error", reason: "aborted", detail: "x", durationMs: 0 },
      { kind: "os-error", osKind: "disconnected", tag: "ENODEV", osCode: 19, syscall: "ioctl", message: "No such device", durationMs: 0 },
    ]);
    const runner = new CommandRunner(t);
    const timeout = await runner.run(buildTestUnitReady()).catch((e: unknown) => e);
    expect(timeout).toBeInstanceOf(TransportError);
    expect((timeout as TransportError).imapi?.name).toBe("E_IMAPI_RECORDER_COMMAND_TIMEOUT");
    await expect(runner.run(buildTestUnitReady())).rejects.toBeInstanceOf(CancelledError);
    const os = await runner.run(buildTestUnitReady()).catch((e: unknown) => e);
    expect(os).toBeInstanceOf(OsError);
    expect((os as OsError).tag).toBe("ENODEV");
  });

  it("does not send when the signal has already fired", async () => {
    const t = new ScriptedTransport([good()]);
    await expect(new CommandRunner(t).run(buildTestUnitReady(), { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(CancelledError);
    expect(t.sent.length).toBe(0);
  });

  it("traces every attempt with CDB, outcome and sense", async () => {
    const entries: TraceEntry[] = [];
    const t = new ScriptedTransport([check(6, 0x29, 0x00), good([1, 2])]);
    await new CommandRunner(t, { trace: (e) => entries.push(e), clock: fakeClock() }).run(buildInquiry({ allocationLength: 2 }));
    expect(entries.map((e) => [e.command, e.outcome, e.detail, e.attempt])).toEqual([
      ["INQUIRY", "check-condition", "6 29/00", 1],
      ["INQUIRY", "good", "2 byte(s)", 2],
    ]);
    expect(entries[0]!.cdb).toBe("12 00 00 00 02 00");
    expect(formatTraceEntry(entries[1]!)).toMatch(/^#2 INQUIRY \[12 00 00 00 02 00\] in 2 -> good 2 byte\(s\)/);
  });
});
