/**
 * What every CDB builder returns: the CDB plus what the transport needs to carry it.
 * `transport.execute({ ...request, timeoutMs, signal })` is a valid ScsiCommand.
 */
import { InvalidArgumentError } from "@discforge/errors";
import type { DataDirection } from "@discforge/transport";
import type { TimeoutClass } from "../tables/opcodes.js";

export interface ScsiRequest {
  /** Command name as the standard spells it, for traces and errors. */
  readonly name: string;
  readonly cdb: Uint8Array;
  readonly direction: DataDirection;
  /** Bytes to read, for direction "in" (the allocation length or blocks x block size). */
  readonly dataInLength?: number;
  /** Bytes to send, for direction "out", when the builder was given them. */
  readonly dataOut?: Uint8Array;
  /** Bytes the CDB announces for direction "out" (parameter list length), when the CDB fixes it. */
  readonly dataOutLength?: number;
  /** How long the command may run: see DEFAULT_TIMEOUT_MS. */
  readonly timeoutClass: TimeoutClass;
}

/** A request whose data-out bytes are attached, ready for the transport. */
export interface ScsiRequestWithData extends ScsiRequest {
  readonly dataOut: Uint8Array;
}

/**
 * Attaches the data-out bytes to a data-out request, checking them against the length the CDB
 * announces, so that a parameter list and its CDB can never disagree on the wire.
 */
export function attachDataOut(request: ScsiRequest, data: Uint8Array): ScsiRequestWithData {
  if (request.direction !== "out") {
    throw new InvalidArgumentError("dataOut", `${request.name} with this CDB transfers no data to the device`);
  }
  if (request.dataOutLength !== undefined && data.length !== request.dataOutLength) {
    throw new InvalidArgumentError("dataOut", `${request.name} CDB announces ${request.dataOutLength} bytes, got ${data.length}`);
  }
  return { ...request, dataOut: data };
}
