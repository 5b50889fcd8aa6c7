/**
 * Every IMAPI error of IDiscFormat2Data::Write provoked by a fault plan (or the situation that
 * causes it) at preflight, mid-write and at close where meaningful. The burn must end in a
 * BurnError carrying that code, never in success, and its description of the disc must match
 * what the emulated disc really holds.
 */
import { describe, expect, it } from "vitest";
import { Recorder } from "@discforge/drive";
import { PERSONALITIES, VirtualDisc, type BlankMediaId, type EmulatedDrive, type FaultPlan, type Personality } from "@discforge/emulator";
import type { ScsiCommand, ScsiResult, ScsiTransport } from "@discforge/transport";
import { BurnCancelledError, BurnError, DataWriter, bytesSource, describeDisc, type WriteOptions } from "../src/index.js";
import { pattern, rig, type Rig } from "./helpers.js";

const STATUS_NAME = { blank: "blank", incomplete: "appendable", complete: "complete", other: "other" } as const;

/** The disc state the error reports must be the emulated disc's real one. */
function expectTruthful(e: BurnError | BurnCancelledError, r: Rig, driveUnready = false): void {
  const s = e.detail.discState;
  expect(s.known, JSON.stringify(s)).toBe(true);
  if (!("presence" in s)) return;
  if (driveUnready) {
    // The drive keeps refusing TEST UNIT READY: all that can truthfully be said is that.
    expect(["not-ready", "unreadable"]).toContain(s.presence);
    expect(s.summary).toMatch(/not usable/);
    return;
  }
  if (!r.drive.disc || r.drive.trayOpen) {
    expect(s.presence).not.toBe("present");
    return;
  }
  expect(s.status).toBe(STATUS_NAME[r.disc.model.discStatus()]);
  if (r.disc.model.sequential) {
    const real = r.disc.state.tracks.filter((t) => t.closed).map((t) => ({ number: t.number, start: t.start, size: t.size }));
    const told = s.tracks.filter((t) => t.state === "complete").map((t) => ({ number: t.number, start: t.start, size: t.size }));
    expect(told).toEqual(real);
    const damaged = r.disc.state.tracks.some((t) => t.damaged);
    expect(s.tracks.some((t) => t.state === "damaged")).toBe(damaged);
  }
}

async function failure(p: Promise<unknown>): Promise<BurnError | BurnCancelledError> {
  const e = await p.then(
    (ok) => ({ unexpectedSuccess: ok }),
    (x: unknown) => x,
  );
  expect(e instanceof BurnError || e instanceof BurnCancelledError, String((e as Error)?.message ?? JSON.stringify(e))).toBe(true);
  return e as BurnError;
}

function writes(r: Rig): number {
  return r.drive.trace.all.filter((t) => t.opcode === 0x2a || t.opcode === 0xaa).length;
}

type When = "preflight" | "mid-write" | "close";
interface Case {
  readonly imapi: string;
  readonly when: When;
  readonly media?: BlankMediaId;
  readonly faults?: FaultPlan;
  readonly setup?: (r: Rig) => void | Promise<void>;
  readonly options?: WriteOptions;
  readonly bytes?: Uint8Array;
  /** The fault keeps the drive not ready: the state cannot be read back. */
  readonly driveUnready?: boolean;
}

const WRITE = 0x2a;
const SYNC = 0x35;
const CLOSE = 0x5b;
const at = (lba: number, action: FaultPlan["faults"][number]["action"], sticky = false): FaultPlan => ({ faults: [{ when: { lba }, opcode: WRITE, action, sticky }] });
const onFirst = (opcode: number, action: FaultPlan["faults"][number]["action"], sticky = false): FaultPlan => ({ faults: [{ when: { command: 1 }, opcode, action, sticky }] });

const CASES: Record<string, Case> = {
  "no media (preflight)": { imapi: "E_IMAPI_RECORDER_MEDIA_NO_MEDIA", when: "preflight", setup: (r) => void (r.drive.remove(), r.drive.closeTray()) },
  "no media (mid-write)": { imapi: "E_IMAPI_RECORDER_MEDIA_NO_MEDIA", when: "mid-write", faults: at(1024, { removeMedia: true }) },
  "no media (close)": { imapi: "E_IMAPI_RECORDER_MEDIA_NO_MEDIA", when: "close", faults: onFirst(SYNC, { removeMedia: true }) },
  "upside down (preflight)": { imapi: "E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN", when: "preflight", faults: onFirst(0x00, { sense: [2, 0x06, 0x00] }, true) , driveUnready: true },
  "upside down (mid-write)": { imapi: "E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN", when: "mid-write", faults: at(1024, { sense: [2, 0x06, 0x00] }) },
  "becoming ready (preflight)": { imapi: "E_IMAPI_RECORDER_MEDIA_BECOMING_READY", when: "preflight", faults: onFirst(0x00, { notReadyMs: 3_600_000 }) , driveUnready: true },
  "becoming ready (mid-write)": { imapi: "E_IMAPI_RECORDER_MEDIA_BECOMING_READY", when: "mid-write", faults: at(1024, { sense: [2, 0x04, 0x01] }, true) },
  "becoming ready (close)": { imapi: "E_IMAPI_RECORDER_MEDIA_BECOMING_READY", when: "close", faults: onFirst(CLOSE, { sense: [2, 0x04, 0x01] }, true) },
  "format in progress (preflight)": { imapi: "E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS", when: "preflight", faults: onFirst(0x00, { sense: [2, 0x04, 0x04] }, true) , driveUnready: true },
  "format in progress (mid-write)": { imapi: "E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS", when: "mid-write", faults: at(1024, { sense: [2, 0x04, 0x04] }, true) },
  "media busy (mid-write)": { imapi: "E_IMAPI_RECORDER_MEDIA_BUSY", when: "mid-write", faults: at(1024, { sense: [2, 0x04, 0x08] }, true) },
  "media busy (close)": { imapi: "E_IMAPI_RECORDER_MEDIA_BUSY", when: "close", faults: onFirst(CLOSE, { sense: [2, 0x04, 0x07] }, true) },
  "loss of streaming (mid-write)": { imapi: "E_IMAPI_LOSS_OF_STREAMING", when: "mid-write", faults: at(1024, { sense: [3, 0x0c, 0x09] }) },
  "incompatible media (preflight)": { imapi: "E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE", when: "preflight", faults: onFirst(0x00, { sense: [2, 0x30, 0x00] }, true) , driveUnready: true },
  "incompatible media (mid-write)": { imapi: "E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE", when: "mid-write", faults: at(1024, { sense: [5, 0x30, 0x00] }) },
  "incompatible media (close)": { imapi: "E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE", when: "close", faults: onFirst(CLOSE, { sense: [5, 0x30, 0x00] }) },
  "invalid mode parameters (preflight)": { imapi: "E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS", when: "preflight", faults: onFirst(0x55, { sense: [5, 0x26, 0x00] }) },
  "write protected (preflight)": { imapi: "E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED", when: "preflight", setup: (r) => void (r.disc.state.writeProtected = true) },
  "write protected (mid-write)": { imapi: "E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED", when: "mid-write", faults: { faults: [{ when: { lba: 1024 }, opcode: WRITE, action: { writeProtect: true } }, { when: { lba: 1100 }, opcode: WRITE, action: { sense: [7, 0x27, 0x00] } }] } },
  "write protected (close)": { imapi: "E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED", when: "close", faults: onFirst(SYNC, { writeProtect: true }) },
  "speed mismatch (preflight)": { imapi: "E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH", when: "preflight", faults: onFirst(0xb6, { sense: [5, 0x24, 0x00] }), options: { speed: 8 } },
  "command timeout (mid-write)": { imapi: "E_IMAPI_RECORDER_COMMAND_TIMEOUT", when: "mid-write", faults: at(1024, { delayMs: 10_000_000 }) },
  "command timeout (close)": { imapi: "E_IMAPI_RECORDER_COMMAND_TIMEOUT", when: "close", faults: onFirst(CLOSE, { delayMs: 10_000_000 }) },
  "unexpected response (mid-write, hardware error)": { imapi: "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE", when: "mid-write", faults: at(1024, { sense: [4, 0x44, 0x00] }) },
  "unexpected response (close, session fixation error)": { imapi: "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE", when: "close", faults: onFirst(CLOSE, { sense: [3, 0x71, 0x00] }) },
  "stream not supported (preflight)": { imapi: "E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED", when: "preflight", bytes: new Uint8Array(3000) },
  "stream too large (preflight)": { imapi: "E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA", when: "preflight", media: "cd-r", setup: (r) => void (r.disc.state.capacity = 1000) },
  "invalid argument: stream built for another LBA (preflight)": { imapi: "E_INVALIDARG", when: "preflight", setup: () => undefined, options: {} },
};

describe.each(Object.entries(CASES))("%s", (_name, c) => {
  it("ends in the typed error with the disc's true state", async () => {
    const r = rig(c.media ?? "dvd+r", c.faults ? { faults: c.faults } : {});
    await c.setup?.(r);
    const data = c.bytes ?? pattern(2048);
    const source = _name.startsWith("invalid argument") ? bytesSource(data, { startLba: 5000 }) : bytesSource(data);
    const e = await failure(new DataWriter(r.recorder).write(source, { writeBlocks: 64, verify: "quick", ...c.options }));
    expect(e.imapiCode.name).toBe(c.imapi);
    if (c.when === "preflight") {
      expect(e.detail.writeStarted).toBe(false);
      expect(writes(r)).toBe(0);
    } else {
      expect(e.detail.writeStarted).toBe(true);
      expect(writes(r)).toBeGreaterThan(0);
      expect(e.detail.phase).toBe(c.when === "close" ? "finalizing" : "writing");
    }
    expectTruthful(e, r, c.driveUnready);
  });
});

describe("conditions without a fault plan", () => {
  it("E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE: the drive refuses MODE SENSE of page 05h (preflight)", async () => {
    // Find which command reads page 05h in a clean burn, then refuse exactly that one.
    const dry = rig("dvd+r");
    await new DataWriter(dry.recorder).write(bytesSource(pattern(16)));
    const index = dry.drive.trace.all.find((t) => t.opcode === 0x5a && (t.cdb[2]! & 0x3f) === 0x05)!.index;
    const r = rig("dvd+r", { faults: { faults: [{ when: { command: index }, opcode: 0x5a, action: { sense: [5, 0x24, 0x00] } }] } });
    const e = await failure(new DataWriter(r.recorder).write(bytesSource(pattern(16))));
    expect(e.imapiCode.name).toBe("E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE");
    expect(writes(r)).toBe(0);
    expectTruthful(e, r);
  });

  it("E_IMAPI_RECORDER_LOCKED: another client holds the drive", async () => {
    const r = rig("dvd+r");
    const other = new Recorder(r.drive);
    await other.acquireExclusiveAccess("other burner");
    const e = await failure(new DataWriter(r.recorder).write(bytesSource(pattern(16))));
    expect(e.imapiCode.name).toBe("E_IMAPI_RECORDER_LOCKED");
    expect(writes(r)).toBe(0);
    await other.releaseExclusiveAccess();
  });

  it("E_IMAPI_DF2DATA_WRITE_IN_PROGRESS: a second write while one runs", async () => {
    const r = rig("dvd+r");
    const w = new DataWriter(r.recorder);
    const first = w.write(bytesSource(pattern(4096)), { writeBlocks: 32 });
    const e = await failure(w.write(bytesSource(pattern(16))));
    expect(e.imapiCode.name).toBe("E_IMAPI_DF2DATA_WRITE_IN_PROGRESS");
    await expect(first).resolves.toMatchObject({ sectors: 4096 });
  });

  it("E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED: a drive that writes nothing", async () => {
    const reader: Personality = { ...PERSONALITIES["dvd-rw-drive"], id: "reader", writes: [], writeSpeeds: {}, testWrite: false };
    const r = rig("dvd+r", { personality: reader });
    const e = await failure(new DataWriter(r.recorder).write(bytesSource(pattern(16))));
    expect(e.imapiCode.name).toBe("E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED");
  });

  it("E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED: simulate on a drive without Test Write", async () => {
    const r = rig("cd-r", { personality: { ...PERSONALITIES["cd-rw-drive"], id: "no-tw", testWrite: false } });
    const e = await failure(new DataWriter(r.recorder).write(bytesSource(pattern(16)), { simulate: true }));
    expect(e.imapiCode.name).toBe("E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED");
    expect(writes(r)).toBe(0);
  });

  it("E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED: a pressed (ROM) disc", async () => {
    const r = rig("dvd+r", { disc: VirtualDisc.rom("dvd-rom", pattern(16)) });
    const e = await failure(new DataWriter(r.recorder).write(bytesSource(pattern(16))));
    expect(e.imapiCode.name).toBe("E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED");
    expectTruthful(e, r);
  });

  it("E_IMAPI_RECORDER_REQUIRED: no recorder attached", async () => {
    await expect(new DataWriter(undefined as unknown as Recorder).write(bytesSource(pattern(1)))).rejects.toMatchObject({ imapi: { name: "E_IMAPI_RECORDER_REQUIRED" } });
  });

  it("E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE: a malformed READ DISC INFORMATION", async () => {
    const r = rig("dvd+r");
    const broken = wrap(r.drive, (cmd, res) => (cmd.cdb[0] === 0x51 && res.kind === "good" ? { ...res, data: res.data.subarray(0, 5) } : res));
    const e = await failure(new DataWriter(new Recorder(broken, { runner: { clock: r.clock } })).write(bytesSource(pattern(16))));
    expect(e.imapiCode.name).toBe("E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE");
  });

  it("HRESULT_ERROR_DEV_NOT_EXIST: the drive disappears mid-write", async () => {
    const r = rig("dvd+r");
    let gone = false;
    const unplugged = wrap(r.drive, (cmd, res) => {
      if (cmd.cdb[0] === WRITE && new DataView(cmd.cdb.buffer, cmd.cdb.byteOffset).getUint32(2) >= 1024) gone = true;
      return gone ? { kind: "transport-error", reason: "disconnected", detail: "device removed", durationMs: 0 } : res;
    });
    const e = await failure(new DataWriter(new Recorder(unplugged, { runner: { clock: r.clock } })).write(bytesSource(pattern(2048)), { writeBlocks: 64 }));
    expect(e.imapiCode.name).toBe("HRESULT_ERROR_DEV_NOT_EXIST");
    expect(e.detail.discState.known).toBe(false);
    expect(e.message).toMatch(/disc state unknown/);
  });

  it("HRESULT_ERROR_INVALID_HANDLE: the device handle is closed mid-write", async () => {
    const r = rig("dvd+r");
    const e = await failure(
      new DataWriter(r.recorder).write(bytesSource(pattern(2048)), {
        writeBlocks: 64,
        onEvent: (ev) => {
          if (ev.type === "progress" && ev.sectorsDone >= 512) void r.drive.close();
        },
      }),
    );
    expect(e.imapiCode.name).toBe("HRESULT_ERROR_INVALID_HANDLE");
  });

  it("IMAPI_E_WRONGDISC: another disc is in the drive when writing starts", async () => {
    const r = rig("dvd+r");
    const other = VirtualDisc.blank("dvd+r");
    await new DataWriter(rig("dvd+r", { disc: other }).recorder).write(bytesSource(pattern(32)));
    const e = await failure(
      new DataWriter(r.recorder).write(bytesSource(pattern(64)), {
        onEvent: (ev) => {
          if (ev.type === "phase" && ev.phase === "initializing-hardware") {
            r.drive.insert(other);
            r.drive.closeTray();
          }
        },
      }),
    );
    expect(e.imapiCode.name).toBe("IMAPI_E_WRONGDISC");
    expect(e.detail.writeStarted).toBe(false);
    expect(r.drive.trace.all.filter((t) => t.opcode === WRITE)).toHaveLength(0);
    expect(other.state.tracks[0]!.size).toBe(32); // the other disc was not touched
  });

  it("IMAPI_E_WRONGDISC: a multisession append finds another appendable disc of the same kind", async () => {
    const r = rig("cd-r");
    const w = new DataWriter(r.recorder);
    const first = await w.write(bytesSource(pattern(100)));
    const other = VirtualDisc.blank("cd-r");
    await new DataWriter(rig("cd-r", { disc: other }).recorder).write(bytesSource(pattern(300)));
    const e = await failure(
      w.write(bytesSource(pattern(50), { startLba: first.discState.nextWritableAddress! }), {
        onEvent: (ev) => {
          if (ev.type === "phase" && ev.phase === "initializing-hardware") {
            r.drive.insert(other);
            r.drive.closeTray();
          }
        },
      }),
    );
    expect(e.imapiCode.name).toBe("IMAPI_E_WRONGDISC");
    expect(other.state.tracks.filter((t) => t.closed)).toHaveLength(1);
  });

  it("E_IMAPI_REQUEST_CANCELLED during verification: the data is on the disc and the state says so", async () => {
    const r = rig("bd-r");
    const abort = new AbortController();
    const e = await failure(
      new DataWriter(r.recorder).write(bytesSource(pattern(2048)), {
        verify: "full",
        signal: abort.signal,
        onEvent: (ev) => ev.type === "progress" && ev.phase === "verifying" && abort.abort(),
      }),
    );
    expect(e).toBeInstanceOf(BurnCancelledError);
    expect(e.detail.phase).toBe("verifying");
    expect(e.detail.sectorsWritten).toBe(2048);
    expectTruthful(e, r);
    expect(r.disc.state.tracks[0]!.size).toBe(2048);
  });

  it("E_IMAPI_REQUEST_CANCELLED: abort mid-write flushes, closes the track and says what the disc holds", async () => {
    const r = rig("dvd+r");
    const abort = new AbortController();
    const e = await failure(
      new DataWriter(r.recorder).write(bytesSource(pattern(4096)), {
        writeBlocks: 64,
        signal: abort.signal,
        onEvent: (ev) => {
          if (ev.type === "progress" && ev.phase === "writing" && ev.sectorsDone >= 1024) abort.abort();
        },
      }),
    );
    expect(e).toBeInstanceOf(BurnCancelledError);
    expect(e.imapiCode.name).toBe("E_IMAPI_REQUEST_CANCELLED");
    const closed = r.disc.state.tracks.find((t) => t.number === 1)!;
    expect(closed.closed).toBe(true);
    expect(closed.size).toBe(e.detail.sectorsWritten);
    expect(e.detail.sectorsWritten).toBeLessThan(4096);
    expectTruthful(e, r);
  });

  it("a power loss mid-burn leaves a disc the tool describes correctly afterwards", async () => {
    const r = rig("dvd+r", { throttle: true, faults: at(1536, { powerLoss: true }) });
    const e = await failure(new DataWriter(r.recorder).write(bytesSource(pattern(4096)), { writeBlocks: 64 }));
    expect(e.imapiCode.name).toBe("E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE");
    expectTruthful(e, r);
    // A fresh program opening the drive afterwards sees the same disc.
    const later = await describeDisc(new Recorder(r.drive, { runner: { clock: r.clock } }));
    expect(later).toEqual(e.detail.discState);
    const t1 = r.disc.state.tracks[0]!;
    expect(t1.nwa - t1.start).toBeLessThan(1536); // buffered data was lost with the power
  });
});

function wrap(inner: EmulatedDrive, f: (cmd: ScsiCommand, res: ScsiResult) => ScsiResult): ScsiTransport {
  return {
    description: inner.description,
    maxTransferBytes: inner.maxTransferBytes,
    execute: async (cmd) => f(cmd, await inner.execute(cmd)),
    close: () => inner.close(),
  };
}

