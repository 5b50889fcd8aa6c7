import { InvalidArgumentError } from "@discforge/errors";
import type { ScsiCommand } from "./types.js";

/** Rejects requests no transport may send. Every implementation calls this first. */
export function validateCommand(command: ScsiCommand, maxTransferBytes: number): void {
  const { cdb, direction, dataOut, dataInLength, timeoutMs } = command;
  if (!(cdb instanceof Uint8Array) || cdb.length < 6 || cdb.length > 16) {
    throw new InvalidArgumentError("cdb", `must be 6 to 16 bytes, got ${cdb?.length}`);
  }
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new InvalidArgumentError("timeoutMs", `must be a positive number of milliseconds, got ${timeoutMs}`);
  }
  if (direction === "out") {
    if (!(dataOut instanceof Uint8Array)) throw new InvalidArgumentError("dataOut", "direction 'out' needs dataOut bytes");
    if (dataInLength !== undefined) throw new InvalidArgumentError("dataInLength", "not allowed with direction 'out'");
    if (dataOut.length > maxTransferBytes) {
      throw new InvalidArgumentError("dataOut", `${dataOut.length} bytes exceeds the transport's maximum of ${maxTransferBytes}`);
    }
  } else if (direction === "in") {
    if (dataInLength === undefined || !Number.isInteger(dataInLength) || dataInLength < 0) {
      throw new InvalidArgumentError("dataInLength", `direction 'in' needs a non-negative integer length, got ${dataInLength}`);
    }
    if (dataInLength > maxTransferBytes) {
      throw new InvalidArgumentError("dataInLength", `${dataInLength} bytes exceeds the transport's maximum of ${maxTransferBytes}`);
    }
    if (dataOut !== undefined) throw new InvalidArgumentError("dataOut", "not allowed with direction 'in'");
  } else if (direction === "none") {
    if (dataOut !== undefined || (dataInLength !== undefined && dataInLength !== 0)) {
      throw new InvalidArgumentError("direction", "direction 'none' carries no data");
    }
  } else {
    throw new InvalidArgumentError("direction", `unknown direction ${String(direction)}`);
  }
}
