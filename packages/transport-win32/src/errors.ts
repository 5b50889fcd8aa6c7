/**
 * The one place where Win32 error codes (GetLastError) become contract results.
 */
import type { OsErrorKind, OsErrorResult, ScsiResult, TransportFailure } from "@discforge/transport";
import { WIN32_ERROR, win32ErrorName } from "./constants.js";

export const ACCESS_HINT =
  "Raw SCSI access to an optical drive needs administrator rights on Windows: run the program elevated";

const OS_KIND: ReadonlyMap<number, { kind: OsErrorKind; message: string; hint?: string }> = new Map([
  [WIN32_ERROR.ERROR_ACCESS_DENIED, { kind: "permission-denied", message: "access denied", hint: ACCESS_HINT }],
  [WIN32_ERROR.ERROR_WRITE_PROTECT, { kind: "permission-denied", message: "medium is write protected" }],
  [WIN32_ERROR.ERROR_SHARING_VIOLATION, { kind: "busy", message: "the drive is open in another program", hint: "Close the program that uses the drive (a burner, a player, Explorer's burn feature)" }],
  [WIN32_ERROR.ERROR_LOCK_VIOLATION, { kind: "busy", message: "the volume is locked by another program" }],
  [WIN32_ERROR.ERROR_BUSY, { kind: "busy", message: "the device is busy" }],
  [WIN32_ERROR.ERROR_NOT_READY, { kind: "no-medium", message: "the device is not ready" }],
  [WIN32_ERROR.ERROR_NO_MEDIA_IN_DRIVE, { kind: "no-medium", message: "no medium in the drive" }],
  [WIN32_ERROR.ERROR_FILE_NOT_FOUND, { kind: "not-found", message: "no such drive" }],
  [WIN32_ERROR.ERROR_PATH_NOT_FOUND, { kind: "not-found", message: "no such drive" }],
  [WIN32_ERROR.ERROR_DEV_NOT_EXIST, { kind: "disconnected", message: "the device no longer exists" }],
  [WIN32_ERROR.ERROR_DEVICE_NOT_CONNECTED, { kind: "disconnected", message: "the device is not connected" }],
  [WIN32_ERROR.ERROR_DEVICE_REMOVED, { kind: "disconnected", message: "the device was removed" }],
  [WIN32_ERROR.ERROR_INVALID_PARAMETER, { kind: "invalid", message: "invalid parameter (transfer too long or misaligned for this adapter)" }],
  [WIN32_ERROR.ERROR_INVALID_HANDLE, { kind: "invalid", message: "invalid handle" }],
  [WIN32_ERROR.ERROR_INSUFFICIENT_BUFFER, { kind: "invalid", message: "buffer too small" }],
  [WIN32_ERROR.ERROR_NOT_ENOUGH_MEMORY, { kind: "invalid", message: "not enough memory (transfer too long)" }],
  [WIN32_ERROR.ERROR_INVALID_FUNCTION, { kind: "unsupported", message: "the device does not support SCSI pass-through" }],
  [WIN32_ERROR.ERROR_NOT_SUPPORTED, { kind: "unsupported", message: "not supported" }],
  [WIN32_ERROR.ERROR_CRC, { kind: "io", message: "data error (cyclic redundancy check)" }],
  [WIN32_ERROR.ERROR_GEN_FAILURE, { kind: "io", message: "the device does not work" }],
  [WIN32_ERROR.ERROR_MEDIA_CHANGED, { kind: "io", message: "the medium changed" }],
]);

/** DeviceIoControl failures that mean the command itself did not complete. */
const TRANSPORT: ReadonlyMap<number, TransportFailure> = new Map([
  [WIN32_ERROR.ERROR_SEM_TIMEOUT, "timeout"],
  [WIN32_ERROR.ERROR_TIMEOUT, "timeout"],
  [WIN32_ERROR.ERROR_IO_DEVICE, "host-error"],
  [WIN32_ERROR.ERROR_OPERATION_ABORTED, "aborted"],
]);

export function osErrorFromWin32(code: number, syscall: string, durationMs = 0): OsErrorResult {
  const known = OS_KIND.get(code);
  const base = { kind: "os-error" as const, osKind: known?.kind ?? "other", tag: win32ErrorName(code), osCode: code, syscall, message: known?.message ?? `Win32 error ${code}`, durationMs };
  return known?.hint ? { ...base, hint: known.hint } : base;
}

/** A failed DeviceIoControl(IOCTL_SCSI_PASS_THROUGH_DIRECT) as a result. */
export function resultFromIoctlError(code: number, durationMs: number): ScsiResult {
  const reason = TRANSPORT.get(code);
  if (reason) return { kind: "transport-error", reason, detail: `DeviceIoControl failed: ${win32ErrorName(code)}`, durationMs };
  return osErrorFromWin32(code, "DeviceIoControl(IOCTL_SCSI_PASS_THROUGH_DIRECT)", durationMs);
}
