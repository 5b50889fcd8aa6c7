/**
 * Sense classification, as data: (sense key, ASC, ASCQ) patterns -> category, action and a line
 * a person can act on. First matching row wins; rows go from specific to general and the last
 * rows catch every sense key, so every sense has a class.
 *
 * Meanings follow SPC-4 4.5.6 (sense keys), the T10 ASC/ASCQ list and MMC-6 (4.x "error
 * reporting", annex F: the sense codes MMC drives report and when). Actions are those of a
 * careful burner (libburn, IMAPI): wait and retry what the drive says will pass, re-read the
 * medium after it changed, never retry a write that may have reached the disc.
 */
import { SENSE_KEY } from "./sense-keys.js";

export const SENSE_CATEGORIES = [
  "no-sense",
  "recovered",
  "completed",
  "not-ready",
  "becoming-ready",
  "format-in-progress",
  "long-write-in-progress",
  "operation-in-progress",
  "manual-intervention-required",
  "medium-absent",
  "medium-changed",
  "power-on-reset",
  "parameters-changed",
  "operating-conditions-changed",
  "operator-request",
  "power-condition-change",
  "unit-attention",
  "illegal-request",
  "invalid-opcode",
  "invalid-field",
  "invalid-parameter",
  "lba-out-of-range",
  "invalid-address-for-write",
  "command-sequence-error",
  "illegal-track-mode",
  "copy-protection",
  "incompatible-medium",
  "medium-not-formatted",
  "no-reference-position",
  "end-of-user-area",
  "medium-error",
  "write-error",
  "loss-of-streaming",
  "toc-unreadable",
  "session-fixation-error",
  "power-calibration-error",
  "hardware-error",
  "command-timeout",
  "write-protected",
  "data-protect",
  "blank-check",
  "miscompare",
  "aborted",
  "copy-aborted",
  "volume-overflow",
  "vendor-specific",
  "reserved-key",
] as const;
export type SenseCategory = (typeof SENSE_CATEGORIES)[number];

/**
 * What the caller should do:
 * - continue: the command succeeded (recovered error, informational sense);
 * - retry: send the same command again after `delayMs`, at most `maxAttempts` more times;
 * - reread-media-state: the drive or medium changed; re-read disc/track information (and
 *   re-send mode pages) before retrying;
 * - fail: report the error.
 */
export type SenseActionKind = "continue" | "retry" | "reread-media-state" | "fail";

export interface SenseAction {
  readonly kind: SenseActionKind;
  /** For retry: wait this long first. */
  readonly delayMs?: number;
  /** For retry: how many more tries are reasonable before giving up. */
  readonly maxAttempts?: number;
}

export interface SenseClassRow {
  /** Sense keys this row applies to; undefined = any key. */
  readonly keys?: readonly number[];
  /** ASC; undefined = any. */
  readonly asc?: number;
  /** ASCQ or inclusive [first, last]; undefined = any. */
  readonly ascq?: number | readonly [number, number];
  readonly category: SenseCategory;
  readonly action: SenseAction;
  /** What to do, for people. */
  readonly advice: string;
}

const K = SENSE_KEY;
const CONTINUE: SenseAction = { kind: "continue" };
const FAIL: SenseAction = { kind: "fail" };
const REREAD: SenseAction = { kind: "reread-media-state" };
const retry = (delayMs: number, maxAttempts: number): SenseAction => ({ kind: "retry", delayMs, maxAttempts });

export const SENSE_CLASS_ROWS: readonly SenseClassRow[] = [
  // Success with a note.
  { keys: [K.recoveredError], category: "recovered", action: CONTINUE, advice: "The drive recovered from an error by itself; nothing to do. Many of these on one disc mean the disc or drive is degrading." },
  { keys: [K.completed], category: "completed", action: CONTINUE, advice: "The command completed; nothing to do." },

  // Medium absent (MMC: NOT READY 3A/xx).
  { asc: 0x3a, ascq: 0x01, category: "medium-absent", action: FAIL, advice: "No disc: the tray is closed but empty. Insert a disc." },
  { asc: 0x3a, ascq: 0x02, category: "medium-absent", action: FAIL, advice: "No disc: the tray is open. Put a disc in and close the tray." },
  { asc: 0x3a, category: "medium-absent", action: FAIL, advice: "No disc in the drive. Insert one and try again." },

  // Not ready, transient (04/xx).
  { asc: 0x04, ascq: 0x01, category: "becoming-ready", action: retry(1000, 60), advice: "The drive is spinning up or reading the new disc; wait a few seconds and try again." },
  { asc: 0x04, ascq: 0x04, category: "format-in-progress", action: retry(2000, 3600), advice: "The disc is being formatted; wait for the format to finish (progress is in the sense data)." },
  { asc: 0x04, ascq: 0x07, category: "operation-in-progress", action: retry(1000, 7200), advice: "The drive is busy with a long operation (blanking, closing a session); wait for it to finish." },
  { asc: 0x04, ascq: 0x08, category: "long-write-in-progress", action: retry(500, 2400), advice: "The drive is still writing buffered data; wait and try again." },
  { asc: 0x04, ascq: 0x09, category: "operation-in-progress", action: retry(1000, 600), advice: "The drive is running a self-test; wait for it to finish." },
  { asc: 0x04, ascq: 0x02, category: "not-ready", action: REREAD, advice: "The drive needs a START STOP UNIT (start) before it accepts media commands." },
  { asc: 0x04, ascq: 0x03, category: "manual-intervention-required", action: FAIL, advice: "The drive needs someone to act on it (reseat the disc, close the tray, power-cycle)." },
  { asc: 0x04, category: "not-ready", action: retry(1000, 10), advice: "The drive is not ready; try again shortly. If it persists, reload the disc." },

  // Unit attention: something changed since the last command.
  { asc: 0x28, category: "medium-changed", action: REREAD, advice: "The disc may have been changed; re-read the disc information before going on." },
  { asc: 0x29, category: "power-on-reset", action: REREAD, advice: "The drive was reset or powered on; its settings were lost. Re-read the disc and set the write parameters again." },
  { asc: 0x2a, category: "parameters-changed", action: REREAD, advice: "Someone else changed the drive's parameters; read them again and re-send ours." },
  { asc: 0x3f, category: "operating-conditions-changed", action: REREAD, advice: "The drive's firmware or operating conditions changed; re-identify the drive and re-read the disc." },
  { asc: 0x5a, category: "operator-request", action: retry(0, 3), advice: "The eject button was pressed or the write-protect switch changed; repeat the command or stop if the user wants the disc out." },
  { asc: 0x5e, category: "power-condition-change", action: retry(0, 3), advice: "The drive changed its power state (idle/standby); repeat the command." },
  { keys: [K.unitAttention], category: "unit-attention", action: retry(0, 3), advice: "The drive reported a change of state; repeat the command." },

  // Writing.
  { asc: 0x0c, ascq: 0x09, category: "loss-of-streaming", action: FAIL, advice: "Buffer underrun: the drive ran out of data. Write at a lower speed, enable buffer underrun protection (BUFE), or read the source from a faster disk." },
  { asc: 0x0c, category: "write-error", action: FAIL, advice: "The drive could not write the disc. Try another disc or a lower speed; the disc may now be unusable." },
  { asc: 0x72, category: "session-fixation-error", action: FAIL, advice: "Closing the session or track failed; the disc may be unreadable in other drives. Try a lower speed or another disc." },
  { asc: 0x73, category: "power-calibration-error", action: FAIL, advice: "Power calibration failed or the calibration area is full; the disc (or this disc brand in this drive) cannot be written further." },
  { asc: 0x63, category: "end-of-user-area", action: FAIL, advice: "The disc is full: the data does not fit in the space left." },
  { asc: 0x64, category: "illegal-track-mode", action: FAIL, advice: "The track's mode does not allow this write (e.g. packet size or data mode mismatch); check the write parameters." },

  // Protection.
  { asc: 0x27, category: "write-protected", action: FAIL, advice: "The disc or drive is write protected; remove the protection or use another disc." },
  { asc: 0x6f, category: "copy-protection", action: FAIL, advice: "Copy protection refused access (CSS/AACS authentication, region code); this data cannot be read without authentication." },
  { keys: [K.dataProtect], category: "data-protect", action: FAIL, advice: "The drive refuses access to this area of the disc." },

  // The request itself.
  { asc: 0x20, ascq: 0x00, category: "invalid-opcode", action: FAIL, advice: "The drive does not support this command." },
  { asc: 0x24, category: "invalid-field", action: FAIL, advice: "The drive rejected a field of the command (the sense data points at it); the request does not suit this drive or disc." },
  { asc: 0x26, category: "invalid-parameter", action: FAIL, advice: "The drive rejected a value in the parameter data sent with the command (the sense data points at it)." },
  { asc: 0x1a, ascq: 0x00, category: "invalid-parameter", action: FAIL, advice: "The parameter data sent with the command has the wrong length." },
  { asc: 0x21, ascq: 0x00, category: "lba-out-of-range", action: FAIL, advice: "The address is beyond the end of the disc or of the recorded area." },
  { asc: 0x21, ascq: [0x02, 0x03], category: "invalid-address-for-write", action: FAIL, advice: "The drive cannot write at this address (not the next writable address, or across a layer jump); re-read the track information." },
  { asc: 0x2c, category: "command-sequence-error", action: FAIL, advice: "The command is not allowed in the drive's current state (e.g. a write before the track was reserved, or after the disc was closed)." },

  // The medium.
  { asc: 0x30, ascq: 0x10, category: "medium-not-formatted", action: FAIL, advice: "The disc must be formatted first." },
  { asc: 0x30, category: "incompatible-medium", action: FAIL, advice: "The drive cannot use this disc for this operation (unknown or unsupported format, wrong disc type, closed session)." },
  { asc: 0x06, ascq: 0x00, category: "no-reference-position", action: FAIL, advice: "The drive cannot find the disc's reference position: the disc may be upside down, blank where data was expected, or damaged." },
  { asc: 0x57, ascq: 0x00, category: "toc-unreadable", action: FAIL, advice: "The table of contents cannot be read; the disc may be damaged or not closed." },
  { asc: 0x1d, category: "miscompare", action: FAIL, advice: "Verification found data that differs from what was written; the disc is not a faithful copy." },

  // Timeouts and transport trouble reported as sense.
  { asc: 0x2e, category: "command-timeout", action: retry(1000, 2), advice: "The drive gave up on the command within its own time limit; try again, and consider a longer timeout." },
  { asc: 0x08, ascq: 0x01, category: "command-timeout", action: retry(1000, 2), advice: "The drive timed out talking to its own mechanism; try again." },
  { asc: 0x47, category: "aborted", action: retry(100, 3), advice: "A transfer error (parity or CRC) between host and drive; retrying usually works. Check the cable or bridge if it repeats." },
  { asc: 0x4b, category: "aborted", action: retry(100, 3), advice: "A data phase error between host and drive; retrying usually works. Check the cable or bridge if it repeats." },

  // Informational sense with key NO SENSE (e.g. REQUEST SENSE polling).
  { keys: [K.noSense], asc: 0x00, ascq: 0x16, category: "operation-in-progress", action: retry(1000, 7200), advice: "An operation is still in progress; wait for it to finish." },
  { keys: [K.noSense], category: "no-sense", action: CONTINUE, advice: "No error to report." },

  // Per sense key, for everything else.
  { keys: [K.notReady], category: "not-ready", action: retry(1000, 10), advice: "The drive is not ready; try again shortly." },
  { keys: [K.mediumError], category: "medium-error", action: FAIL, advice: "The disc could not be read or written at this address: it may be scratched, dirty or badly recorded." },
  { keys: [K.hardwareError], category: "hardware-error", action: FAIL, advice: "The drive reported a hardware fault; power-cycle it, and try another drive if it repeats." },
  { keys: [K.illegalRequest], category: "illegal-request", action: FAIL, advice: "The drive refused the request as invalid for it or for this disc." },
  { keys: [K.blankCheck], category: "blank-check", action: FAIL, advice: "The address holds no recorded data (blank area)." },
  { keys: [K.miscompare], category: "miscompare", action: FAIL, advice: "The data on the disc differs from the data compared against." },
  { keys: [K.abortedCommand], category: "aborted", action: retry(100, 3), advice: "The drive aborted the command; retrying usually works." },
  { keys: [K.copyAborted], category: "copy-aborted", action: FAIL, advice: "A copy operation was aborted." },
  { keys: [K.volumeOverflow], category: "volume-overflow", action: FAIL, advice: "The medium is full: data remains in the drive's buffer that could not be written." },
  { keys: [K.vendorSpecific], category: "vendor-specific", action: FAIL, advice: "A vendor-specific condition; see the drive vendor's documentation." },
  { keys: [K.reserved], category: "reserved-key", action: FAIL, advice: "The drive returned a reserved sense key; treat the command as failed." },
];
