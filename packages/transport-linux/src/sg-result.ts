/**
 * Maps one completed SG_IO into exactly one contract result. Host byte and driver byte come
 * first (the command may never have reached the device), then the SCSI status (SAM-5 5.3).
 */
import { statusName, SCSI_STATUS, type ScsiResult, type TransportFailure } from "@discforge/transport";
import { DRIVER_STATUS, HOST_STATUS } from "./constants.js";
import type { SgIoHdrOut } from "./sg-io-hdr.js";

export interface SgCompletion extends SgIoHdrOut {
  /** Bytes requested for data-in (0 otherwise). */
  readonly dataInLength: number;
  /** The data-in buffer as filled by the driver (at least dataInLength - resid bytes). */
  readonly dataIn: Uint8Array;
  /** The sense buffer (sbLenWr bytes are valid). */
  readonly senseBuffer: Uint8Array;
}

const HOST_REASON: ReadonlyMap<number, { reason: TransportFailure; name: string }> = new Map(
  (
    [
      ["DID_NO_CONNECT", "disconnected"],
      ["DID_BUS_BUSY", "bus-busy"],
      ["DID_TIME_OUT", "timeout"],
      ["DID_BAD_TARGET", "bad-target"],
      ["DID_ABORT", "host-error"],
      ["DID_PARITY", "host-error"],
      ["DID_ERROR", "host-error"],
      ["DID_RESET", "reset"],
      ["DID_BAD_INTR", "host-error"],
      ["DID_PASSTHROUGH", "host-error"],
      ["DID_SOFT_ERROR", "host-error"],
      ["DID_IMM_RETRY", "bus-busy"],
      ["DID_REQUEUE", "bus-busy"],
      ["DID_TRANSPORT_DISRUPTED", "disconnected"],
      ["DID_TRANSPORT_FAILFAST", "disconnected"],
      ["DID_TARGET_FAILURE", "host-error"],
      ["DID_NEXUS_FAILURE", "host-error"],
      ["DID_ALLOC_FAILURE", "host-error"],
      ["DID_MEDIUM_ERROR", "host-error"],
      ["DID_TRANSPORT_MARGINAL", "host-error"],
    ] as const
  ).map(([name, reason]) => [HOST_STATUS[name], { reason, name }]),
);

const DRIVER_NAMES = Object.fromEntries(Object.entries(DRIVER_STATUS).map(([k, v]) => [v, k])) as Record<number, string>;

export function resultFromSgCompletion(c: SgCompletion): ScsiResult {
  const durationMs = c.duration;
  const transferred = Math.max(0, Math.min(c.dataInLength, c.dataInLength - Math.max(0, c.resid)));
  const residual = c.dataInLength - transferred;
  const hostStatus = c.hostStatus & 0xff;
  const driverCode = c.driverStatus & 0x0f;

  if (hostStatus !== HOST_STATUS.DID_OK) {
    const known = HOST_REASON.get(hostStatus);
    return {
      kind: "transport-error",
      reason: known?.reason ?? "host-error",
      detail: `host status ${known?.name ?? `0x${hostStatus.toString(16)}`}`,
      hostStatus,
      driverStatus: c.driverStatus,
      durationMs,
    };
  }
  if (driverCode === DRIVER_STATUS.DRIVER_TIMEOUT) {
    return { kind: "transport-error", reason: "timeout", detail: "driver status DRIVER_TIMEOUT", hostStatus, driverStatus: c.driverStatus, durationMs };
  }
  const sense = c.senseBuffer.slice(0, Math.min(c.sbLenWr, c.senseBuffer.length));
  const status = c.status & 0xfe;
  if (status === SCSI_STATUS.checkCondition || (status === SCSI_STATUS.good && driverCode === DRIVER_STATUS.DRIVER_SENSE && sense.length > 0)) {
    return { kind: "check-condition", sense, data: c.dataIn.subarray(0, transferred), residual, durationMs };
  }
  if (driverCode !== DRIVER_STATUS.DRIVER_OK && driverCode !== DRIVER_STATUS.DRIVER_SENSE) {
    return {
      kind: "transport-error",
      reason: "host-error",
      detail: `driver status ${DRIVER_NAMES[driverCode] ?? `0x${driverCode.toString(16)}`}`,
      hostStatus,
      driverStatus: c.driverStatus,
      durationMs,
    };
  }
  if (status === SCSI_STATUS.good) {
    // dataIn is already a private copy of the native buffer: no second copy.
    return { kind: "good", data: c.dataIn.subarray(0, transferred), residual, durationMs };
  }
  return { kind: "status", status: statusName(status), statusByte: c.status, durationMs };
}
