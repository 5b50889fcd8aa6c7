/**
 * Converting MMC speeds (kB/s, where MMC's kB is 1000 bytes: MMC-6 6.8.3, 6.37) to the "Nx"
 * figures people use, per media family.
 *
 * 1x conventions (bytes per second / 1000):
 * - CD: 176.4 kB/s, the audio rate of 75 sectors of 2352 bytes per second (Red Book).
 * - DVD: 1385 kB/s, the 11.08 Mbit/s user data rate of ECMA-267.
 * - BD: 4495.5 kB/s, the 1x user data rate used by MMC drives' speed tables (36 Mbit/s nominal).
 */
import { InvalidArgumentError } from "@discforge/errors";

export const ONE_X_KBPS = { cd: 176.4, dvd: 1385, bd: 4495.5 } as const;
export type SpeedMedia = keyof typeof ONE_X_KBPS;

/** kB/s → multiple of 1x, rounded to one decimal (48x CD: 8467 kB/s → 48). */
export function kbpsToX(kbps: number, media: SpeedMedia): number {
  if (!Number.isFinite(kbps) || kbps < 0) throw new InvalidArgumentError("kbps", `${kbps} is not a non-negative speed`);
  return Math.round((kbps / ONE_X_KBPS[media]) * 10) / 10;
}

/** Nx → kB/s as the integer a CDB carries (rounded up, so the drive's own figure for Nx is not undershot). */
export function xToKbps(x: number, media: SpeedMedia): number {
  if (!Number.isFinite(x) || x < 0) throw new InvalidArgumentError("x", `${x} is not a non-negative speed multiple`);
  return Math.ceil(x * ONE_X_KBPS[media] - 1e-9);
}

/** "16x (22160 kB/s)" style label. */
export function formatSpeed(kbps: number, media: SpeedMedia): string {
  return `${kbpsToX(kbps, media)}x (${kbps} kB/s)`;
}
