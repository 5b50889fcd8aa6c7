/**
 * The one typed event stream of a burn or an erase: IMAPI's IMAPI_FORMAT2_DATA_WRITE_ACTION phases
 * (validating media, formatting, initializing hardware, calibrating power, writing data,
 * finalizing, verifying, completed) with times, position, buffer fills, speed and warnings.
 */
export const BURN_PHASES = [
  "validating-media",
  "formatting",
  "initializing-hardware",
  "calibrating-power",
  "writing",
  "finalizing",
  "verifying",
  "completed",
] as const;
export type BurnPhase = (typeof BURN_PHASES)[number];

export interface BurnTimes {
  /** Since the operation started. */
  readonly elapsedMs: number;
  /** Estimated time left in the current phase, when known. */
  readonly remainingMs?: number;
  /** Estimated duration of the current phase, when known. */
  readonly expectedMs?: number;
}

export type BurnEvent =
  | ({ readonly type: "phase"; readonly phase: BurnPhase } & BurnTimes)
  | ({
      readonly type: "progress";
      readonly phase: BurnPhase;
      /** Address the next write goes to (writing) or the sector being read (verifying). */
      readonly lba: number;
      readonly sectorsDone: number;
      readonly sectorsTotal: number;
      /** Host ring buffer fill 0..1 (writing only). */
      readonly ringFill?: number;
      /** Drive buffer fill 0..1 from READ BUFFER CAPACITY (writing only, when known). */
      readonly driveBufferFill?: number;
      /** Average user-data rate of the phase so far, bytes per second. */
      readonly bytesPerSecond?: number;
      /** The same as a multiple of the medium's 1x. */
      readonly speedX?: number;
      /** Times the drive's buffer underrun protection had to link (or the buffer ran dry). */
      readonly bufeEngagements?: number;
    } & BurnTimes)
  | { readonly type: "warning"; readonly code: string; readonly message: string }
  | SourceRateEvent
  | StagedEvent;

/** Where a staging decision was taken. */
export type StagingPoint =
  /** recordDisc, before the burn: a measured sample of a repeatable source, or a full verify of a one-pass one. */
  | "before-burn"
  /** recordDisc, before the burn: what an earlier burn of the same source measured. */
  | "remembered"
  /** The writer, after filling its host ring and before the first WRITE. */
  | "before-first-write";

/** A staging decision with the figures it rests on. */
export interface SourceRateEvent {
  readonly type: "source-rate";
  readonly at: StagingPoint;
  readonly decision: "stage" | "direct";
  /** The source's rate, bytes per second (Infinity: it never made the reader wait). */
  readonly measuredBytesPerSecond: number;
  /** What the chosen write speed takes from the source, bytes per second (when known). */
  readonly neededBytesPerSecond?: number;
  /** The longest single wait for the source, ms (measured while filling the ring). */
  readonly longestStallMs?: number;
  /** Bytes the measurement rests on. */
  readonly sampledBytes: number;
  readonly reason: string;
}

/** The image is in the stash; burning continues from it. */
export interface StagedEvent {
  readonly type: "staged";
  readonly at: StagingPoint;
  readonly path: string;
  readonly bytes: number;
  readonly ms: number;
}

export type BurnEventListener = (event: BurnEvent) => void;
