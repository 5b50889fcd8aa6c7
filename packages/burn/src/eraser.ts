/**
 * Eraser: IMAPI's IDiscFormat2Erase. BLANK (quick = minimal, full) for CD-RW and DVD-RW; FORMAT
 * UNIT for DVD+RW, BD-RE and DVD-RAM; progress from the sense-key specific progress indication
 * while the drive works (IMMED + TEST UNIT READY polling); cancellable where the drive allows it
 * (DVD+RW / BD-RE formatting stops with CLOSE function 000b; a BLANK runs to its end inside the
 * drive, and the result says so). Nothing is ever erased except through this explicit call.
 */
import type { MediaReport, Recorder } from "@discforge/drive";
import { CancelledError, imapiCode, isDiscforgeError } from "@discforge/errors";
import {
  buildBlank,
  buildCloseTrackSession,
  buildTestUnitReady,
  buildWrite10,
} from "@discforge/mmc";
import { BurnCancelledError, BurnError, PreflightError } from "./errors.js";
import type { BurnEvent, BurnEventListener, BurnPhase } from "./events.js";
import { describeDisc, describeMedia, type DiscDescription } from "./disc-state.js";
import { realClock, type BurnClock } from "./clock.js";
import { sendFormatUnit, waitUntilReady } from "./drive-ops.js";
import { mediaClassOf } from "./media-plan.js";

export interface EraseOptions {
  /** Full erase (BLANK full / full format); default quick. */
  readonly full?: boolean;
  readonly signal?: AbortSignal;
  readonly onEvent?: BurnEventListener;
  readonly clock?: BurnClock;
  readonly clientName?: string;
  readonly ejectAfterErase?: boolean;
}

export type EraseMethod = "blank-minimal" | "blank-full" | "format-quick" | "format-full" | "overwrite-ends";

export interface EraseResult {
  readonly media: string;
  readonly method: EraseMethod;
  readonly discState: DiscDescription;
  readonly elapsedMs: number;
  readonly ejected: boolean;
}

const ERASE_ENDS_BYTES = 2 * 1024 * 1024;

export class Eraser {
  constructor(readonly recorder: Recorder) {}

  async erase(options: EraseOptions = {}): Promise<EraseResult> {
    const rec = this.recorder;
    const clock = options.clock ?? realClock;
    const started = clock.now();
    let phase: BurnPhase = "validating-media";
    let began = false;
    const emit = (e: BurnEvent) => {
      try {
        options.onEvent?.(e);
      } catch {
        // listeners cannot break an erase
      }
    };
    const enter = (p: BurnPhase) => {
      phase = p;
      emit({ type: "phase", phase: p, elapsedMs: clock.now() - started });
    };
    const clientName = options.clientName ?? "discforge";
    let acquired = false;
    try {
      enter("validating-media");
      const owner = await rec.exclusiveAccessOwner();
      if (!(owner && owner.clientName === clientName && owner.pid === process.pid)) {
        await rec.acquireExclusiveAccess(clientName);
        acquired = true;
      }
      const media = await rec.media({ refresh: true });
      if (media.presence === "not-ready" || media.presence === "unreadable") await rec.run(buildTestUnitReady());
      if (media.presence !== "present") throw new PreflightError("there is no disc in the drive", "E_IMAPI_RECORDER_MEDIA_NO_MEDIA");
      const caps = await rec.capabilities();
      if (!caps.writableProfiles.some((w) => w.profile === media.profile || (media.profile === 0x13 && w.profile === 0x14))) {
        throw new PreflightError(`this drive cannot erase ${media.profileName}`, "E_IMAPI_ERASE_RECORDER_NOT_SUPPORTED");
      }
      if (media.writeProtected) throw new PreflightError(`the ${media.profileName} disc is write protected`, "E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED");
      const method = methodFor(media, options.full === true);
      if (!method) throw new PreflightError(`${media.profileName} cannot be erased`, "E_IMAPI_ERASE_MEDIA_IS_NOT_ERASABLE");

      enter("formatting");
      began = true;
      const onProgress = (f: number | undefined) => emit({ type: "progress", phase: "formatting", elapsedMs: clock.now() - started, lba: 0, sectorsDone: Math.round((f ?? 0) * 1000), sectorsTotal: 1000 });
      const waitOptions = { what: "erase", onProgress, ...(options.signal ? { signal: options.signal } : {}), limitMs: 3 * 3600_000 };
      switch (method.kind) {
        case "blank":
          await rec.run(buildBlank({ blankingType: method.type, immed: true }), { retryBudgetMs: 60_000 });
          await waitUntilReady(rec, clock, waitOptions);
          break;
        case "format": {
          await sendFormatUnit(rec, { type: method.type, subType: method.subType }, media.capacityBlocks);
          await waitUntilReady(rec, clock, waitOptions);
          break;
        }
        case "overwrite": {
          // DVD+RW quick erase: the file system's anchors live in the first and last 2 MiB.
          const zeros = new Uint8Array(32 * 2048);
          const ends = [0, Math.max(0, media.capacityBlocks - ERASE_ENDS_BYTES / 2048)];
          let done = 0;
          for (const start of ends) {
            for (let lba = start; lba < start + ERASE_ENDS_BYTES / 2048 && lba < media.capacityBlocks; lba += 32) {
              if (options.signal?.aborted) throw new CancelledError("erase cancelled", { cause: options.signal.reason });
              const n = Math.min(32, media.capacityBlocks - lba);
              await rec.run(buildWrite10({ lba, transferLength: n }, zeros.subarray(0, n * 2048)));
              done += n;
              onProgress(done / ((ERASE_ENDS_BYTES / 2048) * 2));
            }
          }
          break;
        }
      }
      const after = await rec.media({ refresh: true });
      let ejected = false;
      if (options.ejectAfterErase) {
        await rec.eject();
        ejected = true;
      }
      enter("completed");
      return { media: media.profileName, method: method.name, discState: describeMedia(after), elapsedMs: clock.now() - started, ejected };
    } catch (e) {
      const cancelled = e instanceof CancelledError || options.signal?.aborted === true;
      let note = "";
      if (cancelled && began) {
        // Formatting of DVD+RW / BD-RE can be stopped; a BLANK cannot, the drive finishes it.
        try {
          const m = await rec.media({ refresh: true, retryBudgetMs: 0 });
          const cls = mediaClassOf(m.profile);
          if (cls === "dvd-plus-rw" || cls === "bd-re") await rec.run(buildCloseTrackSession({ closeFunction: "stopBackgroundFormatQuick" }), { retryBudgetMs: 5000 });
        } catch {
          note = "; the drive is still busy erasing and finishes on its own";
        }
      }
      const discState = await describeDisc(rec);
      const detail = { phase, discState, sectorsWritten: 0, writeStarted: began };
      if (cancelled) throw new BurnCancelledError(`erase cancelled${note}`, detail, { cause: e });
      const imapi = isDiscforgeError(e) && e.imapi ? e.imapi : imapiCode("E_IMAPI_ERASE_UNEXPECTED_DRIVE_RESPONSE_DURING_ERASE");
      throw new BurnError(e instanceof PreflightError ? e.message.replace(/ \[[A-Z_0-9]+\]$/, "") : `erase failed: ${(e as Error).message}`, imapi, detail, { cause: e });
    } finally {
      if (acquired) await rec.releaseExclusiveAccess().catch(() => undefined);
    }
  }
}

type Method = { name: EraseMethod } & ({ kind: "blank"; type: "minimal" | "full" } | { kind: "format"; type: number; subType: number } | { kind: "overwrite" });

function methodFor(media: MediaReport, full: boolean): Method | undefined {
  switch (mediaClassOf(media.profile)) {
    case "cd":
    case "dvd-dash":
    case "dvd-rw-ro":
      if (media.profile === 0x09 || media.profile === 0x11 || media.profile === 0x15 || media.profile === 0x16) return undefined; // write-once
      return full ? { name: "blank-full", kind: "blank", type: "full" } : { name: "blank-minimal", kind: "blank", type: "minimal" };
    case "dvd-plus-rw":
      return full ? { name: "format-full", kind: "format", type: 0x26, subType: 0 } : { name: "overwrite-ends", kind: "overwrite" };
    case "bd-re":
      // 30h with spare areas: sub-type 10b full certification, 11b quick certification.
      return full ? { name: "format-full", kind: "format", type: 0x30, subType: 2 } : { name: "format-quick", kind: "format", type: 0x30, subType: 3 };
    case "dvd-ram":
      return full ? { name: "format-full", kind: "format", type: 0x00, subType: 0 } : { name: "format-quick", kind: "format", type: 0x01, subType: 0 };
    default:
      return undefined;
  }
}
