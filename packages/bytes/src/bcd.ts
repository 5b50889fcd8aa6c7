/**
 * Binary-coded decimal and CD MSF addresses.
 * MMC-6 4.2.3.8 / Red Book: 75 frames per second, 60 seconds per minute; LBA 0 is MSF 00:02:00
 * (the 150-frame pre-gap), and LBAs -150..-1 address the pre-gap itself. Addresses from
 * MSF 90:00:00 (LBA 404850) onward wrap to negative LBAs (lead-in), as in MMC's LBA/MSF table.
 */
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";

export function toBcd(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 99) throw new InvalidArgumentError("bcd", `${n} is not 0-99`);
  return ((Math.floor(n / 10) << 4) | n % 10) & 0xff;
}

export function fromBcd(b: number, structure = "BCD byte"): number {
  const hi = b >>> 4;
  const lo = b & 0x0f;
  if (hi > 9 || lo > 9 || b < 0 || b > 0xff) throw new MalformedDataError(structure, 0, `0x${b.toString(16)} is not BCD`);
  return hi * 10 + lo;
}

export interface Msf {
  readonly minute: number;
  readonly second: number;
  readonly frame: number;
}

export const FRAMES_PER_SECOND = 75;
export const PREGAP_FRAMES = 150;
const LEAD_IN_WRAP = 450_000; // 100 minutes of frames: M >= 90 maps to negative LBAs

export function lbaToMsf(lba: number): Msf {
  if (!Number.isInteger(lba) || lba < -45_150 || lba > 404_849) {
    throw new InvalidArgumentError("lba", `${lba} has no MSF address (valid: -45150..404849)`);
  }
  const frames = lba >= -PREGAP_FRAMES ? lba + PREGAP_FRAMES : lba + LEAD_IN_WRAP + PREGAP_FRAMES;
  return {
    minute: Math.floor(frames / (60 * FRAMES_PER_SECOND)),
    second: Math.floor(frames / FRAMES_PER_SECOND) % 60,
    frame: frames % FRAMES_PER_SECOND,
  };
}

export function msfToLba(msf: Msf): number {
  const { minute, second, frame } = msf;
  if (![minute, second, frame].every(Number.isInteger) || minute < 0 || minute > 99 || second < 0 || second > 59 || frame < 0 || frame > 74) {
    throw new InvalidArgumentError("msf", `${minute}:${second}:${frame} is not a valid MSF address`);
  }
  const frames = (minute * 60 + second) * FRAMES_PER_SECOND + frame;
  return minute < 90 ? frames - PREGAP_FRAMES : frames - LEAD_IN_WRAP - PREGAP_FRAMES;
}

export function formatMsf(msf: Msf): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(msf.minute)}:${p(msf.second)}:${p(msf.frame)}`;
}
