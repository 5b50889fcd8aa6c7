import type { ImapiCode } from "./imapi.js";

/** Stable machine-readable codes of every discforge error class. */
export const ERROR_CODES = {
  invalidArgument: "DF_INVALID_ARGUMENT",
  malformedData: "DF_MALFORMED_DATA",
  internal: "DF_INTERNAL",
  transport: "DF_TRANSPORT",
  os: "DF_OS",
  checkCondition: "DF_CHECK_CONDITION",
  scsiStatus: "DF_SCSI_STATUS",
  cancelled: "DF_CANCELLED",
  timeout: "DF_TIMEOUT",
  unsupported: "DF_UNSUPPORTED",
  state: "DF_STATE",
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export interface DiscforgeErrorOptions {
  readonly cause?: unknown;
  /** The IMAPI result this error corresponds to, for errors a burn can end in. */
  readonly imapi?: ImapiCode;
}

/** Base of every error discforge throws on purpose. `code` is stable; `message` is for people. */
export abstract class DiscforgeError extends Error {
  abstract override readonly name: string;
  abstract readonly code: ErrorCode;
  readonly imapi: ImapiCode | undefined;

  constructor(message: string, options: DiscforgeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.imapi = options.imapi;
  }
}

/** The caller passed something invalid. Nothing was sent or written. */
export class InvalidArgumentError extends DiscforgeError {
  override readonly name = "InvalidArgumentError";
  readonly code = ERROR_CODES.invalidArgument;
  constructor(
    readonly argument: string,
    message: string,
    options: DiscforgeErrorOptions = {},
  ) {
    super(`${argument}: ${message}`, { imapi: { name: "E_INVALIDARG", hresult: 0x80070057 }, ...options });
  }
}

/** Bytes read from a device, a file or an image do not form the structure expected. */
export class MalformedDataError extends DiscforgeError {
  override readonly name = "MalformedDataError";
  readonly code = ERROR_CODES.malformedData;
  constructor(
    /** Name of the structure being decoded, e.g. "Primary Volume Descriptor" or "READ TRACK INFORMATION". */
    readonly structure: string,
    /** Byte offset within the buffer (or image) where the problem was found. */
    readonly offset: number,
    readonly detail: string,
    options: DiscforgeErrorOptions = {},
  ) {
    super(`${structure} at offset ${offset}: ${detail}`, options);
  }
}

/** An invariant of discforge itself broke: a bug, never the caller's or the device's fault. */
export class InternalError extends DiscforgeError {
  override readonly name = "InternalError";
  readonly code = ERROR_CODES.internal;
}

/** The operation was cancelled through its AbortSignal. */
export class CancelledError extends DiscforgeError {
  override readonly name = "CancelledError";
  readonly code = ERROR_CODES.cancelled;
  constructor(message = "operation cancelled", options: DiscforgeErrorOptions = {}) {
    super(message, { imapi: { name: "E_IMAPI_REQUEST_CANCELLED", hresult: 0xc0aa0002 }, ...options });
  }
}

/** A requested capability is not available on this device, medium or platform. */
export class UnsupportedError extends DiscforgeError {
  override readonly name = "UnsupportedError";
  readonly code = ERROR_CODES.unsupported;
}

/** The object or medium is not in a state that allows the operation (e.g. disc closed). */
export class StateError extends DiscforgeError {
  override readonly name = "StateError";
  readonly code = ERROR_CODES.state;
}

export function isDiscforgeError(e: unknown): e is DiscforgeError {
  return e instanceof DiscforgeError;
}

/** Throws CancelledError when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined, what = "operation"): void {
  if (signal?.aborted) throw new CancelledError(`${what} cancelled`, { cause: signal.reason });
}
