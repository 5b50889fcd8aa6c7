/**
 * The ScsiTransport contract: one SCSI command in, exactly one categorised result out.
 *
 * Guarantees every implementation makes (checked by the contract suite in ./contract.ts):
 * - `execute` never rejects for anything the device or the OS did: CHECK CONDITION, a bad
 *   status, a transport failure and an OS error are all results. It rejects only with
 *   InvalidArgumentError for a malformed request (the caller's bug), before anything is sent.
 * - Commands run one at a time in call order; overlapping calls queue.
 * - Data-in is never longer than requested; `residual` = requested - transferred.
 * - A signal that is already aborted yields `{ kind: "transport-error", reason: "aborted" }`
 *   without sending anything. A signal that fires while the command is queued or in flight
 *   resolves the call with the same result at once; a command already in flight still completes
 *   on the device (SG_IO cannot recall it) before the next one is sent, and its result is dropped.
 * - After `close()`, queued and new commands yield reason "closed". `close()` is idempotent.
 */

export type DataDirection = "none" | "in" | "out";

export interface ScsiCommand {
  /** 6 to 16 bytes (SPC-4 4.2). */
  readonly cdb: Uint8Array;
  readonly direction: DataDirection;
  /** Bytes sent to the device, for direction "out". */
  readonly dataOut?: Uint8Array;
  /** Bytes expected from the device, for direction "in". */
  readonly dataInLength?: number;
  /** How long the device may take before the transport gives up. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** SAM-5 status codes other than GOOD and CHECK CONDITION. */
export const SCSI_STATUS = {
  good: 0x00,
  checkCondition: 0x02,
  conditionMet: 0x04,
  busy: 0x08,
  reservationConflict: 0x18,
  taskSetFull: 0x28,
  acaActive: 0x30,
  taskAborted: 0x40,
} as const;

export type OtherStatusName = "busy" | "reservation-conflict" | "task-set-full" | "aca-active" | "task-aborted" | "condition-met" | "unknown";

export function statusName(status: number): OtherStatusName {
  switch (status) {
    case SCSI_STATUS.busy:
      return "busy";
    case SCSI_STATUS.reservationConflict:
      return "reservation-conflict";
    case SCSI_STATUS.taskSetFull:
      return "task-set-full";
    case SCSI_STATUS.acaActive:
      return "aca-active";
    case SCSI_STATUS.taskAborted:
      return "task-aborted";
    case SCSI_STATUS.conditionMet:
      return "condition-met";
    default:
      return "unknown";
  }
}

export type TransportFailure =
  | "timeout" // the device did not complete the command in time
  | "aborted" // the caller's AbortSignal fired
  | "closed" // the transport was closed
  | "disconnected" // the device went away (DID_NO_CONNECT, ERROR_DEV_NOT_EXIST...)
  | "bad-target" // no such target/LUN
  | "reset" // bus or device reset during the command
  | "bus-busy" // the HBA/bus could not take the command
  | "host-error" // any other host adapter or driver error
  | "refused"; // the transport refused to send it (e.g. write-class command to a non-MMC device)

export type OsErrorKind =
  | "permission-denied"
  | "busy"
  | "no-medium"
  | "not-found"
  | "disconnected"
  | "invalid"
  | "io"
  | "unsupported"
  | "other";

export interface GoodResult {
  readonly kind: "good";
  readonly data: Uint8Array;
  readonly residual: number;
  readonly durationMs: number;
}
export interface StatusResult {
  readonly kind: "status";
  readonly status: OtherStatusName;
  readonly statusByte: number;
  readonly durationMs: number;
}
export interface CheckConditionResult {
  readonly kind: "check-condition";
  /** Raw sense bytes as returned (fixed or descriptor format). */
  readonly sense: Uint8Array;
  /** Any data transferred before the condition (often empty). */
  readonly data: Uint8Array;
  readonly residual: number;
  readonly durationMs: number;
}
export interface TransportErrorResult {
  readonly kind: "transport-error";
  readonly reason: TransportFailure;
  readonly detail: string;
  /** Raw host/driver status or similar, when the OS gave one. */
  readonly hostStatus?: number;
  readonly driverStatus?: number;
  readonly durationMs: number;
}
export interface OsErrorResult {
  readonly kind: "os-error";
  readonly osKind: OsErrorKind;
  /** "EACCES", "ERROR_ACCESS_DENIED", ... */
  readonly tag: string;
  /** errno or Win32 error code. */
  readonly osCode: number;
  readonly syscall: string;
  readonly message: string;
  /** What the user can do about it, when there is something. */
  readonly hint?: string;
  readonly durationMs: number;
}

export type ScsiResult = GoodResult | StatusResult | CheckConditionResult | TransportErrorResult | OsErrorResult;

export interface ScsiTransport {
  /** The device path or emulator name, for messages and traces. */
  readonly description: string;
  /** Largest data transfer, in bytes, the transport can carry in one command. */
  readonly maxTransferBytes: number;
  execute(command: ScsiCommand): Promise<ScsiResult>;
  close(): Promise<void>;
}
