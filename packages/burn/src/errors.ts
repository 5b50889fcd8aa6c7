/**
 * Errors a burn or an erase ends in. Every one carries the IMAPI result it corresponds to and a
 * truthful description of the state the disc was left in (read back from the drive after the
 * failure, or "unknown" with the reason when even that was impossible).
 */
import { CancelledError, DiscforgeError, ERROR_CODES, imapiCode, isDiscforgeError, type ErrorCode, type ImapiCode, type ImapiCodeName } from "@discforge/errors";
import type { BurnPhase } from "./events.js";
import type { DiscDescription } from "./disc-state.js";

export interface BurnFailureDetail {
  /** Phase the operation was in when it failed. */
  readonly phase: BurnPhase;
  /** What the drive reports about the disc after the failure. */
  readonly discState: DiscDescription | { readonly known: false; readonly reason: string };
  /** Sectors that reached the drive before the failure (writes acknowledged). */
  readonly sectorsWritten: number;
  /** True when any write command was sent: the disc may have changed. */
  readonly writeStarted: boolean;
}

function describeState(s: BurnFailureDetail["discState"]): string {
  return "known" in s && s.known === false ? `disc state unknown (${s.reason})` : `disc now: ${(s as DiscDescription).summary}`;
}

/** A burn or erase failed. `imapi` says which IMAPI result; `detail` what happened to the disc. */
export class BurnError extends DiscforgeError {
  override readonly name = "BurnError";
  readonly code: ErrorCode;
  readonly imapiCode: ImapiCode;

  constructor(
    message: string,
    imapi: ImapiCode,
    readonly detail: BurnFailureDetail,
    options: { readonly cause?: unknown } = {},
  ) {
    super(`${message} [${imapi.name}]; ${detail.writeStarted ? `${detail.sectorsWritten} sectors written; ` : "nothing was written; "}${describeState(detail.discState)}`, {
      imapi,
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.imapiCode = imapi;
    this.code = isDiscforgeError(options.cause) ? options.cause.code : ERROR_CODES.state;
  }
}

/** The burn was cancelled through its AbortSignal; `detail` says what the disc holds now. */
export class BurnCancelledError extends CancelledError {
  constructor(
    message: string,
    readonly detail: BurnFailureDetail,
    options: { readonly cause?: unknown } = {},
  ) {
    super(`${message}; ${detail.writeStarted ? `${detail.sectorsWritten} sectors written; ` : "nothing was written; "}${describeState(detail.discState)}`, {
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
  }
  get imapiCode(): ImapiCode {
    return imapiCode("E_IMAPI_REQUEST_CANCELLED");
  }
}

/** A refusal before anything was written (preflight): carries the IMAPI code named. */
export class PreflightError extends DiscforgeError {
  override readonly name = "PreflightError";
  readonly code = ERROR_CODES.state;
  readonly imapiCode: ImapiCode;
  constructor(message: string, imapi: ImapiCodeName, options: { readonly cause?: unknown } = {}) {
    const code = imapiCode(imapi);
    super(`${message} [${imapi}]`, { imapi: code, ...(options.cause === undefined ? {} : { cause: options.cause }) });
    this.imapiCode = code;
  }
}

/** The IMAPI result of any error a burn can end in. */
export function imapiOf(e: unknown): ImapiCode {
  if (isDiscforgeError(e) && e.imapi) return e.imapi;
  return imapiCode("E_FAIL");
}
