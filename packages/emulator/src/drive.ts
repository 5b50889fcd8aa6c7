/**
 * EmulatedDrive: an in-process MMC recorder implementing ScsiTransport. It owns the mechanism
 * (tray, lock, power, unit attentions), the write buffer, the mode pages, the fault plan and the
 * trace; the medium is a VirtualDisc. Commands are decoded and answered by the opcode table in
 * ./commands.ts. A refused command is CHECK CONDITION, never an exception.
 */
import { CommandQueue, failure, validateCommand, type ScsiCommand, type ScsiResult, type ScsiTransport } from "@discforge/transport";
import { CdbFieldError, CdbLengthError, UnsupportedOpcodeError, decodeCdb, type DecodedCdb } from "@discforge/mmc";
import { RealClock, type Clock } from "./clock.js";
import { DriveBuffer, type DrainResult } from "./buffer.js";
import { FaultInjector, type FaultPlan } from "./faults.js";
import { Trace } from "./trace.js";
import { MEDIA, type MediaId } from "./media.js";
import { checkPersonality, defaultPersonalityFor, PERSONALITIES, type Personality } from "./personality.js";
import { SENSE, Refusal, senseBytes, refuse, type SenseCode, type SenseDetail } from "./sense.js";
import type { DiscModel } from "./disc.js";
import type { VirtualDisc } from "./virtual-disc.js";
import { SECTOR } from "./store.js";
import {
  MODE_PAGE,
  defaultErrorRecovery,
  defaultPowerCondition,
  defaultTimeoutProtect,
  defaultWriteParameters,
  readTimeoutProtect,
  readWriteParameters,
  speedKbps,
  writeSpeedsFor,
  type WriteParameters,
} from "./responses/mode-pages.js";
import { MEDIA_EVENT } from "./responses/events.js";
import { COMMANDS, commandSpan, type CommandSpec } from "./commands.js";
import type { SaoPlan } from "./cd/cue.js";

export interface EmulatedDriveOptions {
  readonly personality?: Personality;
  /** Medium in the drive (tray closed). Without one the drive starts empty with the tray closed. */
  readonly disc?: VirtualDisc;
  readonly faults?: FaultPlan;
  readonly clock?: Clock;
  /** Keep a trace of at most this many commands (default 100,000; 0 turns it off). */
  readonly traceLimit?: number;
  /** Model buffer drain and media timings (default true). False: every operation is instant. */
  readonly throttle?: boolean;
  readonly description?: string;
  /** Largest transfer per command (default 1 MiB). */
  readonly maxTransferBytes?: number;
}

/** A session-at-once burn between SEND CUE SHEET and the end of the session. */
export interface SaoProgress {
  readonly plan: SaoPlan;
  /** Next LBA the host must write (generated blocks skipped); the lead-out LBA when all is sent. */
  next: number;
  /** The plan's tracks have replaced the session's invisible track. */
  laidOut: boolean;
}

/** Long operation running after an IMMED command returned (or after a timeout). */
export interface BusyState {
  readonly kind: "format" | "blank" | "close" | "sync";
  readonly code: SenseCode;
  readonly startMs: number;
  readonly endMs: number;
}

/** Result a handler can force instead of data (timeouts, power loss). */
export class TransportOutcome {
  constructor(readonly result: ScsiResult) {}
}

export interface CommandContext {
  readonly cdb: Uint8Array;
  readonly dataOut: Uint8Array;
  readonly timeoutMs: number;
  /** Bytes the host accepts back (data-in commands). */
  readonly dataInLength: number;
  readonly spec: CommandSpec;
  /** The CDB as decodeCdb() parsed it. */
  readonly decoded: DecodedCdb;
}

export class EmulatedDrive implements ScsiTransport {
  readonly description: string;
  readonly maxTransferBytes: number;
  readonly personality: Personality;
  readonly clock: Clock;
  readonly trace: Trace;
  readonly throttle: boolean;

  /** @internal state below is shared with the command handlers. */
  disc: VirtualDisc | undefined;
  trayOpen = false;
  prevented = false;
  persistentPrevented = false;
  readyAtMs = 0;
  notReadyUntilMs = -Infinity;
  busy: BusyState | undefined;
  bgFormatEndMs: number | undefined;
  readonly unitAttentions: SenseCode[] = [SENSE.powerOnReset];
  readonly mediaEvents: number[] = [];
  operationalEvent = false;
  pages = new Map<number, Uint8Array>();
  writeSpeedKbps = 0;
  readSpeedKbps = 0;
  buffer: DriveBuffer;
  /** An underrun seen by READ BUFFER CAPACITY, reported by the next WRITE. */
  pendingUnderrun: DrainResult | undefined;
  /** Test-write overlay: the simulated medium state while Test Write is on. */
  simulation: DiscModel | undefined;
  cueSheet: Uint8Array | undefined;
  /** Session-at-once recording in progress: the plan from the cue sheet and the next block due. */
  sao: SaoProgress | undefined;
  /** The loaded medium cannot be read (upside down, dirty): 03/30/01 until it leaves the drive. */
  mediumUnreadable = false;
  powerState = 1;
  commandCount = 0;
  bytesWritten = 0;

  private readonly queue = new CommandQueue();
  private readonly faults: FaultInjector;

  constructor(options: EmulatedDriveOptions = {}) {
    this.personality = options.personality ?? (options.disc ? defaultPersonalityFor(options.disc.state.media) : PERSONALITIES["dvd-rw-drive"]);
    checkPersonality(this.personality);
    this.clock = options.clock ?? new RealClock();
    this.trace = new Trace(options.traceLimit ?? 100_000);
    this.throttle = options.throttle ?? true;
    this.maxTransferBytes = options.maxTransferBytes ?? 1024 * 1024;
    this.faults = new FaultInjector(options.faults);
    this.buffer = new DriveBuffer(this.personality.bufferBytes, this.clock.now());
    this.disc = options.disc;
    this.description = options.description ?? `emu:${options.disc?.path ?? "(memory)"}`;
    this.resetModePages();
    this.selectDefaultSpeeds();
    if (this.disc) this.mediaEvents.push(MEDIA_EVENT.newMedia);
  }

  // ---- ScsiTransport -----------------------------------------------------------------------

  async execute(command: ScsiCommand): Promise<ScsiResult> {
    validateCommand(command, this.maxTransferBytes);
    return this.queue.run(command, () => this.run(command));
  }

  async close(): Promise<void> {
    if (this.queue.isClosed) return;
    this.queue.close();
    this.disc?.close();
  }

  // ---- Mechanism API (what a person does to a real drive) ----------------------------------

  /** Opens the tray (ignores PREVENT, like the emergency eject hole). The medium stays in the tray. */
  openTray(): void {
    if (this.trayOpen) return;
    this.settleMedium();
    this.trayOpen = true;
    this.simulation = undefined;
    if (this.disc) this.mediaEvents.push(MEDIA_EVENT.mediaRemoval);
    this.mediumUnreadable = false;
  }

  /** Closes the tray; a medium in it becomes ready after the spin-up time (28/00 once). */
  closeTray(): void {
    if (!this.trayOpen) return;
    this.trayOpen = false;
    if (this.disc) this.mediumArrived();
  }

  /**
   * Puts a medium into the (open) tray, replacing any other. Close the tray to load it.
   * `unreadable` models a disc the drive cannot read (upside down, dirty): 03/30/01.
   */
  insert(disc: VirtualDisc | undefined, options: { readonly unreadable?: boolean } = {}): void {
    if (!this.trayOpen) this.openTray();
    this.disc?.close();
    this.disc = disc;
    this.mediumUnreadable = options.unreadable === true;
  }

  /** Takes the medium out of the tray. */
  remove(): VirtualDisc | undefined {
    if (!this.trayOpen) this.openTray();
    const d = this.disc;
    this.disc = undefined;
    return d;
  }

  /** The eject button: an eject request event; ejects unless PREVENT is in force. */
  pressEjectButton(): void {
    this.mediaEvents.push(MEDIA_EVENT.ejectRequest);
    if (!this.prevented && !this.persistentPrevented) this.openTray();
  }

  /** Power cycle: buffered data is lost, the drive comes back with 29/00. */
  powerCycle(): void {
    this.powerFail();
  }

  /** The medium as the host currently sees it (the test-write overlay while simulating). */
  get view(): DiscModel | undefined {
    return this.simulation ?? this.disc?.model;
  }

  // ---- Internals used by the handlers ------------------------------------------------------

  resetModePages(): void {
    const cd = this.disc ? MEDIA[this.disc.state.media].family === "cd" : true;
    this.pages = new Map([
      [MODE_PAGE.errorRecovery, defaultErrorRecovery()],
      [MODE_PAGE.writeParameters, defaultWriteParameters(cd)],
      [MODE_PAGE.powerCondition, defaultPowerCondition()],
      [MODE_PAGE.timeoutProtect, defaultTimeoutProtect(this.personality)],
    ]);
  }

  writeParameters(): WriteParameters {
    return readWriteParameters(this.pages.get(MODE_PAGE.writeParameters)!);
  }

  selectDefaultSpeeds(): void {
    const media = this.disc?.state.media;
    const speeds = writeSpeedsFor(this.personality, media);
    this.writeSpeedKbps = speeds[0] ?? 0;
    this.readSpeedKbps = media ? speedKbps(media, this.personality.readSpeeds[MEDIA[media].family]) : 0;
    this.updateBufferRate();
  }

  updateBufferRate(): void {
    const media = this.disc?.state.media;
    if (!media || this.writeSpeedKbps === 0) {
      this.buffer.rate = 1;
      return;
    }
    const family = MEDIA[media].family;
    const multiplier = this.writeSpeedKbps / (family === "cd" ? 176.4 : family === "dvd" ? 1385 : 4495.5);
    this.buffer.rate = MEDIA[media].bytesPerSecondAt1x * multiplier;
  }

  /** User-data bytes per second at the selected write speed. */
  get writeRate(): number {
    return this.buffer.rate;
  }

  /** Milliseconds to record `sectors` at the current speed (0 when unthrottled). */
  mediaTimeMs(sectors: number): number {
    if (!this.throttle) return 0;
    return ((sectors * SECTOR) / Math.max(1, this.writeRate)) * 1000;
  }

  /** A medium became present and the tray is closed. */
  private mediumArrived(): void {
    this.readyAtMs = this.clock.now() + this.personality.spinUpMs;
    this.unitAttentions.push(SENSE.notReadyToReadyChange);
    this.mediaEvents.push(MEDIA_EVENT.newMedia);
    this.simulation = undefined;
    this.cueSheet = undefined;
    this.sao = undefined;
    this.resetModePages();
    this.selectDefaultSpeeds();
  }

  /** Records everything buffered (used before the medium leaves or the drive closes). */
  settleMedium(): void {
    this.buffer.flushed();
    if (this.disc) {
      this.disc.trimToRecorded();
      this.disc.save();
    }
  }

  /** Power failure: buffered data never reaches the medium, the open track stays incomplete. */
  powerFail(): void {
    const lost = this.buffer.lose();
    const disc = this.disc;
    if (disc && lost.length > 0 && !this.simulation) {
      for (const e of lost) disc.store.discard(e.lba, e.blocks);
      disc.model.unrecord(lost[0]!.lba);
    }
    disc?.save();
    this.simulation = undefined;
    this.busy = undefined;
    this.prevented = false;
    this.cueSheet = undefined;
    this.sao = undefined;
    this.resetModePages();
    this.selectDefaultSpeeds();
    if (!this.unitAttentions.some((u) => u.asc === 0x29)) this.unitAttentions.unshift(SENSE.powerOnReset);
  }

  /** Ready check for commands that need the medium. */
  requireMedium(): VirtualDisc {
    const now = this.clock.now();
    if (now < this.notReadyUntilMs) refuse(SENSE.becomingReady);
    if (this.trayOpen) refuse(SENSE.mediumNotPresentTrayOpen);
    if (!this.disc) refuse(SENSE.mediumNotPresentTrayClosed);
    if (now < this.readyAtMs) refuse(SENSE.becomingReady);
    if (this.mediumUnreadable) refuse(SENSE.cannotReadUnknownFormat);
    const media = this.disc.state.media;
    if (!this.personality.reads.includes(media)) refuse(SENSE.cannotReadIncompatibleFormat);
    return this.disc;
  }

  /** The not-ready detail of a running long operation, with progress. */
  busyDetail(): SenseDetail | undefined {
    const b = this.busy;
    if (!b) return undefined;
    const now = this.clock.now();
    if (now >= b.endMs) {
      this.busy = undefined;
      return undefined;
    }
    const progress = b.endMs > b.startMs ? ((now - b.startMs) / (b.endMs - b.startMs)) * 65536 : 0;
    return { code: b.code, progress };
  }

  /**
   * Runs a long operation (the Group 3 commands: FORMAT UNIT, BLANK, CLOSE TRACK/SESSION,
   * SYNCHRONIZE CACHE). IMMED returns now and leaves the drive busy. Otherwise the command holds
   * until done, with two limits:
   * - the drive's own: with TMOE and G3Enable set in mode page 1Dh, a command that would run past
   *   the Group 3 Timeout ends there with CHECK CONDITION 0B/2E/02 while the operation carries on
   *   (NOT READY with progress until done);
   * - the host's: past the command's timeout the transport reports a timeout (the drive carries on
   *   the same way).
   * The Group 1 and Group 2 minimum timeouts are what the drive advertises for the host to use;
   * every other command here completes well within them.
   */
  async longOperation(kind: BusyState["kind"], durationMs: number, immediate: boolean, timeoutMs: number): Promise<void> {
    const code = kind === "format" ? SENSE.formatInProgress : kind === "sync" ? SENSE.longWriteInProgress : SENSE.operationInProgress;
    const now = this.clock.now();
    if (durationMs <= 0) return;
    if (immediate) {
      this.busy = { kind, code, startMs: now, endMs: now + durationMs };
      return;
    }
    const page = readTimeoutProtect(this.pages.get(MODE_PAGE.timeoutProtect)!);
    const driveLimitMs = page.tmoe && page.g3Enable ? page.group3Seconds * 1000 : Infinity;
    if (durationMs > driveLimitMs && driveLimitMs < timeoutMs) {
      this.busy = { kind, code, startMs: now, endMs: now + durationMs };
      await this.clock.sleep(driveLimitMs);
      refuse(SENSE.commandTimeoutDuringProcessing);
    }
    if (durationMs > timeoutMs) {
      // The host gives up; the drive carries on and stays busy until done.
      this.busy = { kind, code, startMs: now, endMs: now + durationMs };
      await this.clock.sleep(timeoutMs);
      throw new TransportOutcome(failure("timeout", `${kind} did not complete within ${timeoutMs} ms`, timeoutMs));
    }
    await this.clock.sleep(durationMs);
  }

  /** Applies time-driven changes: DVD+RW background format completion. */
  private tick(now: number): void {
    if (this.bgFormatEndMs !== undefined && now >= this.bgFormatEndMs) {
      this.bgFormatEndMs = undefined;
      const d = this.disc;
      if (d && d.state.format === "running") {
        d.state.format = "formatted";
        d.save();
      }
    }
  }

  // ---- The command pipeline -----------------------------------------------------------------

  private async run(command: ScsiCommand): Promise<ScsiResult> {
    const started = this.clock.now();
    const cdb = command.cdb;
    const opcode = cdb[0]!;
    const spec = COMMANDS.get(opcode);
    const index = ++this.commandCount;
    const dataOut = command.dataOut ?? new Uint8Array(0);
    let result: ScsiResult;
    let sense: SenseCode | undefined;
    try {
      this.tick(started);
      result = await this.runChecked(command, spec, index, dataOut);
      if (result.kind === "check-condition") sense = { key: result.sense[2]! & 0x0f, asc: result.sense[12]!, ascq: result.sense[13]! };
    } catch (e) {
      if (e instanceof TransportOutcome) result = e.result;
      else if (e instanceof Refusal) {
        sense = e.detail.code;
        result = { kind: "check-condition", sense: senseBytes(e.detail), data: new Uint8Array(0), residual: command.dataInLength ?? 0, durationMs: 0 };
      } else {
        // A bug in the emulator: report it as a hardware error rather than crash the host.
        sense = { key: 0x04, asc: 0x44, ascq: 0x00 };
        result = { kind: "check-condition", sense: senseBytes({ code: sense }), data: new Uint8Array(0), residual: command.dataInLength ?? 0, durationMs: 0 };
        this.internalErrors.push(e);
      }
    }
    const durationMs = this.clock.now() - started;
    result = { ...result, durationMs };
    if (this.trace.limit > 0) {
      this.trace.push({
        index,
        opcode,
        name: spec?.name ?? `0x${opcode.toString(16).padStart(2, "0")}`,
        cdb: cdb.slice(),
        direction: command.direction,
        bytesOut: dataOut.length,
        bytesIn: result.kind === "good" ? result.data.length : 0,
        result: result.kind === "os-error" ? "transport-error" : result.kind,
        ...(sense ? { sense } : {}),
        startMs: started,
        durationMs,
      });
    }
    return result;
  }

  /** Errors the emulator hit in itself (reported to the host as 04/44/00); tests assert it stays empty. */
  readonly internalErrors: unknown[] = [];

  private async runChecked(command: ScsiCommand, spec: CommandSpec | undefined, index: number, dataOut: Uint8Array): Promise<ScsiResult> {
    const cdb = command.cdb;
    const now = this.clock.now();
    const span = spec ? commandSpan(spec, cdb) : undefined;
    const bytesThis = spec?.writes ? dataOut.length : 0;
    const fault = this.faults.check({
      commandNumber: index,
      opcode: cdb[0]!,
      nowMs: now,
      ...(span ? { lba: span.lba, blocks: span.blocks } : {}),
      bytesBefore: this.bytesWritten,
      bytesThis,
    });
    if (fault) {
      const a = fault.action;
      if ("sense" in a) refuse({ key: a.sense[0], asc: a.sense[1], ascq: a.sense[2] });
      if ("delayMs" in a) {
        if (a.delayMs >= command.timeoutMs) {
          await this.clock.sleep(command.timeoutMs);
          return failure("timeout", `no response within ${command.timeoutMs} ms`, command.timeoutMs);
        }
        await this.clock.sleep(a.delayMs);
      }
      if ("notReadyMs" in a) this.notReadyUntilMs = now + a.notReadyMs;
      if ("removeMedia" in a) {
        this.prevented = false;
        this.persistentPrevented = false;
        this.remove();
      }
      if ("unreadableMedia" in a) this.mediumUnreadable = true;
      if ("writeProtect" in a && this.disc) {
        this.disc.state.writeProtected = true;
        this.disc.save();
      }
      if ("powerLoss" in a) {
        this.powerFail();
        return failure("reset", "the drive lost power");
      }
    }
    const decoded = decode(cdb);
    if (!spec || decoded.op !== spec.op) refuse(SENSE.invalidOpcode, { field: { inCdb: true, byte: 0 } });
    // Unit attention: reported once by every command except INQUIRY, REQUEST SENSE (which returns
    // it as data), GET CONFIGURATION and GET EVENT STATUS NOTIFICATION (MMC-6 4.1.6.1).
    if (this.unitAttentions.length > 0 && !spec.ignoresUnitAttention) refuse(this.unitAttentions.shift()!);
    if (!spec.allowedWhileBusy) {
      const busy = this.busyDetail();
      if (busy) throw new Refusal(busy);
    }
    if (spec.needsMedium) this.requireMedium();
    const data = await spec.handle(this, { cdb, dataOut, timeoutMs: command.timeoutMs, dataInLength: command.direction === "in" ? (command.dataInLength ?? 0) : 0, spec, decoded });
    const want = command.direction === "in" ? (command.dataInLength ?? 0) : 0;
    const limit = spec.allocation ? Math.min(want, spec.allocation(cdb)) : want;
    const out = data ? (data.length > limit ? data.subarray(0, limit) : data) : new Uint8Array(0);
    return { kind: "good", data: out, residual: want - out.length, durationMs: 0 };
  }

  /** Medium spec of the loaded disc. */
  get mediaId(): MediaId | undefined {
    return this.disc?.state.media;
  }
}

/** decodeCdb() with its errors turned into the sense SPC-4 gives them. */
function decode(cdb: Uint8Array): DecodedCdb {
  try {
    return decodeCdb(cdb);
  } catch (e) {
    if (e instanceof CdbFieldError) {
      refuse(SENSE.invalidFieldInCdb, { field: e.bitNumber === undefined ? { inCdb: true, byte: e.byteOffset } : { inCdb: true, byte: e.byteOffset, bit: e.bitNumber } });
    }
    if (e instanceof CdbLengthError) refuse(SENSE.invalidFieldInCdb, { field: { inCdb: true, byte: 0 } });
    if (e instanceof UnsupportedOpcodeError) refuse(SENSE.invalidOpcode, { field: { inCdb: true, byte: 0 } });
    throw e;
  }
}
