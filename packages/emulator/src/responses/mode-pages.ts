/**
 * Mode pages the emulated drive keeps (SPC-4 7.5, MMC-6 7): 01h Read/Write Error Recovery
 * (MMC-6 7.3), 05h Write Parameters (7.5), 1Ah Power Condition (SPC-4 7.5.13 / MMC-6 7.6),
 * 1Dh Timeout and Protect (7.7), 2Ah MM Capabilities and Mechanical Status (7.8, read only).
 * Pages are held as raw bytes (page code byte through the end) so MODE SELECT can compare them
 * against a changeable mask; values are encoded and read with the mmc package's page codecs.
 */
import {
  capabilitiesPageCodec,
  defaultWriteParameters as writeParametersDefaults,
  errorRecoveryPageCodec,
  LOADING_MECHANISM,
  powerConditionPageCodec,
  ROTATION_CONTROL,
  timeoutProtectPageCodec,
  WRITE_TYPE,
  writeParametersPageCodec,
} from "@discforge/mmc";
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
  // TAO on CD, incremental elsewhere; BUFE and Test Write off; track mode 4; mode 1 blocks.
  return writeParametersPageCodec.encode(writeParametersDefaults({ writeType: cd ? WRITE_TYPE.trackAtOnce : WRITE_TYPE.packetIncremental }));
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
  const v = writeParametersPageCodec.decode(p);
  return { bufe: v.bufe, testWrite: v.testWrite, writeType: v.writeType, multiSession: v.multiSession, trackMode: v.trackMode, dataBlockType: v.dataBlockType, linkSize: v.linkSize };
}

export function defaultErrorRecovery(): Uint8Array {
  return errorRecoveryPageCodec.encode({ ps: false, awre: true, arre: false, tb: false, rc: false, per: false, dte: false, dcr: false, readRetryCount: 0x10, emcdr: 0, writeRetryCount: 0x10, recoveryTimeLimit: 0 });
}
export function errorRecoveryMask(): Uint8Array {
  return Uint8Array.of(MODE_PAGE.errorRecovery, 0x0a, 0xff, 0xff, 0, 0, 0, 0, 0xff, 0, 0xff, 0xff);
}

export function defaultPowerCondition(): Uint8Array {
  return powerConditionPageCodec.encode({ ps: false, byte2: 0, idle: false, standby: false, idleConditionTimer: 0, standbyConditionTimer: 0, otherConditionBits: 0, extension: new Uint8Array(0) });
}
export function powerConditionMask(): Uint8Array {
  return Uint8Array.of(MODE_PAGE.powerCondition, 0x0a, 0, 0x03, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
}

export function defaultTimeoutProtect(p: Personality): Uint8Array {
  return timeoutProtectPageCodec.encode({
    ps: false,
    g3Enable: false,
    tmoe: false,
    disp: false,
    swpp: false,
    group1MinimumTimeout: Math.min(0xffff, p.timeouts.group1Seconds),
    group2MinimumTimeout: Math.min(0xffff, p.timeouts.group2Seconds),
    group3Timeout: Math.min(0xffff, p.timeouts.group3Seconds),
  });
}
/** G3Enable, TMOE, DISP, SWPP and the Group 3 timeout are the host's; groups 1 and 2 are the drive's minimums. */
export function timeoutProtectMask(): Uint8Array {
  return Uint8Array.of(MODE_PAGE.timeoutProtect, 0x0a, 0, 0, 0x0f, 0, 0, 0, 0, 0, 0xff, 0xff);
}

/** Page 1Dh bits and fields the drive acts on. */
export function readTimeoutProtect(page: Uint8Array): { tmoe: boolean; g3Enable: boolean; group3Seconds: number } {
  return { g3Enable: (page[4]! & 0x08) !== 0, tmoe: (page[4]! & 0x04) !== 0, group3Seconds: (page[10]! << 8) | page[11]! };
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
  const maxRead = Math.round(176.4 * p.readSpeeds.cd);
  return capabilitiesPageCodec.encode({
    ps: false,
    dvdRamRead: reads("dvd-ram"),
    dvdRRead: reads("dvd-r"),
    dvdRomRead: reads("dvd-rom"),
    method2: true,
    cdRwRead: reads("cd-rw"),
    cdRRead: reads("cd-r"),
    dvdRamWrite: writes("dvd-ram"),
    dvdRWrite: writes("dvd-r"),
    testWrite: p.testWrite,
    cdRwWrite: writes("cd-rw"),
    cdRWrite: writes("cd-r"),
    buf: p.bufe,
    multiSession: true,
    mode2Form2: true,
    mode2Form1: true,
    digitalPort2: false,
    digitalPort1: false,
    composite: false,
    audioPlay: false,
    readBarCode: false,
    upc: false,
    isrc: false,
    c2PointersSupported: false,
    rwDeinterleavedCorrected: false,
    rwSupported: false,
    cdDaStreamAccurate: false,
    cdDaCommandsSupported: true,
    loadingMechanismType: LOADING_MECHANISM.tray,
    eject: true,
    preventJumper: false,
    lockState: c.locked,
    lock: true,
    rwInLeadIn: false,
    sideChangeCapable: false,
    softwareSlotSelection: false,
    changerSupportsDiscPresent: false,
    separateChannelMute: false,
    separateVolumeLevels: false,
    maximumReadSpeed: Math.min(0xffff, maxRead),
    numberOfVolumeLevels: 0,
    bufferSize: Math.min(0xffff, Math.floor(p.bufferBytes / 1024)),
    currentReadSpeed: Math.min(0xffff, c.readSpeedKbps),
    digitalOutputFormat: 0,
    maximumWriteSpeed: Math.min(0xffff, speeds[0] ?? 0),
    currentWriteSpeedObsolete: Math.min(0xffff, c.writeSpeedKbps),
    copyManagementRevision: 1,
    rotationControlSelected: ROTATION_CONTROL.clv,
    currentWriteSpeed: Math.min(0xffff, c.writeSpeedKbps),
    writeSpeedDescriptors: speeds.map((kbps) => ({ rotationControl: ROTATION_CONTROL.clv, writeSpeed: Math.min(0xffff, kbps) })),
    reserved: new Uint8Array(4),
  });
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
