/**
 * DataWriter: IMAPI's IDiscFormat2Data over a Recorder. One `write()` runs the whole burn:
 * preflight (before a single write command), formatting where needed, write setup (mode page 05h,
 * speed, RESERVE TRACK, OPC), streaming from a host ring buffer paced by READ BUFFER CAPACITY,
 * finishing (SYNCHRONIZE CACHE, CLOSE TRACK/SESSION or finalize), a re-read of the disc's state
 * against the plan, verification by reading back, and eject. Every failure ends in a typed error
 * that carries the IMAPI code and what the drive says the disc holds afterwards.
 */
import { createHash } from "node:crypto";
import type { MediaReport, Recorder, TraceEntry } from "@discforge/drive";
import { CancelledError, InvalidArgumentError, imapiCode, isDiscforgeError, type ImapiCode, type ImapiCodeName } from "@discforge/errors";
import {
  ScsiCheckConditionError,
  buildCloseTrackSession,
  buildRead10,
  buildReserveTrack,
  buildSendOpcInformation,
  buildSetCdSpeed,
  buildSetStreaming,
  buildSynchronizeCache,
  buildTestUnitReady,
  buildWrite10,
  buildWrite12,
  streamingDescriptorForSpeed,
  streamingPerformanceDescriptorCodec,
  type WriteParametersPage,
} from "@discforge/mmc";
import { BurnCancelledError, BurnError, PreflightError, type BurnFailureDetail } from "./errors.js";
import type { BurnEvent, BurnEventListener, BurnPhase } from "./events.js";
import { HostRing } from "./ring.js";
import { SECTOR, normaliseRanges, type BlockRange, type BurnSource } from "./source.js";
import { KBPS_1X, bytesPerSecondAt, familyKey, planFor, type MediaPlan } from "./media-plan.js";
import { readBufferCapacity, readWriteParameters, sendFormatUnit, waitUntilReady, writeWriteParameters } from "./drive-ops.js";
import { describeDisc, describeMedia, discFingerprint, type DiscDescription } from "./disc-state.js";
import { realClock, yieldToEventLoop, type BurnClock } from "./clock.js";
import { keepAwake, type KeepAwakeHandle, type KeepAwakeOptions } from "./keep-awake.js";
import { stageImage, type StagedImage } from "./stage.js";

export type VerifyMode = "none" | "quick" | "full";

export interface WriteOptions {
  readonly signal?: AbortSignal;
  readonly onEvent?: BurnEventListener;
  /** RecordDisc bSimulate: Test Write on media that support it; refused before writing elsewhere. */
  readonly simulate?: boolean;
  /** RecordDisc bEjectAfterBurn. */
  readonly ejectAfterBurn?: boolean;
  /** Read back after writing (default "quick"; "full" compares every sector with the source). */
  readonly verify?: VerifyMode;
  /** IMAPI's ForceMediaToBeClosed: finalize the disc (default: leave it appendable where possible). */
  readonly close?: boolean;
  /** Buffer underrun protection (default on when the drive has it). */
  readonly bufe?: boolean;
  /** Write speed as a multiple of the medium's 1x, or "max" (default). */
  readonly speed?: number | "max";
  readonly rotation?: "clv" | "cav";
  /** Host ring buffer size in bytes (default 16 MiB). */
  readonly bufferBytes?: number;
  /** Sectors per WRITE command (rounded down to the ECC block; default 256 KiB on drives, 1 MiB emulated, within the transport's limit). */
  readonly writeBlocks?: number;
  /** BD: WRITE(12) with the Streaming bit (no defect management) — for real-time recording. */
  readonly streaming?: boolean;
  /** DVD-R/RW: Disc-at-Once with a reserved track instead of incremental. */
  readonly dao?: boolean;
  /** Send SEND OPC INFORMATION before writing sequential media (default true). */
  readonly opc?: boolean;
  /** Format a blank DVD+RW / BD-RE / DVD-RAM that needs it (default true). */
  readonly formatIfNeeded?: boolean;
  /** Allow a stream that does not say which LBA it was built for on an appendable disc. */
  readonly allowAnyStartLba?: boolean;
  /** Sectors sampled by quick verification (default 64, plus first and last). */
  readonly quickVerifySamples?: number;
  /** Keep the machine awake during the burn (default on for real drives). */
  readonly keepAwake?: boolean;
  /** How (platform, an injected SetThreadExecutionState); default: this machine's own way. */
  readonly keepAwakeWith?: KeepAwakeOptions;
  readonly clientName?: string;
  readonly clock?: BurnClock;
  /** Watermarks of the drive buffer for pacing (fractions; default 0.5 / 0.9). */
  readonly lowWatermark?: number;
  readonly highWatermark?: number;
  /** READ BUFFER CAPACITY after this many writes (default: about every 1 MiB, at most every 4 writes). */
  readonly paceEveryWrites?: number;
  /**
   * Staging decided while writing. The host ring is always filled before the first WRITE and the
   * source's rate and longest stall measured while it fills; with this set, a source too slow for
   * the chosen speed where nothing protects the disc from an underrun (BUFE off on sequential
   * media) is diverted into a temporary file (the ring's contents first, the source read once)
   * and the burn goes on from that file, before a single WRITE was sent. The file is wiped when
   * the burn ends. Off by default here; recordDisc turns it on.
   */
  readonly stageWhenSlow?: false | { readonly dir?: string };
}

/** The source as the writer saw it. */
export interface SourceReport {
  /** Bytes in the host ring before the first WRITE, and the source's rate while filling it. */
  readonly prefillBytes: number;
  /** Bytes per second; omitted when the source never made the writer wait. */
  readonly prefillBytesPerSecond?: number;
  /** The source's rate over the whole burn while the ring waited on it (omitted: never waited). */
  readonly bytesPerSecond?: number;
  /** The longest single wait for the source, ms. */
  readonly longestStallMs: number;
  /** Times the writer found the ring empty mid-burn (the source starved the drive). */
  readonly starvations: number;
  /** Diverted into a stash before the first WRITE (the file is wiped when the burn ends). */
  readonly staged?: { readonly path: string; readonly bytes: number; readonly ms: number };
}

export interface SpeedReport {
  readonly requested: number | "max";
  readonly requestedRotation?: "clv" | "cav";
  /** kB/s the drive was asked for (undefined when it offered no speeds). */
  readonly selectedKbps?: number;
  readonly selectedX?: number;
  readonly rotation?: "clv" | "cav";
  /** S_IMAPI_SPEEDADJUSTED / ROTATIONADJUSTED / BOTHADJUSTED, or S_OK. */
  readonly adjustment: ImapiCode;
}

export interface VerificationReport {
  readonly mode: VerifyMode | "simulated";
  readonly sectorsChecked: number;
  /** LBAs whose content differs from the source (at most the first 1000). */
  readonly differingSectors: readonly number[];
  /** LBAs the drive could not read back. */
  readonly unreadableSectors: readonly number[];
  /** No sector differed or was unreadable. With mode "none" nothing was read: see `mode`. */
  readonly passed: boolean;
}

export interface BurnResult {
  /** S_OK, or the speed/rotation adjustment success code. */
  readonly imapi: ImapiCode;
  readonly simulated: boolean;
  readonly media: string;
  readonly startLba: number;
  /** Sectors of the stream. */
  readonly sectors: number;
  /** Sectors sent to the drive (stream, padding, without skipped unchanged ranges). */
  readonly sectorsWritten: number;
  readonly writtenRanges: readonly BlockRange[];
  readonly closed: "disc" | "session" | "track" | "none";
  readonly speed: SpeedReport;
  readonly bufe: boolean;
  /** Times the drive buffer was seen empty mid-burn (BUFE links on drives with protection). */
  readonly bufeEngagements: number;
  /** Times the writer found the host ring empty (the source could not keep up). */
  readonly hostStarvations: number;
  readonly source: SourceReport;
  readonly verification: VerificationReport;
  readonly discState: DiscDescription;
  readonly ejected: boolean;
  readonly warnings: readonly string[];
  readonly elapsedMs: number;
  readonly writeMs: number;
  readonly averageBytesPerSecond: number;
  readonly commandsSent: number;
}

const activeWrites = new Set<string>();
const MIB = 1024 * 1024;
const VD_AREA = { start: 16, length: 16 } as const;

/** IMAPI's E_IMAPI_* code a preflight media problem maps to. */
function presenceError(presence: MediaReport["presence"]): PreflightError | undefined {
  switch (presence) {
    case "present":
      return undefined;
    case "no-media":
    case "tray-open":
      return new PreflightError(presence === "tray-open" ? "the tray is open and holds no loaded disc" : "there is no disc in the drive", "E_IMAPI_RECORDER_MEDIA_NO_MEDIA");
    case "not-ready":
      return new PreflightError("the drive is still becoming ready; try again in a moment", "E_IMAPI_RECORDER_MEDIA_BECOMING_READY");
    case "unreadable":
      return new PreflightError("the disc cannot be read (unknown format, or inserted upside down)", "E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE");
  }
}

interface Prepared {
  media: MediaReport;
  plan: MediaPlan;
  startLba: number;
  sectors: number;
  paddedSectors: number;
  trackNumber?: number;
  ranges: BlockRange[];
  deferred: BlockRange[];
  fingerprint: string;
}

class Burn {
  readonly clock: BurnClock;
  readonly started: number;
  readonly warnings: string[] = [];
  phase: BurnPhase = "validating-media";
  sectorsWritten = 0;
  writeStarted = false;
  commands = 0;
  mediaChanged = false;
  /** A stash the writer diverted into; wiped when the burn ends. */
  stash: StagedImage | undefined;
  private lastProgressAt = -Infinity;
  private lastProgressSectors = -1;

  constructor(
    readonly recorder: Recorder,
    readonly source: BurnSource,
    readonly options: WriteOptions,
  ) {
    this.clock = options.clock ?? realClock;
    this.started = this.clock.now();
  }

  emit(e: BurnEvent): void {
    try {
      this.options.onEvent?.(e);
    } catch {
      // A listener's failure must not break a burn in progress.
    }
  }

  enter(phase: BurnPhase, expectedMs?: number): void {
    this.phase = phase;
    this.lastProgressAt = -Infinity;
    this.lastProgressSectors = -1;
    this.emit({ type: "phase", phase, elapsedMs: this.clock.now() - this.started, ...(expectedMs !== undefined ? { expectedMs } : {}) });
  }

  warn(code: string, message: string): void {
    this.warnings.push(message);
    this.emit({ type: "warning", code, message });
  }

  progress(p: Omit<Extract<BurnEvent, { type: "progress" }>, "type" | "phase" | "elapsedMs">, force = false): void {
    const now = this.clock.now();
    const step = Math.max(1, Math.floor(p.sectorsTotal / 50));
    if (!force && now - this.lastProgressAt < 250 && p.sectorsDone - this.lastProgressSectors < step) return;
    this.lastProgressAt = now;
    this.lastProgressSectors = p.sectorsDone;
    this.emit({ type: "progress", phase: this.phase, elapsedMs: now - this.started, ...p });
  }

  get signal(): AbortSignal | undefined {
    return this.options.signal;
  }

  checkCancelled(): void {
    if (this.signal?.aborted) throw new CancelledError("burn cancelled", { cause: this.signal.reason });
  }
}

/** IMAPI's MsftDiscFormat2Data: writes one stream onto the medium in a recorder. */
export class DataWriter {
  constructor(readonly recorder: Recorder) {}

  /** IDiscFormat2Data::Write (plus RecordDisc's simulate and eject). */
  async write(source: BurnSource, options: WriteOptions = {}): Promise<BurnResult> {
    if (!this.recorder) throw new PreflightError("no recorder is attached to the data writer", "E_IMAPI_RECORDER_REQUIRED");
    const burn = new Burn(this.recorder, source, options);
    const rec = this.recorder;
    if (activeWrites.has(rec.path)) {
      throw new BurnError("another write is in progress on this drive", imapiCode("E_IMAPI_DF2DATA_WRITE_IN_PROGRESS"), {
        phase: "validating-media",
        discState: { known: false, reason: "not read: the drive is busy with another write" },
        sectorsWritten: 0,
        writeStarted: false,
      });
    }
    activeWrites.add(rec.path);
    const clientName = options.clientName ?? "discforge";
    let acquired = false;
    let locked = false;
    let awake: KeepAwakeHandle | undefined;
    let awakening: Promise<KeepAwakeHandle> | undefined;
    let feed: Feed | undefined;
    let originalPage: WriteParametersPage | undefined;
    let pageChanged = false;
    let prepared: Prepared | undefined;
    const removeSink = rec.runner.addTraceSink((e: TraceEntry) => {
      burn.commands++;
      if (e.outcome === "check-condition" && /^6 (28|29)\//.test(e.detail)) burn.mediaChanged = true;
    });
    try {
      burn.enter("validating-media");
      const owner = await rec.exclusiveAccessOwner();
      if (!(owner && owner.clientName === clientName && owner.pid === process.pid)) {
        await rec.acquireExclusiveAccess(clientName);
        acquired = true;
      }
      prepared = await this.preflight(burn);
      const p = prepared;
      // Taking the keep-awake lock runs beside the setup; it is held before the disc is changed.
      if (options.keepAwake ?? !rec.path.startsWith("emu:")) awakening = keepAwake(`discforge: writing ${rec.path}`, options.keepAwakeWith);
      const holdAwake = async (): Promise<void> => {
        if (!awakening) return;
        awake = await awakening;
        awakening = undefined;
        if (!awake.active) burn.warn("keep-awake", `cannot keep the machine awake during the burn: ${awake.reason}`);
      };

      // Formatting a blank overwritable disc (nothing else is ever formatted without a request).
      if (p.plan.formatType !== undefined && p.media.formatted === "unformatted") {
        await holdAwake();
        if (options.formatIfNeeded === false) throw new PreflightError("the disc is not formatted and formatting was not allowed", "E_IMAPI_RECORDER_MEDIA_NOT_FORMATTED");
        if (p.media.status !== "blank" && p.media.status !== "other") throw new PreflightError("the disc is not formatted and not blank", "E_IMAPI_DF2DATA_INVALID_MEDIA_STATE");
        burn.enter("formatting");
        await formatMedium(burn, p.plan, p.media);
        p.media = await rec.media({ refresh: true });
        p.fingerprint = discFingerprint(p.media);
      }

      // Write setup.
      burn.enter("initializing-hardware");
      const caps = await rec.capabilities();
      const bufe = (options.bufe ?? true) && caps.bufe;
      if ((options.bufe ?? true) && !caps.bufe) burn.warn("no-bufe", "the drive has no buffer underrun protection; the source must keep up");
      try {
        originalPage = await readWriteParameters(rec);
      } catch (e) {
        if (p.plan.sequential || options.simulate) throw e;
        burn.warn("mode-sense", `the drive has no write parameters page here (${(e as Error).message})`);
      }
      if (originalPage) {
        const page: WriteParametersPage = {
          ...originalPage,
          ps: false,
          bufe,
          testWrite: options.simulate === true,
          ...(p.plan.writeType !== undefined ? { writeType: p.plan.writeType } : {}),
          ...(p.plan.multiSessionField ? { multiSession: options.close ? 0 : 3 } : {}),
          ...(p.plan.mediaClass === "cd" ? { trackMode: 4, dataBlockType: 8, fp: false, linkSize: 0, sessionFormat: 0 } : {}),
        };
        try {
          await writeWriteParameters(rec, page);
          pageChanged = true;
        } catch (e) {
          if (p.plan.sequential || options.simulate) throw e;
          burn.warn("mode-select", `the drive refused write parameters on this medium (${(e as Error).message}); writing with its defaults`);
        }
      } else if (p.plan.sequential || options.simulate) {
        throw new PreflightError("the drive has no write parameters page (05h)", "E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED");
      }
      const speed = await selectSpeed(burn, p.media);
      const rate = speed.selectedKbps ? bytesPerSecondAt(speed.selectedKbps, p.media.family) : undefined;
      // The host ring is filled and staging decided (and done) before anything changes the disc:
      // a stash that fails (a full disk, a cancel) must not leave a reserved, empty track.
      feed = await fillRing(burn, p, { bufe, rate });
      await holdAwake();

      // The disc must still be the one checked at preflight (before RESERVE TRACK changes it).
      await checkSameDisc(burn, p);
      if (p.plan.reserveTrack) await rec.run(buildReserveTrack({ form: "size", reservationSize: p.paddedSectors }));

      if (p.plan.sequential && options.opc !== false) {
        burn.enter("calibrating-power");
        try {
          await rec.run(buildSendOpcInformation({ doOpc: true }), { retryBudgetMs: 30_000 });
        } catch (e) {
          if (!(e instanceof ScsiCheckConditionError) || e.sense.senseKey !== 0x05) throw e;
          burn.warn("opc", "the drive does not take SEND OPC INFORMATION here; it calibrates on its own");
        }
      }

      await rec.lock().then(
        () => (locked = true),
        () => burn.warn("lock", "the tray could not be locked during the burn"),
      );

      // Writing.
      burn.enter("writing", rate ? ((p.paddedSectors * SECTOR) / rate) * 1000 : undefined);
      const stream = await streamToDrive(burn, p, { bufe, rate }, feed);
      checkAfterWrite(burn);
      if (stream.starvations > 0) {
        const at = stream.source.bytesPerSecond !== undefined ? ` (it delivered ${(stream.source.bytesPerSecond / 1e6).toFixed(1)} MB/s, longest stall ${Math.round(stream.source.longestStallMs)} ms${rate ? `; the drive takes ${(rate / 1e6).toFixed(1)} MB/s` : ""})` : "";
        burn.warn("source-slow", `the source could not keep up ${stream.starvations} time(s)${at}; stage the image to a file or lower the speed if the drive has no underrun protection`);
      }

      // Finishing.
      burn.enter("finalizing");
      await rec.run(buildSynchronizeCache({ immed: true }), { retryBudgetMs: 120_000 });
      await waitUntilReady(rec, burn.clock, { what: "SYNCHRONIZE CACHE", onProgress: (f) => burn.progress({ lba: p.startLba, sectorsDone: Math.round((f ?? 0) * 100), sectorsTotal: 100 }) });
      let closed: BurnResult["closed"] = "none";
      const functions = p.media.recording === "random" && p.plan.mediaClass === "dvd-plus-rw" && !options.close && p.media.backgroundFormat !== "in-progress" ? [] : options.close ? p.plan.closeFinal : p.plan.closeAppendable;
      for (const fn of functions) {
        await rec.run(buildCloseTrackSession({ immed: true, closeFunction: fn, trackNumber: fn === "closeTrack" ? (p.trackNumber ?? 0) : 0 }), { retryBudgetMs: 120_000 });
        await waitUntilReady(rec, burn.clock, { what: `CLOSE (${fn})` });
        closed = fn === "closeTrack" ? "track" : fn === "closeSession" ? (options.close ? "disc" : "session") : "disc";
      }
      if (p.plan.mediaClass === "dvd-dash" && options.dao) closed = options.close ? "disc" : "session";

      if (pageChanged && originalPage && options.simulate) {
        // Test Write off ends the simulation: the drive forgets what it pretended to record.
        await writeWriteParameters(rec, { ...originalPage, ps: false, testWrite: false });
        pageChanged = false;
      }

      // Did it really write?
      const after = await rec.media({ refresh: true });
      checkRecorded(burn, p, after, options, closed);

      // Verification.
      const verification = options.simulate ? { mode: "simulated" as const, sectorsChecked: 0, differingSectors: [], unreadableSectors: [], passed: true } : await verify(burn, p, stream);
      if (!verification.passed) {
        throw new BurnError(
          `verification failed: ${verification.differingSectors.length} sector(s) differ from the source${verification.differingSectors.length ? ` (first at LBA ${verification.differingSectors[0]})` : ""}, ${verification.unreadableSectors.length} unreadable`,
          imapiCode("E_IMAPI_BURN_VERIFICATION_FAILED"),
          { phase: "verifying", discState: describeMedia(after), sectorsWritten: burn.sectorsWritten, writeStarted: true },
        );
      }

      if (locked) {
        await rec.unlock().catch(() => undefined);
        locked = false;
      }
      let ejected = false;
      if (options.ejectAfterBurn) {
        await rec.eject();
        ejected = true;
      }
      burn.enter("completed");
      return {
        imapi: speed.adjustment,
        simulated: options.simulate === true,
        media: p.media.profileName,
        startLba: p.startLba,
        sectors: p.sectors,
        sectorsWritten: burn.sectorsWritten,
        writtenRanges: [...p.ranges, ...p.deferred],
        closed,
        speed,
        bufe,
        bufeEngagements: stream.bufeEngagements,
        hostStarvations: stream.starvations,
        source: stream.source,
        verification,
        discState: describeMedia(after),
        ejected,
        warnings: burn.warnings,
        elapsedMs: burn.clock.now() - burn.started,
        writeMs: stream.writeMs,
        averageBytesPerSecond: stream.writeMs > 0 ? (burn.sectorsWritten * SECTOR * 1000) / stream.writeMs : 0,
        commandsSent: burn.commands,
      };
    } catch (e) {
      throw await this.fail(burn, e, prepared, { pageChanged, originalPage, locked });
    } finally {
      if (feed) {
        feed.ring.stop();
        await feed.pump;
      }
      removeSink();
      activeWrites.delete(rec.path);
      if (awakening) awake = await awakening;
      awake?.release();
      if (acquired) await rec.releaseExclusiveAccess().catch(() => undefined);
      // Last: a stash that cannot be wiped is said, and changes nothing of the burn's outcome.
      const problem = burn.stash?.wipe();
      if (problem) burn.warn("stash-not-wiped", problem);
    }
  }

  /** Best-effort cleanup after a failure, then the typed error with the disc's real state. */
  private async fail(burn: Burn, e: unknown, p: Prepared | undefined, s: { pageChanged: boolean; originalPage: WriteParametersPage | undefined; locked: boolean }): Promise<Error> {
    const rec = this.recorder;
    const cancelled = e instanceof CancelledError || burn.signal?.aborted === true;
    if (burn.writeStarted && p && !(e instanceof BurnError && e.imapiCode.name === "E_IMAPI_BURN_VERIFICATION_FAILED")) {
      // Flush what the drive holds and close the track where the medium allows: the disc stays
      // readable and appendable instead of holding an open, unfinished track.
      try {
        await rec.run(buildSynchronizeCache({ immed: false }), { retryBudgetMs: 30_000, timeoutMs: 600_000 });
        if (p.plan.sequential && p.trackNumber !== undefined && !(e instanceof BurnError && e.imapiCode.name === "IMAPI_E_WRONGDISC")) {
          await rec.run(buildCloseTrackSession({ immed: false, closeFunction: "closeTrack", trackNumber: p.trackNumber }), { retryBudgetMs: 30_000, timeoutMs: 600_000 });
        }
      } catch {
        // The state read below says what became of the disc.
      }
    }
    if (s.pageChanged && s.originalPage) await writeWriteParameters(rec, { ...s.originalPage, ps: false, testWrite: false }).catch(() => undefined);
    if (s.locked) await rec.unlock().catch(() => undefined);
    const discState = await describeDisc(rec);
    const detail: BurnFailureDetail = { phase: burn.phase, discState, sectorsWritten: burn.sectorsWritten, writeStarted: burn.writeStarted };
    if (cancelled) return new BurnCancelledError("burn cancelled", detail, { cause: e });
    if (e instanceof BurnError) return new BurnError(e.message.replace(/ \[.*$/s, ""), e.imapiCode, detail, { cause: e.cause ?? e });
    const imapi = isDiscforgeError(e) && e.imapi ? e.imapi : imapiCode("E_FAIL");
    const message = e instanceof PreflightError ? e.message.replace(/ \[[A-Z_0-9]+\]$/, "") : `${burn.phase} failed: ${(e as Error).message}`;
    return new BurnError(message, imapi, detail, { cause: e });
  }

  private async preflight(burn: Burn): Promise<Prepared> {
    const rec = this.recorder;
    const o = burn.options;
    const source = burn.source;
    if (!Number.isInteger(source.byteLength) || source.byteLength <= 0 || source.byteLength % SECTOR !== 0) {
      throw new PreflightError(`the stream is ${source.byteLength} bytes; it must be a non-empty multiple of 2048`, "E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED");
    }
    if (o.bufferBytes !== undefined && !(o.bufferBytes >= SECTOR)) throw new InvalidArgumentError("bufferBytes", "must be at least 2048");
    const media = await rec.media({ refresh: true });
    if (media.presence === "not-ready" || media.presence === "unreadable") {
      // The drive's own answer says why (upside down, incompatible, becoming ready...).
      await rec.run(buildTestUnitReady());
    }
    const absent = presenceError(media.presence);
    if (absent) throw absent;
    const caps = await rec.capabilities();
    if (caps.writableProfiles.length === 0) throw new PreflightError(`${rec.path} cannot write any medium`, "E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED");
    if (media.kind === "rom" || media.kind === "none") throw new PreflightError(`${media.profileName} is a read-only medium`, "E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED");
    const plan = planFor(media, o.dao ? { dao: true } : {});
    if (!plan || !caps.writableProfiles.some((w) => w.profile === media.profile)) {
      throw new PreflightError(`this drive does not write ${media.profileName}`, "E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED");
    }
    if (media.writeProtected) throw new PreflightError(`the ${media.profileName} disc is write protected`, "E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED");
    if (o.simulate) {
      if (!plan.canSimulate) throw new PreflightError(`${media.profileName} cannot simulate a burn (no Test Write on this medium); nothing was written`, "E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED");
      if (!caps.testWrite) throw new PreflightError(`${rec.path} has no Test Write; it cannot simulate`, "E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED");
    }
    if (media.backgroundFormat === "in-progress" && plan.mediaClass !== "dvd-plus-rw") throw new PreflightError("the disc is being formatted", "E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS");
    const sectors = source.byteLength / SECTOR;
    let startLba: number;
    let trackNumber: number | undefined;
    let paddedSectors = sectors;
    if (plan.sequential) {
      if (media.status === "complete") throw new PreflightError(`the ${media.profileName} disc is closed; nothing more can be written to it`, "E_IMAPI_DF2DATA_INVALID_MEDIA_STATE");
      if (media.status !== "blank" && media.status !== "appendable") throw new PreflightError(`the ${media.profileName} disc is in an unusable state (${media.status})`, "E_IMAPI_DF2DATA_INVALID_MEDIA_STATE");
      if (media.lastSessionState === "damaged") throw new PreflightError("the last session of the disc is damaged", "E_IMAPI_DF2DATA_INVALID_MEDIA_STATE");
      const open = media.sessions.flatMap((s) => s.tracks).find((t) => t.nextWritableAddress !== undefined && (t.state === "blank" || t.state === "invisible" || t.state === "incomplete") && t.freeBlocks > 0);
      if (media.nextWritableAddress === undefined || !open) throw new PreflightError("the disc has no next writable address", "E_IMAPI_DF2DATA_INVALID_MEDIA_STATE");
      if (open.state === "incomplete") throw new PreflightError(`track ${open.number} is open and partly written (an interrupted burn); close it before appending`, "E_IMAPI_DF2DATA_INVALID_MEDIA_STATE");
      if (o.dao && media.status !== "blank") throw new PreflightError("Disc-at-Once needs a blank disc", "E_IMAPI_DF2DATA_MEDIA_NOT_BLANK");
      startLba = open.nextWritableAddress!;
      trackNumber = open.number;
      if (source.startLba !== undefined && source.startLba !== startLba) {
        throw new PreflightError(`the stream was built for LBA ${source.startLba}, but the disc's next writable address is ${startLba}; rebuild it for ${startLba}`, "E_INVALIDARG");
      }
      if (source.startLba === undefined && startLba !== 0 && !o.allowAnyStartLba) {
        throw new PreflightError(`the disc is appendable (next writable address ${startLba}) and the stream does not say it was built for that address; build the new session for LBA ${startLba} (or allow any start LBA)`, "E_INVALIDARG");
      }
      if (source.changedRanges) throw new PreflightError("changed block ranges apply to overwritable media only", "E_INVALIDARG");
      paddedSectors = Math.ceil(sectors / plan.eccBlock) * plan.eccBlock;
      if (paddedSectors > media.freeBlocks) {
        throw new PreflightError(`${sectors} sectors do not fit: the disc has ${media.freeBlocks} free`, "E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA");
      }
    } else {
      startLba = source.startLba ?? 0;
      if (startLba + sectors > media.capacityBlocks) {
        throw new PreflightError(`${sectors} sectors from LBA ${startLba} do not fit: the disc holds ${media.capacityBlocks}`, "E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA");
      }
    }
    // Ranges to write, in order; on overwritable media the volume descriptors (LBA 16..31) last.
    let ranges: BlockRange[] = source.changedRanges ? normaliseRanges(source.changedRanges, startLba, sectors) : [{ start: startLba, length: plan.sequential ? paddedSectors : sectors }];
    let deferred: BlockRange[] = [];
    if (!plan.sequential) {
      const cut = splitRanges(ranges, VD_AREA);
      ranges = cut.outside;
      deferred = cut.inside;
    }
    return { media, plan, startLba, sectors, paddedSectors, ...(trackNumber !== undefined ? { trackNumber } : {}), ranges, deferred, fingerprint: discFingerprint(media) };
  }
}

/** SET STREAMING type 00h descriptor asking for `kbps` over [start, end]. */
function streamDescriptor(start: number, end: number, kbps: number, cav: boolean): Uint8Array {
  return streamingPerformanceDescriptorCodec.encode(streamingDescriptorForSpeed(start, end, kbps, kbps, { cav }));
}

function splitRanges(ranges: readonly BlockRange[], area: BlockRange): { outside: BlockRange[]; inside: BlockRange[] } {
  const outside: BlockRange[] = [];
  const inside: BlockRange[] = [];
  const aEnd = area.start + area.length;
  for (const r of ranges) {
    const end = r.start + r.length;
    const s = Math.max(r.start, area.start);
    const e = Math.min(end, aEnd);
    if (s >= e) {
      outside.push(r);
      continue;
    }
    if (r.start < s) outside.push({ start: r.start, length: s - r.start });
    inside.push({ start: s, length: e - s });
    if (e < end) outside.push({ start: e, length: end - e });
  }
  return { outside, inside };
}

async function checkSameDisc(burn: Burn, p: Prepared): Promise<void> {
  const now = await burn.recorder.media({ refresh: true });
  if (now.presence !== "present") throw presenceError(now.presence)!;
  if (discFingerprint(now) !== p.fingerprint) {
    throw new BurnError(`the disc in the drive is not the one checked before writing (${describeMedia(now).summary}); nothing was written to it`, imapiCode("IMAPI_E_WRONGDISC"), {
      phase: burn.phase,
      discState: describeMedia(now),
      sectorsWritten: 0,
      writeStarted: false,
    });
  }
  burn.mediaChanged = false;
}

function checkAfterWrite(burn: Burn): void {
  if (burn.mediaChanged) {
    throw new BurnError("the drive reported a media change or reset while writing", imapiCode("IMAPI_E_WRONGDISC"), {
      phase: burn.phase,
      discState: { known: false, reason: "read after the failure" },
      sectorsWritten: burn.sectorsWritten,
      writeStarted: true,
    });
  }
}

async function formatMedium(burn: Burn, plan: MediaPlan, media: MediaReport): Promise<void> {
  const rec = burn.recorder;
  burn.writeStarted = true; // formatting changes the disc
  await sendFormatUnit(rec, { type: plan.formatType!, ...(plan.formatSubType !== undefined ? { subType: plan.formatSubType } : {}) }, media.capacityBlocks, burn.signal);
  if (plan.mediaClass === "dvd-plus-rw") return; // background format: writing may start at once
  await waitUntilReady(rec, burn.clock, {
    what: "FORMAT UNIT",
    ...(burn.signal ? { signal: burn.signal } : {}),
    onProgress: (f) => burn.progress({ lba: 0, sectorsDone: Math.round((f ?? 0) * 1000), sectorsTotal: 1000 }, true),
  });
}

async function selectSpeed(burn: Burn, media: MediaReport): Promise<SpeedReport> {
  const rec = burn.recorder;
  const requested = burn.options.speed ?? "max";
  const wantRotation = burn.options.rotation;
  const offered = [...media.writeSpeeds].sort((a, b) => b.kbps - a.kbps);
  const family = familyKey(media.family);
  if (offered.length === 0) {
    if (requested !== "max") burn.warn("speed", "the drive offers no write speeds for this medium; it chooses its own");
    return { requested, ...(wantRotation ? { requestedRotation: wantRotation } : {}), adjustment: imapiCode(requested === "max" ? "S_OK" : "S_IMAPI_SPEEDADJUSTED") };
  }
  if (requested !== "max" && !(typeof requested === "number" && requested > 0)) throw new InvalidArgumentError("speed", `must be a positive multiple of 1x or "max", got ${String(requested)}`);
  const wantKbps = requested === "max" ? Infinity : requested * KBPS_1X[family];
  const exact = offered.find((s) => Math.abs(s.kbps - wantKbps) <= wantKbps * 0.02);
  const chosen = exact ?? offered.find((s) => s.kbps <= wantKbps) ?? offered.at(-1)!;
  const speedAdjusted = requested !== "max" && !exact;
  const rotationAdjusted = wantRotation !== undefined && chosen.rotation !== wantRotation;
  try {
    if (family === "CD") await rec.run(buildSetCdSpeed({ readSpeed: 0xffff, writeSpeed: Math.min(0xffff, chosen.kbps), rotationalControl: chosen.rotation === "cav" ? "pureCav" : "clv" }));
    else {
      const end = Math.max(0, media.capacityBlocks - 1);
      await rec.run(buildSetStreaming({}, streamDescriptor(0, end, chosen.kbps, chosen.rotation === "cav")));
    }
  } catch (e) {
    if (!(e instanceof ScsiCheckConditionError)) throw e;
    // A speed the caller asked for and the drive refuses: IMAPI's speed mismatch. With "max" the
    // drive's own choice is fine.
    if (requested !== "max") throw e;
    burn.warn("speed", `the drive refused the speed setting (${e.message}); it writes at its own speed`);
  }
  const name: ImapiCodeName = speedAdjusted && rotationAdjusted ? "S_IMAPI_BOTHADJUSTED" : speedAdjusted ? "S_IMAPI_SPEEDADJUSTED" : rotationAdjusted ? "S_IMAPI_ROTATIONADJUSTED" : "S_OK";
  if (name !== "S_OK") burn.warn("speed-adjusted", `requested ${requested === "max" ? "max" : `${requested}x`}${wantRotation ? ` ${wantRotation}` : ""}; writing at ${chosen.x}x ${chosen.rotation} (${name})`);
  return {
    requested,
    ...(wantRotation ? { requestedRotation: wantRotation } : {}),
    selectedKbps: chosen.kbps,
    selectedX: chosen.x,
    rotation: chosen.rotation,
    adjustment: imapiCode(name),
  };
}

interface StreamOutcome {
  bufeEngagements: number;
  starvations: number;
  source: SourceReport;
  writeMs: number;
  samples: Map<number, Uint8Array>;
  digests: Buffer[] | undefined;
}

/**
 * Bytes per WRITE on a real drive unless asked otherwise. Each command costs the host a fixed
 * amount (a thread hop and the command path; milliseconds in a slow VM), so small writes cap the
 * rate: at BD 12x (54 MB/s) a 64 KiB WRITE is 1.2 ms of drive time. 256 KiB is well inside every
 * drive buffer and is cut to the device's own transfer limit (sysfs, BLKSECTGET).
 */
const DRIVE_WRITE_BYTES = 256 * 1024;
/** Default pacing: one READ BUFFER CAPACITY per about this many bytes written, at most every 4 writes. */
const PACE_BYTES = 1024 * 1024;

function defaultPaceEvery(unitBlocks: number): number {
  return Math.max(4, Math.round(PACE_BYTES / (unitBlocks * SECTOR)));
}

function defaultWriteBlocks(recorder: Recorder, eccBlock: number, requested: number | undefined): number {
  const max = Math.floor(Math.min(recorder.transport.maxTransferBytes, 0xffff * SECTOR) / SECTOR);
  const want = requested ?? Math.min(max, recorder.path.startsWith("emu:") ? 512 : DRIVE_WRITE_BYTES / SECTOR);
  if (!(Number.isInteger(want) && want > 0)) throw new InvalidArgumentError("writeBlocks", "must be a positive whole number of sectors");
  const aligned = Math.floor(Math.min(want, max) / eccBlock) * eccBlock;
  return Math.max(eccBlock, aligned);
}

/** Chooses the sectors quick verification reads: first, last and evenly spread ones in between. */
function sampleLbas(ranges: readonly BlockRange[], count: number): Set<number> {
  const all = ranges.reduce((n, r) => n + r.length, 0);
  const picks = new Set<number>();
  const at = (k: number): number => {
    let left = k;
    for (const r of ranges) {
      if (left < r.length) return r.start + left;
      left -= r.length;
    }
    return ranges.at(-1)!.start + ranges.at(-1)!.length - 1;
  };
  if (all === 0) return picks;
  picks.add(at(0));
  picks.add(at(all - 1));
  for (let i = 1; i <= count; i++) picks.add(at(Math.floor((i * all) / (count + 1))));
  return picks;
}

/** The host ring, filled from the source (or its stash) before the first WRITE. */
interface Feed {
  readonly ring: HostRing;
  readonly pump: Promise<void>;
  readonly prefillBytes: number;
  readonly prefillRate: number;
  readonly decision: { event: Extract<BurnEvent, { type: "source-rate" }> } | undefined;
  readonly staged: SourceReport["staged"];
}

/**
 * Fills the host ring, timing the source on the way; when it cannot keep up and an underrun
 * would ruin the disc, diverts it into a stash (the ring's bytes first, so a one-pass source is
 * read once) and fills the ring again from there.
 */
async function fillRing(burn: Burn, p: Prepared, s: { bufe: boolean; rate: number | undefined }): Promise<Feed> {
  const clock = burn.clock;
  const ringBytes = burn.options.bufferBytes ?? 16 * MIB;
  let ring = new HostRing(ringBytes, burn.source.byteLength, () => clock.now());
  let pump = ring.pump(burn.source.open());
  const fill = async (): Promise<void> => {
    const target = Math.min(ring.capacity, burn.source.byteLength);
    while (!ring.ready(target)) {
      burn.checkCancelled();
      await ring.waitFor(target, () => clock.sleep(2, burn.signal));
      await yieldToEventLoop();
    }
  };
  try {
    await fill();
    const prefillBytes = ring.bytesProduced;
    const prefillRate = ring.sourceBytesPerSecond;
    const decision = stagingDecision(burn, p, s, ring);
    let staged: SourceReport["staged"];
    if (decision) {
      burn.emit(decision.event);
      if (decision.event.decision === "stage") {
        const t0 = clock.now();
        const first = ring;
        const rest: BurnSource = {
          byteLength: burn.source.byteLength,
          repeatable: false,
          description: burn.source.description ?? "stream",
          ...(burn.source.startLba !== undefined ? { startLba: burn.source.startLba } : {}),
          ...(burn.source.changedRanges ? { changedRanges: burn.source.changedRanges } : {}),
          open: () => first.drain(() => clock.sleep(2, burn.signal)),
        };
        const dir = burn.options.stageWhenSlow ? burn.options.stageWhenSlow.dir : undefined;
        burn.stash = await stageImage(rest, { ...(dir !== undefined ? { dir } : {}), ...(burn.signal ? { signal: burn.signal } : {}) });
        await pump;
        staged = { path: burn.stash.path, bytes: burn.stash.byteLength, ms: clock.now() - t0 };
        burn.emit({ type: "staged", at: "before-first-write", ...staged });
        ring = new HostRing(ringBytes, burn.source.byteLength, () => clock.now());
        pump = ring.pump(burn.stash.open());
        await fill();
      }
    }
    return { ring, pump, prefillBytes, prefillRate, decision, staged };
  } catch (e) {
    ring.stop();
    await pump;
    throw e;
  }
}

async function streamToDrive(burn: Burn, p: Prepared, s: { bufe: boolean; rate: number | undefined }, feed: Feed): Promise<StreamOutcome> {
  const rec = burn.recorder;
  const o = burn.options;
  const clock = burn.clock;
  const unit = defaultWriteBlocks(rec, p.plan.eccBlock, o.writeBlocks);
  const { ring, pump } = feed;
  const verifyMode = o.simulate ? "none" : (o.verify ?? "quick");
  const written = [...p.ranges, ...p.deferred].sort((a, b) => a.start - b.start);
  const samples = new Map<number, Uint8Array>();
  const sampleSet = verifyMode === "quick" ? sampleLbas(written.map((r) => ({ start: r.start, length: Math.min(r.length, p.startLba + p.sectors - r.start) })).filter((r) => r.length > 0), o.quickVerifySamples ?? 64) : new Set<number>();
  const digests = verifyMode === "full" && !burn.source.repeatable ? new Array<Buffer>(p.sectors) : undefined;
  const held: { lba: number; data: Uint8Array }[] = [];
  const useWrite12 = o.streaming === true && familyKey(p.media.family) === "BD";
  const paceEvery = o.paceEveryWrites ?? defaultPaceEvery(unit);
  const high = o.highWatermark ?? 0.9;
  const low = o.lowWatermark ?? 0.5;
  let bufeEngagements = 0;
  let writesSinceCheck = 0;
  let starvedSinceWrite = false;
  // The drive was seen holding data since the last time it was seen empty.
  let sawFill = false;
  const writeStart = clock.now();
  const total = [...p.ranges, ...p.deferred].reduce((n, r) => n + r.length, 0);
  let driveFill: number | undefined;
  const { prefillBytes, prefillRate, decision, staged } = feed;
  const sourceReport = (r: HostRing): SourceReport => ({
    prefillBytes,
    ...(Number.isFinite(prefillRate) ? { prefillBytesPerSecond: prefillRate } : {}),
    ...(staged ? { staged } : Number.isFinite(r.sourceBytesPerSecond) ? { bytesPerSecond: r.sourceBytesPerSecond } : {}),
    longestStallMs: staged ? Math.max(r.longestWaitMs, decision?.event.longestStallMs ?? 0) : r.longestWaitMs,
    starvations: r.starvations,
  });
  let streamLba = p.startLba; // next sector the source yields
  const streamEnd = p.startLba + p.sectors;

  const send = async (lba: number, data: Uint8Array): Promise<void> => {
    const blocks = data.length / SECTOR;
    burn.checkCancelled();
    if (starvedSinceWrite && burn.writeStarted) {
      // After the source stalled, see whether the drive ran dry (BUFE had to link).
      const b = await readBufferCapacity(rec);
      if (b) {
        driveFill = b.fill;
        if (b.fill === 0 && sawFill) {
          sawFill = false;
          bufeEngagements++;
          if (!s.bufe) burn.warn("buffer-empty", `the drive buffer ran empty at LBA ${lba} and buffer underrun protection is off`);
        }
      }
      starvedSinceWrite = false;
    } else if (++writesSinceCheck >= paceEvery) {
      writesSinceCheck = 0;
      const b = await readBufferCapacity(rec);
      if (b) {
        driveFill = b.fill;
        if (b.fill > 0) sawFill = true;
        if (b.fill > high && s.rate) {
          // Let the drive drain to the low watermark instead of blocking inside WRITE.
          await clock.sleep(Math.max(1, ((b.fill - low) * b.capacityBytes * 1000) / s.rate), burn.signal);
        }
      }
    }
    const request = useWrite12 ? buildWrite12({ lba, transferLength: blocks, streaming: true }, data) : buildWrite10({ lba, transferLength: blocks }, data);
    burn.writeStarted = true;
    await rec.run(request, { retryBudgetMs: 60_000, ...(burn.signal ? { signal: burn.signal } : {}) });
    if (burn.mediaChanged) checkAfterWrite(burn);
    burn.sectorsWritten += blocks;
    const elapsed = clock.now() - writeStart;
    const bps = elapsed > 0 ? (burn.sectorsWritten * SECTOR * 1000) / elapsed : undefined;
    const remaining = total - burn.sectorsWritten;
    const rate = bps ?? s.rate;
    burn.progress(
      {
        lba: lba + blocks,
        sectorsDone: burn.sectorsWritten,
        sectorsTotal: total,
        ringFill: ring.fill,
        ...(driveFill !== undefined ? { driveBufferFill: driveFill } : {}),
        ...(bps !== undefined ? { bytesPerSecond: bps, speedX: bps / bytesPerSecondAt(KBPS_1X[familyKey(p.media.family)], p.media.family) } : {}),
        bufeEngagements,
        ...(rate ? { remainingMs: (remaining * SECTOR * 1000) / rate, expectedMs: elapsed + (remaining * SECTOR * 1000) / rate } : {}),
      },
      remaining === 0,
    );
  };

  /** Next `blocks` sectors of the stream (waits on the ring; counts starvations). */
  const next = async (blocks: number): Promise<Uint8Array> => {
    const bytes = blocks * SECTOR;
    while (!ring.ready(bytes)) {
      if (!starvedSinceWrite && burn.writeStarted) ring.starvations++;
      starvedSinceWrite = burn.writeStarted;
      burn.checkCancelled();
      await ring.waitFor(bytes, () => clock.sleep(2, burn.signal));
      await yieldToEventLoop();
    }
    const data = ring.take(bytes);
    if (data.length !== bytes) throw ring.error ?? new InvalidArgumentError("source", "the stream ended early");
    for (let i = 0; i < blocks; i++) {
      const lba = streamLba + i;
      if (sampleSet.has(lba)) samples.set(lba, data.slice(i * SECTOR, (i + 1) * SECTOR));
      if (digests) digests[lba - p.startLba] = createHash("md5").update(data.subarray(i * SECTOR, (i + 1) * SECTOR)).digest();
    }
    streamLba += blocks;
    return data;
  };

  try {
    // Walk the stream in order; write what is in a range, hold the deferred area, skip the rest.
    const inRange = (lba: number, list: readonly BlockRange[]) => list.find((r) => lba >= r.start && lba < r.start + r.length);
    const nextBoundary = (lba: number): number => {
      let b = streamEnd;
      for (const r of [...p.ranges, ...p.deferred]) {
        if (r.start > lba) b = Math.min(b, r.start);
        if (r.start + r.length > lba) b = Math.min(b, Math.max(lba + 1, r.start + r.length));
      }
      return b;
    };
    while (streamLba < streamEnd) {
      const lba = streamLba;
      const limit = nextBoundary(lba);
      const r = inRange(lba, p.ranges);
      const d = r ? undefined : inRange(lba, p.deferred);
      const blocks = Math.min(unit, limit - lba, streamEnd - lba);
      const data = await next(blocks);
      if (r) await send(lba, data);
      else if (d) held.push({ lba, data: data.slice() });
    }
    // Padding to the ECC block on sequential media.
    const padding = p.plan.sequential ? p.paddedSectors - p.sectors : 0;
    if (padding > 0) await send(streamEnd, new Uint8Array(padding * SECTOR));
    // The volume descriptors last (growing a file system in place).
    for (const h of held) await send(h.lba, h.data);
    if (ring.error) throw ring.error;
  } finally {
    ring.stop();
    await pump;
  }
  return { bufeEngagements, starvations: ring.starvations, source: sourceReport(ring), writeMs: clock.now() - writeStart, samples, digests };
}

/**
 * After the ring is full: does the source keep up with the chosen speed, and if not, is the disc
 * at risk? Undefined when there is nothing to decide (the whole stream is already in the ring).
 */
function stagingDecision(burn: Burn, p: Prepared, s: { bufe: boolean; rate: number | undefined }, ring: HostRing): { event: Extract<BurnEvent, { type: "source-rate" }> } | undefined {
  if (ring.bytesProduced >= burn.source.byteLength) return undefined;
  // With no speed offered, the medium's 1x is the least the drive can take.
  const need = s.rate ?? bytesPerSecondAt(KBPS_1X[familyKey(p.media.family)], p.media.family);
  const measured = ring.sourceBytesPerSecond;
  const stall = ring.longestWaitMs;
  // A stall longer than half of what the ring covers at the drive's rate would drain it.
  const coverMs = (ring.capacity / need) * 1000;
  const slowRate = measured < need * 1.2;
  const slowStall = stall > coverMs / 2;
  const unprotected = !s.bufe && p.plan.sequential;
  const enabled = burn.options.stageWhenSlow !== undefined && burn.options.stageWhenSlow !== false;
  const mb = (x: number) => (Number.isFinite(x) ? `${(x / 1e6).toFixed(1)} MB/s` : "without waiting");
  const figures = `the source delivers ${mb(measured)} (longest stall ${Math.round(stall)} ms), the drive takes ${mb(need)}`;
  let reason: string;
  let stage = false;
  if (!slowRate && !slowStall) reason = `${figures}: it keeps up`;
  else if (!unprotected) reason = `${figures}: ${p.plan.sequential ? "buffer underrun protection covers the gaps" : "the medium is not sequential; the drive waits for data"}`;
  else if (!enabled) {
    reason = `${figures} and buffer underrun protection is off: staging while writing is not enabled`;
    burn.warn("source-slow", `${figures} and buffer underrun protection is off; the burn may lose streaming`);
  } else {
    stage = true;
    reason = `${figures} and buffer underrun protection is off: staging the image to a temporary file before the first write`;
  }
  return {
    event: {
      type: "source-rate",
      at: "before-first-write",
      decision: stage ? "stage" : "direct",
      measuredBytesPerSecond: measured,
      neededBytesPerSecond: need,
      longestStallMs: stall,
      sampledBytes: ring.bytesProduced,
      reason,
    },
  };
}

function checkRecorded(burn: Burn, p: Prepared, after: MediaReport, o: WriteOptions, closed: BurnResult["closed"]): void {
  const fail = (why: string) => {
    throw new BurnError(`the disc does not hold what was written: ${why}`, imapiCode("E_IMAPI_BURN_VERIFICATION_FAILED"), {
      phase: "finalizing",
      discState: describeMedia(after),
      sectorsWritten: burn.sectorsWritten,
      writeStarted: true,
    });
  };
  if (after.presence !== "present") fail(`the drive reports ${after.presence}`);
  if (o.simulate) {
    if (discFingerprint(after) !== p.fingerprint) fail(`a simulated burn changed the disc (${describeMedia(after).summary})`);
    return;
  }
  if (!p.plan.sequential) {
    const end = Math.max(...[...p.ranges, ...p.deferred].map((r) => r.start + r.length));
    if (after.capacityBlocks < end) fail(`capacity ${after.capacityBlocks} is less than the end of the data (${end})`);
    return;
  }
  const track = after.sessions.flatMap((s) => s.tracks).find((t) => t.start === p.startLba);
  if (!track) fail(`no track starts at LBA ${p.startLba}`);
  const recorded = track!.state === "complete" ? track!.size : (track!.lastRecordedAddress ?? track!.nextWritableAddress ?? track!.start) - track!.start + (track!.lastRecordedAddress !== undefined ? 1 : 0);
  if (recorded < p.sectors) fail(`track ${track!.number} holds ${recorded} sectors, ${p.sectors} were written`);
  if (track!.state === "damaged") fail(`track ${track!.number} is damaged`);
  if (o.close && after.status !== "complete") fail(`the disc should be closed but is ${after.status}`);
  if (!o.close && closed !== "none" && after.status === "complete") burn.warn("closed", "the drive closed the disc (no room for another session)");
}

async function verify(burn: Burn, p: Prepared, s: StreamOutcome): Promise<VerificationReport> {
  const mode = burn.options.verify ?? "quick";
  if (mode === "none") return { mode, sectorsChecked: 0, differingSectors: [], unreadableSectors: [], passed: true };
  burn.enter("verifying");
  const rec = burn.recorder;
  const differing: number[] = [];
  const unreadable: number[] = [];
  let checked = 0;
  const readBlocks = Math.max(1, Math.floor(Math.min(rec.transport.maxTransferBytes, 64 * 32 * SECTOR) / SECTOR));
  const read = async (lba: number, blocks: number): Promise<Uint8Array | undefined> => {
    try {
      return (await rec.run(buildRead10({ lba, transferLength: blocks }), burn.signal ? { signal: burn.signal } : {})).data;
    } catch (e) {
      if (e instanceof ScsiCheckConditionError) return undefined;
      throw e;
    }
  };
  const compare = (lba: number, got: Uint8Array | undefined, want: Uint8Array | Buffer, offset = 0) => {
    checked++;
    if (!got) {
      if (unreadable.length < 1000) unreadable.push(lba);
      return;
    }
    const g = got.subarray(offset, offset + SECTOR);
    const same = want.length === 16 ? createHash("md5").update(g).digest().equals(want as Buffer) : Buffer.from(g.buffer, g.byteOffset, g.byteLength).equals(Buffer.from(want.buffer, want.byteOffset, want.byteLength));
    if (!same && differing.length < 1000) differing.push(lba);
  };
  const written = [...p.ranges, ...p.deferred].map((r) => ({ start: r.start, length: Math.min(r.length, p.startLba + p.sectors - r.start) })).filter((r) => r.length > 0);
  const total = written.reduce((n, r) => n + r.length, 0);
  if (mode === "quick") {
    const lbas = [...s.samples.keys()].sort((a, b) => a - b);
    for (const lba of lbas) {
      burn.checkCancelled();
      compare(lba, await read(lba, 1), s.samples.get(lba)!);
      burn.progress({ lba, sectorsDone: checked, sectorsTotal: lbas.length });
    }
  } else if (s.digests) {
    for (const r of written) {
      for (let lba = r.start; lba < r.start + r.length; lba += readBlocks) {
        burn.checkCancelled();
        const n = Math.min(readBlocks, r.start + r.length - lba);
        const got = await read(lba, n);
        for (let i = 0; i < n; i++) compare(lba + i, got, s.digests[lba + i - p.startLba]!, i * SECTOR);
        burn.progress({ lba, sectorsDone: checked, sectorsTotal: total });
      }
    }
  } else {
    // Full: read the source again (its stash, when it was staged: the same bytes, from a file
    // that keeps up) and compare every written sector byte for byte.
    const again = burn.stash ?? burn.source;
    const ring = new HostRing(8 * MIB, again.byteLength);
    const pump = ring.pump(again.open());
    try {
      let lba = p.startLba;
      const end = p.startLba + p.sectors;
      while (lba < end) {
        burn.checkCancelled();
        const r = written.find((x) => lba >= x.start && lba < x.start + x.length);
        const nextStart = r ? Math.min(r.start + r.length, end) : Math.min(end, ...written.filter((x) => x.start > lba).map((x) => x.start));
        const n = Math.min(readBlocks, nextStart - lba);
        while (!ring.ready(n * SECTOR)) await ring.waitFor(n * SECTOR, yieldToEventLoop);
        const want = ring.take(n * SECTOR);
        if (ring.error) throw ring.error;
        if (r) {
          const got = await read(lba, n);
          for (let i = 0; i < n; i++) compare(lba + i, got, want.subarray(i * SECTOR, (i + 1) * SECTOR), i * SECTOR);
          burn.progress({ lba, sectorsDone: checked, sectorsTotal: total });
        }
        lba += n;
      }
    } finally {
      ring.stop();
      await pump;
    }
  }
  return { mode, sectorsChecked: checked, differingSectors: differing, unreadableSectors: unreadable, passed: differing.length === 0 && unreadable.length === 0 };
}
