/**
 * Sense -> IMAPI result, as data. First matching row wins. A row can require the command
 * (IMAPI reports 24h/00h as "no such mode page" for MODE SENSE but as "invalid mode
 * parameters" for MODE SELECT), a category from tables/sense-classes.ts, and/or an ASC/ASCQ.
 *
 * Codes and meanings: Microsoft IMAPI documentation (IDiscFormat2Data::Write return values,
 * imapi2error.h "IMAPI Return Values", IDiscFormat2Erase, IDiscMaster::RecordDisc).
 *
 * Command names are compared after normalising: upper case, the "(10)"-style CDB size suffix
 * removed, so "MODE SELECT(10)" and "Mode Select (6)" both match "MODE SELECT".
 */
import type { ImapiCodeName } from "@discforge/errors";
import type { SenseCategory } from "./sense-classes.js";

export interface ImapiMapRow {
  /** Normalised command names; undefined = any command. */
  readonly commands?: readonly string[];
  readonly categories?: readonly SenseCategory[];
  readonly asc?: number;
  readonly ascq?: number;
  readonly imapi: ImapiCodeName;
}

const READ_DISC_STRUCTURE = ["READ DISC STRUCTURE", "READ DVD STRUCTURE", "READ DVD/BD STRUCTURE"];
const SPEED = ["SET CD SPEED", "SET STREAMING"];

export const SENSE_IMAPI_ROWS: readonly ImapiMapRow[] = [
  // Command-dependent meanings first.
  { commands: ["MODE SELECT"], categories: ["invalid-field", "invalid-parameter"], imapi: "E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS" },
  { commands: ["MODE SENSE"], categories: ["invalid-field"], imapi: "E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE" },
  { commands: READ_DISC_STRUCTURE, categories: ["invalid-field", "incompatible-medium"], imapi: "E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT" },
  { commands: ["GET CONFIGURATION"], categories: ["invalid-opcode"], imapi: "E_IMAPI_RECORDER_GET_CONFIGURATION_NOT_SUPPORTED" },
  { commands: ["GET CONFIGURATION"], categories: ["invalid-field"], imapi: "E_IMAPI_RECORDER_NO_SUCH_FEATURE" },
  // A speed the drive refuses for the loaded disc. The builders validate every field, so an
  // invalid-field/parameter answer to a well-formed SET STREAMING or SET CD SPEED is the drive
  // saying the speed does not fit this medium: IMAPI's "media's speed is incompatible".
  { commands: SPEED, categories: ["invalid-field", "invalid-parameter", "incompatible-medium"], imapi: "E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH" },
  { commands: ["BLANK"], categories: ["invalid-field", "illegal-request", "incompatible-medium", "illegal-track-mode"], imapi: "E_IMAPI_ERASE_MEDIA_IS_NOT_ERASABLE" },
  { commands: ["BLANK"], categories: ["medium-error", "hardware-error", "write-error", "aborted"], imapi: "E_IMAPI_ERASE_DRIVE_FAILED_ERASE_COMMAND" },
  { commands: ["START STOP UNIT"], categories: ["hardware-error", "not-ready"], imapi: "E_IMAPI_ERASE_DRIVE_FAILED_SPINUP_COMMAND" },

  // The same meaning for every command.
  { categories: ["no-sense", "recovered", "completed"], imapi: "S_OK" },
  { categories: ["medium-absent"], imapi: "E_IMAPI_RECORDER_MEDIA_NO_MEDIA" },
  { categories: ["becoming-ready"], imapi: "E_IMAPI_RECORDER_MEDIA_BECOMING_READY" },
  { categories: ["format-in-progress"], imapi: "E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS" },
  { categories: ["long-write-in-progress", "operation-in-progress"], imapi: "E_IMAPI_RECORDER_MEDIA_BUSY" },
  { categories: ["write-protected"], imapi: "E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED" },
  { categories: ["loss-of-streaming"], imapi: "E_IMAPI_LOSS_OF_STREAMING" },
  { categories: ["medium-not-formatted"], imapi: "E_IMAPI_RECORDER_MEDIA_NOT_FORMATTED" },
  { categories: ["incompatible-medium"], imapi: "E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE" },
  // 06/00 NO REFERENCE POSITION FOUND: the drive cannot find the disc's reference position,
  // which is what drives report for a disc inserted label side down (also for some damaged or
  // unrecorded discs; classification advice says so). IMAPI has no closer code; a judgement kept.
  { categories: ["no-reference-position"], imapi: "E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN" },
  { categories: ["command-timeout"], imapi: "E_IMAPI_RECORDER_COMMAND_TIMEOUT" },
  { categories: ["miscompare"], imapi: "E_IMAPI_BURN_VERIFICATION_FAILED" },
  { categories: ["end-of-user-area", "volume-overflow"], imapi: "E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA" },
  // 28/00 NOT READY TO READY CHANGE: the disc may have been changed. The action is to re-read
  // the media state (a drive layer that finds the same disc goes on); when a job ends on it, the
  // disc it checked can no longer be vouched for, and IMAPI_E_WRONGDISC (RecordDisc: the disc in
  // the drive is not the one the job was set up with) is the only IMAPI code that says so.
  { categories: ["medium-changed"], imapi: "IMAPI_E_WRONGDISC" },
  { categories: ["invalid-opcode"], imapi: "E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED" },
  // 2C/xx COMMAND SEQUENCE ERROR and 21/02 INVALID ADDRESS FOR WRITE: the write does not fit the
  // disc's recorded state (next writable address, open track/session). Our builders send only
  // well-formed CDBs in a planned order, so the disc's state is the likely cause: IMAPI's
  // "the media is in a state that does not allow this operation".
  { categories: ["command-sequence-error", "invalid-address-for-write"], imapi: "E_IMAPI_DF2DATA_INVALID_MEDIA_STATE" },
  { categories: ["data-protect"], imapi: "E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED" },

  // Anything else the drive could not recover from.
  { imapi: "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE" },
];

/**
 * Outcomes without sense data (transport results and decoding failures) -> IMAPI result.
 * Keys are the transport's failure reasons and status names plus "malformed-response".
 */
export const OUTCOME_IMAPI_ROWS: Readonly<Record<string, ImapiCodeName>> = {
  timeout: "E_IMAPI_RECORDER_COMMAND_TIMEOUT",
  aborted: "E_IMAPI_REQUEST_CANCELLED",
  closed: "HRESULT_ERROR_INVALID_HANDLE",
  disconnected: "HRESULT_ERROR_DEV_NOT_EXIST",
  "bad-target": "HRESULT_ERROR_DEV_NOT_EXIST",
  reset: "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE",
  "bus-busy": "E_IMAPI_RECORDER_MEDIA_BUSY",
  "host-error": "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE",
  refused: "E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED",
  busy: "E_IMAPI_RECORDER_MEDIA_BUSY",
  "task-set-full": "E_IMAPI_RECORDER_MEDIA_BUSY",
  "reservation-conflict": "E_IMAPI_RECORDER_LOCKED",
  "malformed-response": "E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE",
};
