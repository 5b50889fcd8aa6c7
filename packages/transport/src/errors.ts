/** Errors the layers above a transport raise from its non-good results. */
import { DiscforgeError, ERROR_CODES, type DiscforgeErrorOptions } from "@discforge/errors";
import type { OsErrorKind, OsErrorResult, OtherStatusName, TransportErrorResult, TransportFailure } from "./types.js";

export class TransportError extends DiscforgeError {
  override readonly name = "TransportError";
  readonly code = ERROR_CODES.transport;
  readonly reason: TransportFailure;
  constructor(
    readonly device: string,
    result: Pick<TransportErrorResult, "reason" | "detail">,
    options: DiscforgeErrorOptions = {},
  ) {
    super(`${device}: transport ${result.reason}: ${result.detail}`, options);
    this.reason = result.reason;
  }
}

export class OsError extends DiscforgeError {
  override readonly name = "OsError";
  readonly code = ERROR_CODES.os;
  readonly osKind: OsErrorKind;
  readonly tag: string;
  readonly osCode: number;
  readonly syscall: string;
  readonly hint: string | undefined;
  constructor(
    readonly device: string,
    result: Pick<OsErrorResult, "osKind" | "tag" | "osCode" | "syscall" | "message" | "hint">,
    options: DiscforgeErrorOptions = {},
  ) {
    super(`${device}: ${result.syscall} failed: ${result.tag} (${result.message})${result.hint ? `. ${result.hint}` : ""}`, options);
    this.osKind = result.osKind;
    this.tag = result.tag;
    this.osCode = result.osCode;
    this.syscall = result.syscall;
    this.hint = result.hint;
  }
}

export class ScsiStatusError extends DiscforgeError {
  override readonly name = "ScsiStatusError";
  readonly code = ERROR_CODES.scsiStatus;
  constructor(
    readonly device: string,
    readonly status: OtherStatusName,
    readonly statusByte: number,
    readonly command: string,
    options: DiscforgeErrorOptions = {},
  ) {
    super(`${device}: ${command} ended with status ${status.toUpperCase()} (0x${statusByte.toString(16).padStart(2, "0")})`, options);
  }
}
