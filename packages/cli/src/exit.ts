/**
 * Exit codes, stable for scripts:
 * 0 success; 1 the operation failed (device/medium/data); 2 usage error (bad arguments);
 * 3 no such drive / device not usable; 4 cancelled; 70 internal error (a bug: please report).
 */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  noDevice: 3,
  cancelled: 4,
  internal: 70,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
