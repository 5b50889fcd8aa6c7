/**
 * Windows constants: the data, with where each table comes from.
 */

/** CTL_CODE(DeviceType, Function, Method, Access) from winioctl.h. */
export function ctlCode(deviceType: number, fn: number, method: number, access: number): number {
  return ((deviceType << 16) | (access << 14) | (fn << 2) | method) >>> 0;
}

const FILE_DEVICE_CONTROLLER = 0x04;
const FILE_DEVICE_FILE_SYSTEM = 0x09;
const METHOD_BUFFERED = 0;
const FILE_ANY_ACCESS = 0;
const FILE_READ_WRITE_ACCESS = 0x0001 | 0x0002;

/** ntddscsi.h (IOCTL_SCSI_BASE = FILE_DEVICE_CONTROLLER) and winioctl.h (FSCTL_*). */
export const IOCTL = {
  SCSI_PASS_THROUGH_DIRECT: ctlCode(FILE_DEVICE_CONTROLLER, 0x0405, METHOD_BUFFERED, FILE_READ_WRITE_ACCESS),
  SCSI_GET_ADDRESS: ctlCode(FILE_DEVICE_CONTROLLER, 0x0406, METHOD_BUFFERED, FILE_ANY_ACCESS),
  FSCTL_LOCK_VOLUME: ctlCode(FILE_DEVICE_FILE_SYSTEM, 6, METHOD_BUFFERED, FILE_ANY_ACCESS),
  FSCTL_UNLOCK_VOLUME: ctlCode(FILE_DEVICE_FILE_SYSTEM, 7, METHOD_BUFFERED, FILE_ANY_ACCESS),
  FSCTL_DISMOUNT_VOLUME: ctlCode(FILE_DEVICE_FILE_SYSTEM, 8, METHOD_BUFFERED, FILE_ANY_ACCESS),
} as const;

/** ntddscsi.h SCSI_PASS_THROUGH_DIRECT.DataIn values. */
export const SCSI_IOCTL_DATA = { out: 0, in: 1, unspecified: 2 } as const;

/** winnt.h / fileapi.h values for CreateFileW. */
export const FILE_ACCESS = {
  GENERIC_READ: 0x80000000,
  GENERIC_WRITE: 0x40000000,
  FILE_SHARE_READ: 0x1,
  FILE_SHARE_WRITE: 0x2,
  OPEN_EXISTING: 3,
  FILE_ATTRIBUTE_NORMAL: 0x80,
} as const;

/** GetDriveTypeW results (fileapi.h). */
export const DRIVE_TYPE = { unknown: 0, noRootDir: 1, removable: 2, fixed: 3, remote: 4, cdrom: 5, ramdisk: 6 } as const;

/** Win32 error codes (winerror.h) the transport distinguishes. */
export const WIN32_ERROR = {
  ERROR_INVALID_FUNCTION: 1,
  ERROR_FILE_NOT_FOUND: 2,
  ERROR_PATH_NOT_FOUND: 3,
  ERROR_ACCESS_DENIED: 5,
  ERROR_INVALID_HANDLE: 6,
  ERROR_NOT_ENOUGH_MEMORY: 8,
  ERROR_WRITE_PROTECT: 19,
  ERROR_NOT_READY: 21,
  ERROR_CRC: 23,
  ERROR_GEN_FAILURE: 31,
  ERROR_SHARING_VIOLATION: 32,
  ERROR_LOCK_VIOLATION: 33,
  ERROR_NOT_SUPPORTED: 50,
  ERROR_DEV_NOT_EXIST: 55,
  ERROR_INVALID_PARAMETER: 87,
  ERROR_SEM_TIMEOUT: 121,
  ERROR_INSUFFICIENT_BUFFER: 122,
  ERROR_BUSY: 170,
  ERROR_OPERATION_ABORTED: 995,
  ERROR_IO_PENDING: 997,
  ERROR_MEDIA_CHANGED: 1110,
  ERROR_NO_MEDIA_IN_DRIVE: 1112,
  ERROR_IO_DEVICE: 1117,
  ERROR_DEVICE_NOT_CONNECTED: 1167,
  ERROR_TIMEOUT: 1460,
  ERROR_DEVICE_REMOVED: 1617,
} as const;

export function win32ErrorName(code: number): string {
  for (const [name, value] of Object.entries(WIN32_ERROR)) if (value === code) return name;
  return `Win32 error ${code}`;
}
