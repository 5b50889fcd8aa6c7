/**
 * Mode pages the emulated drive keeps (SPC-4 7.5, MMC-6 7): 01h Read/Write Error Recovery
 * (MMC-6 7.3), 05h Write Parameters (7.5), 1Ah Power Condition (SPC-4 7.5.13 / MMC-6 7.6),
 * 1Dh Timeout and Protect (7.7), 2Ah MM Capabilities and Mechanical Status (7.8, read only).
 * Pages are held as raw bytes (page code byte through the end); each has a changeable mask.
 */
import { writeU16BE } from "@discforge/bytes";
import { KBPS_1X, MEDIA, type MediaId } from "../media.js";
import type { Personality } from "../personality.js";

export const MODE_PAGE = { errorRecovery: 0x01, writeParameters: 0x05, powerCondition: 0x1a, timeoutProtect: 0x1d, capabilities: 0x2a, all: 0x3f } as const;

/** Byte offsets and bits of mode page 05h (MMC-6 7.5.4). */
export const WP = {
  length: 0x34, // page code + length + 0x32 bytes
  flagsByte: 2, // BUFE bit 6, LS_V bit 5, Test Write bit 4, Write Type bits 3-0
  modeByte: 3, // Multi-session bits 7-6, FP bit 5, Copy bit 4, Track Mode bits 3-0
  dataBlockTypeByte: 4,
  linkSizeByte: 5,
  sessionFormatByte: 8,
  packetSize: 10,
  audioPause: 14,
} as const;

export function defaultWriteParameters(cd: boolean): Uint8Array {
  const p = new Uint8Array(WP.length);
  p[0] = MODE_PAGE.writeParameters;
  p[1] = WP.length - 2;
  p[2] = cd ? 0x01 : 0x00; // TAO on CD, incremental elsewhere; BUFE off, Test Write off
  p[3] = 0x04; // no multi-session; track mode 4 (data, uninterrupted)
  p[4] = 0x08; // data block type 8: mode 1, 2048 bytes
  writeU16BE(p, WP.audioPause, 150);
  return p;
}

/** Bits the host may change in page 05h. */
export function writeParametersMask(): Uint8Array {
  const m = new Uint8Array(WP.length);
  m[0] = MODE_PAGE.writeParameters;
  m[1] = WP.length - 2;
  m[2] = 0x7f;
  m[3] = 0xff;
  m[4] = 0x0f;
  m[5] = 0xff;
  m[7] = 0x3f;
  m[8] = 0xff;
  m.fill(0xff, 10, WP.length);
  return m;
}

export interface WriteParameters {
  readonly bufe: boolean;
  readonly testWrite: boolean;
  readonly writeType: number;
  readonly multiSession: number;
  readonly trackMode: number;
  readonly dataBlockType: number;
  readonly linkSize: number;
}

export function readWriteParameters(p: Uint8Array): WriteParameters {
  const flags = p[WP.flagsByte]!;
  const mode = p[WP.modeByte]!;
  return {
    bufe: (flags & 0x40) !== 0,
    testWrite: (flags & 0x10) !== 0,
    writeType: flags & 0x0f,
    multiSession: mode >> 6,
    trackMode: mode & 0x0f,
    dataBlockType: p[WP.dataBlockTypeByte]! & 0x0f,
    linkSize: p[WP.linkSizeByte]!,
  };
}

export function defaultErrorRecovery(): Uint8Array {
  const p = new Uint8Array(12);
  p[0] = MODE_PAGE.errorRecovery;
  p[1] = 0x0a;
  p[2] = 0x80; // AWRE
  p[3] = 0x10; // read retry count
  p[8] = 0x10; // write retry count
  return p;
}
export function errorRecoveryMask(): Uint8Array {
  return Uint8Array.of(MODE_PAGE.errorRecovery, 0x0a, 0xff, 0xff, 0, 0, 0, 0, 0xff, 0, 0xff, 0xff);
}

export function defaultPowerCondition(): Uint8Array {
  const p = new Uint8Array(12);
  p[0] = MODE_PAGE.powerCondition;
  p[1] = 0x0a;
  return p;
}
export function powerConditionMask(): Uint8Array {
  return Uint8Array.of(MODE_PAGE.powerCondition, 0x0a, 0, 0x03, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
}

export function defaultTimeoutProtect(p: Personality): Uint8Array {
  const b = new Uint8Array(12);
  b[0] = MODE_PAGE.timeoutProtect;
  b[1] = 0x0a;
  writeU16BE(b, 6, Math.min(0xffff, p.timeouts.group1Seconds));
  writeU16BE(b, 8, Math.min(0xffff, p.timeouts.group2Seconds));
  writeU16BE(b, 10, Math.min(0xffff, p.timeouts.group3Seconds));
  return b;
}
export function timeoutProtectMask(): Uint8Array {
  return Uint8Array.of(MODE_PAGE.timeoutProtect, 0x0a, 0, 0, 0x0f, 0, 0, 0, 0, 0, 0, 0);
}

/** Speeds in kB/s as MMC reports them (1x CD = 176.4 kB/s, rounded as drives do). */
export function speedKbps(media: MediaId, multiplier: number): number {
  return Math.round(KBPS_1X[MEDIA[media].family] * multiplier);
}

export interface CapabilitiesContext {
  readonly personality: Personality;
  readonly media: MediaId | undefined;
  readonly locked: boolean;
  readonly trayOpen: boolean;
  /** Currently selected write speed, kB/s. */
  readonly writeSpeedKbps: number;
  readonly readSpeedKbps: number;
}

/** Page 2Ah with its write speed performance descriptors for the loaded medium (MMC-6 7.8). */
export function encodeCapabilities(c: CapabilitiesContext): Uint8Array {
  const p = c.personality;
  const reads = (m: MediaId) => p.reads.includes(m);
  const writes = (m: MediaId) => p.writes.includes(m);
  const speeds = writeSpeedsFor(p, c.media);
  const b = new Uint8Array(32 + 4 * speeds.length);
  b[0] = MODE_PAGE.capabilities;
  b[1] = b.length - 2;
  b[2] = (reads("dvd-ram") ? 0x20 : 0) | (reads("dvd-r") ? 0x10 : 0) | (reads("dvd-rom") ? 0x08 : 0) | 0x04 | (reads("cd-rw") ? 0x02 : 0) | (reads("cd-r") ? 0x01 : 0);
  b[3] = (writes("dvd-ram") ? 0x20 : 0) | (writes("dvd-r") ? 0x10 : 0) | (p.testWrite ? 0x04 : 0) | (writes("cd-rw") ? 0x02 : 0) | (writes("cd-r") ? 0x01 : 0);
  b[4] = (p.bufe ? 0x80 : 0) | 0x40 | 0x20 | 0x10; // BUF, Multi Session, Mode 2 Form 2, Mode 2 Form 1
  b[5] = 0x01; // CD-DA commands supported
  b[6] = (0b001 << 5) | 0x08 | (c.locked ? 0x02 : 0) | 0x01; // tray, Eject, Lock state, Lock
  b[7] = 0x00;
  writeU16BE(b, 12, Math.min(0xffff, Math.floor(p.bufferBytes / 1024))); // buffer size, KB
  writeU16BE(b, 22, 0x0001); // copy management revision
  b[27] = 0x00; // rotation control selected: CLV/PCAV
  writeU16BE(b, 28, Math.min(0xffff, c.writeSpeedKbps)); // current write speed selected
  writeU16BE(b, 30, speeds.length);
  speeds.forEach((kbps, i) => {
    b[32 + i * 4 + 1] = 0x00; // rotation control: CLV
    writeU16BE(b, 32 + i * 4 + 2, Math.min(0xffff, kbps));
  });
  return b;
}

/** Write speeds (kB/s, fastest first) the drive offers for a medium: rated speeds up to its maximum. */
export function writeSpeedsFor(p: Personality, media: MediaId | undefined): number[] {
  if (!media) return [];
  const max = p.writeSpeeds[media];
  if (!max) return [];
  const rated = MEDIA[media].ratedSpeeds.filter((x) => x <= max);
  const list = rated.length > 0 ? rated : [max];
  return [...new Set(list.map((x) => speedKbps(media, x)))].sort((a, b) => b - a);
}

/** Mode parameter header (10) (SPC-4 7.5.5), no block descriptors. */
export function modeHeader10(pagesLength: number): Uint8Array {
  const h = new Uint8Array(8);
  writeU16BE(h, 0, pagesLength + 6); // mode data length excludes itself
  return h;
}
/** Mode parameter header (6). */
export function modeHeader6(pagesLength: number): Uint8Array {
  const h = new Uint8Array(4);
  h[0] = Math.min(0xff, pagesLength + 3);
  return h;
}

