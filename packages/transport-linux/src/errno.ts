/**
 * The one place where Linux errno values become contract results. Every system call result of
 * this package goes through `osErrorFromErrno`; nothing else inspects errno.
 */
import type { OsErrorKind, OsErrorResult, TransportErrorResult } from "@discforge/transport";
import { ERRNO, errnoName } from "./constants.js";

export const PERMISSION_HINT =
  "Add the user to the group that owns the device (usually `cdrom`: `sudo usermod -aG cdrom $USER`, then log in again) or give it access with a udev rule";

const KIND: ReadonlyMap<number, { kind: OsErrorKind; message: string; hint?: string }> = new Map([
  [ERRNO.EACCES, { kind: "permission-denied", message: "permission denied", hint: PERMISSION_HINT }],
  [ERRNO.EPERM, { kind: "permission-denied", message: "operation not permitted", hint: PERMISSION_HINT }],
  [ERRNO.EROFS, { kind: "permission-denied", message: "device is read-only (opened without write access)" }],
  [ERRNO.EBUSY, { kind: "busy", message: "device busy", hint: "It is mounted or opened exclusively by another program; unmount it or close that program" }],
  [ERRNO.EAGAIN, { kind: "busy", message: "resource temporarily unavailable" }],
  [ERRNO.ENOMEDIUM, { kind: "no-medium", message: "no medium found" }],
  [ERRNO.EMEDIUMTYPE, { kind: "no-medium", message: "wrong medium type" }],
  [ERRNO.ENOENT, { kind: "not-found", message: "no such device node" }],
  [ERRNO.ENXIO, { kind: "disconnected", message: "no such device or address (device gone)" }],
  [ERRNO.ENODEV, { kind: "disconnected", message: "no such device (device gone)" }],
  [ERRNO.EINVAL, { kind: "invalid", message: "invalid argument" }],
  [ERRNO.EFAULT, { kind: "invalid", message: "bad address" }],
  [ERRNO.EOVERFLOW, { kind: "invalid", message: "value too large (transfer too long for this device)" }],
  [ERRNO.E2BIG, { kind: "invalid", message: "argument list too long (transfer too long for this device)" }],
  [ERRNO.ENOMEM, { kind: "invalid", message: "out of memory (transfer too long for this device)" }],
  [ERRNO.ENOTTY, { kind: "unsupported", message: "not a SCSI device (the driver does not support SG_IO)" }],
  [ERRNO.EOPNOTSUPP, { kind: "unsupported", message: "operation not supported" }],
  [ERRNO.EISDIR, { kind: "invalid", message: "is a directory" }],
  [ERRNO.EIO, { kind: "io", message: "input/output error" }],
  [ERRNO.EBADF, { kind: "invalid", message: "bad file descriptor" }],
  [ERRNO.EMFILE, { kind: "other", message: "too many open files" }],
]);

/** True for errno values that mean "try the same call again". */
export function isRetryableErrno(errno: number): boolean {
  return errno === ERRNO.EINTR;
}

export function osErrorFromErrno(errno: number, syscall: string, durationMs = 0): OsErrorResult {
  const known = KIND.get(errno);
  const base = {
    kind: "os-error" as const,
    osKind: known?.kind ?? "other",
    tag: errnoName(errno),
    osCode: errno,
    syscall,
    message: known?.message ?? `system error ${errno}`,
    durationMs,
  };
  return known?.hint ? { ...base, hint: known.hint } : base;
}

/** ETIMEDOUT from SG_IO is the block layer's timeout, a transport result rather than an OS one. */
export function timeoutFromErrno(errno: number, durationMs: number): TransportErrorResult | undefined {
  if (errno !== ERRNO.ETIMEDOUT) return undefined;
  return { kind: "transport-error", reason: "timeout", detail: "SG_IO timed out (ETIMEDOUT)", durationMs };
}
