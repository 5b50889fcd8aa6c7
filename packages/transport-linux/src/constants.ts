/**
 * Linux SCSI generic constants: the data, with where each table comes from.
 * Numbers are the Linux UAPI values (asm-generic; identical on x86, x86-64, arm and arm64).
 */

/** include/scsi/sg.h: ioctl requests and sg_io_hdr flags. */
export const SG = {
  /** SG_IO: synchronous SCSI command (sg_io_hdr v3 interface). */
  io: 0x2285,
  getReservedSize: 0x2272,
  setReservedSize: 0x2275,
  getVersionNum: 0x2282,
  /** sg_io_hdr.interface_id must be 'S'. */
  interfaceId: 0x53,
  dxferNone: -1,
  dxferToDev: -2,
  dxferFromDev: -3,
  /** info & 1: something other than GOOD happened (check status, host, driver). */
  infoCheck: 0x1,
} as const;

/** BLKSECTGET (include/uapi/linux/fs.h): the queue's maximum sectors per request. */
export const BLKSECTGET = 0x1267;

/** include/uapi/asm-generic/fcntl.h */
export const O_FLAGS = {
  rdonly: 0o0,
  rdwr: 0o2,
  excl: 0o200,
  nonblock: 0o4000,
  cloexec: 0o2000000,
} as const;

/** include/uapi/asm-generic/file.h (flock(2)). */
export const LOCK = { sh: 1, ex: 2, nb: 4, un: 8 } as const;

/** Host byte (sg_io_hdr.host_status), include/scsi/scsi_status.h enum scsi_host_status. */
export const HOST_STATUS = {
  DID_OK: 0x00,
  DID_NO_CONNECT: 0x01,
  DID_BUS_BUSY: 0x02,
  DID_TIME_OUT: 0x03,
  DID_BAD_TARGET: 0x04,
  DID_ABORT: 0x05,
  DID_PARITY: 0x06,
  DID_ERROR: 0x07,
  DID_RESET: 0x08,
  DID_BAD_INTR: 0x09,
  DID_PASSTHROUGH: 0x0a,
  DID_SOFT_ERROR: 0x0b,
  DID_IMM_RETRY: 0x0c,
  DID_REQUEUE: 0x0d,
  DID_TRANSPORT_DISRUPTED: 0x0e,
  DID_TRANSPORT_FAILFAST: 0x0f,
  DID_TARGET_FAILURE: 0x10,
  DID_NEXUS_FAILURE: 0x11,
  DID_ALLOC_FAILURE: 0x12,
  DID_MEDIUM_ERROR: 0x13,
  DID_TRANSPORT_MARGINAL: 0x14,
} as const;

/** Driver byte (sg_io_hdr.driver_status), include/scsi/sg.h SG_ERR_DRIVER_* (low nibble). */
export const DRIVER_STATUS = {
  DRIVER_OK: 0x00,
  DRIVER_BUSY: 0x01,
  DRIVER_SOFT: 0x02,
  DRIVER_MEDIA: 0x03,
  DRIVER_ERROR: 0x04,
  DRIVER_INVALID: 0x05,
  DRIVER_TIMEOUT: 0x06,
  DRIVER_HARD: 0x07,
  DRIVER_SENSE: 0x08,
} as const;

/** errno values, include/uapi/asm-generic/errno-base.h and errno.h. */
export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  EINTR: 4,
  EIO: 5,
  ENXIO: 6,
  E2BIG: 7,
  EBADF: 9,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EFAULT: 14,
  EBUSY: 16,
  ENODEV: 19,
  EISDIR: 21,
  EINVAL: 22,
  EMFILE: 24,
  ENOTTY: 25,
  EROFS: 30,
  EOVERFLOW: 75,
  EOPNOTSUPP: 95,
  ETIMEDOUT: 110,
  ENOMEDIUM: 123,
  EMEDIUMTYPE: 124,
} as const;

export type ErrnoName = keyof typeof ERRNO;

export function errnoName(errno: number): string {
  for (const [name, value] of Object.entries(ERRNO)) if (value === errno) return name;
  return `errno ${errno}`;
}
