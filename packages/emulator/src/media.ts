/**
 * The media catalogue: every medium the emulator can load, with its MMC profile (MMC-6 5.3.1
 * Table 93), its capacity in 2048-byte sectors, how it records, and its speeds.
 *
 * Capacities are those of common real media: CD 80 min (359,847 sectors of user data in one
 * session), DVD-R 2,298,496, DVD+R and DVD+RW 2,295,104, DVD+R DL 4,173,824, DVD-RW 2,297,888,
 * DVD-RAM 4.7 GB 2,236,704, BD 25 GB 12,219,392 (BD-RE formatted with the default spare area:
 * 11,826,176).
 */

export const MEDIA_IDS = [
  "cd-rom",
  "cd-r",
  "cd-rw",
  "dvd-rom",
  "dvd-r",
  "dvd-rw",
  "dvd+r",
  "dvd+r-dl",
  "dvd+rw",
  "dvd-ram",
  "bd-rom",
  "bd-r",
  "bd-re",
] as const;
export type MediaId = (typeof MEDIA_IDS)[number];

/** Media a new blank virtual disc can be created with (`--media`). */
export const BLANK_MEDIA_IDS = ["cd-r", "cd-rw", "dvd-r", "dvd-rw", "dvd+r", "dvd+r-dl", "dvd+rw", "dvd-ram", "bd-r", "bd-re"] as const;
export type BlankMediaId = (typeof BLANK_MEDIA_IDS)[number];

/** MMC-6 profile numbers (Table 93). */
export const PROFILE = {
  cdRom: 0x0008,
  cdR: 0x0009,
  cdRw: 0x000a,
  dvdRom: 0x0010,
  dvdRSequential: 0x0011,
  dvdRam: 0x0012,
  dvdRwRestrictedOverwrite: 0x0013,
  dvdRwSequential: 0x0014,
  dvdPlusRw: 0x001a,
  dvdPlusR: 0x001b,
  dvdPlusRDualLayer: 0x002b,
  bdRom: 0x0040,
  bdRSequential: 0x0041,
  bdRe: 0x0043,
} as const;

export type MediaFamily = "cd" | "dvd" | "bd";
/** How the medium records: ROM (never), sequential (NWA, tracks, sessions), random (LBA-addressed). */
export type Recording = "rom" | "sequential" | "random";
/** MMC write types (mode page 05h byte 2 bits 3-0, MMC-6 7.5.4.4). */
export const WRITE_TYPE = { packetIncremental: 0, trackAtOnce: 1, sessionAtOnce: 2, raw: 3, layerJump: 4 } as const;

export interface MediaSpec {
  readonly id: MediaId;
  readonly name: string;
  readonly family: MediaFamily;
  readonly profile: number;
  readonly recording: Recording;
  readonly rewritable: boolean;
  /** User-data sectors of a blank (or, for random media, formatted) disc. */
  readonly capacity: number;
  /** Write types accepted in mode page 05h (sequential media). */
  readonly writeTypes: readonly number[];
  /** Test write (simulation) supported by the medium (CD-R/RW, DVD-R/RW). */
  readonly testWrite: boolean;
  /** Sectors per ECC block: 1 on CD, 16 on DVD, 32 on BD. */
  readonly eccBlock: number;
  /** Layers. */
  readonly layers: number;
  /** 1x user-data rate in bytes per second. */
  readonly bytesPerSecondAt1x: number;
  /** Speed multipliers a typical medium of this kind is rated for, slowest first. */
  readonly ratedSpeeds: readonly number[];
  /** Needs FORMAT UNIT before random writes (DVD+RW, BD-RE) or can be formatted (DVD-RW). */
  readonly formattable: boolean;
  /** Can be erased with BLANK (CD-RW, DVD-RW). */
  readonly blankable: boolean;
}

/** 1x rates of user data: CD 75 sectors/s × 2048, DVD 11.08 Mbit/s, BD 36 Mbit/s. */
export const RATE_1X = { cd: 153_600, dvd: 1_385_000, bd: 4_495_500 } as const;
/** MMC speed units are kB/s (1000 bytes); 1x CD is 176.4 kB/s counted on 2352-byte frames. */
export const KBPS_1X = { cd: 176.4, dvd: 1385, bd: 4495.5 } as const;

const cd = { family: "cd", eccBlock: 1, layers: 1, bytesPerSecondAt1x: RATE_1X.cd, formattable: false } as const;
const dvd = { family: "dvd", eccBlock: 16, bytesPerSecondAt1x: RATE_1X.dvd } as const;
const bd = { family: "bd", eccBlock: 32, layers: 1, bytesPerSecondAt1x: RATE_1X.bd } as const;
const none: readonly number[] = [];

export const MEDIA: Readonly<Record<MediaId, MediaSpec>> = {
  "cd-rom": { ...cd, id: "cd-rom", name: "CD-ROM", profile: PROFILE.cdRom, recording: "rom", rewritable: false, capacity: 359_847, writeTypes: none, testWrite: false, ratedSpeeds: [], blankable: false },
  "cd-r": { ...cd, id: "cd-r", name: "CD-R", profile: PROFILE.cdR, recording: "sequential", rewritable: false, capacity: 359_847, writeTypes: [WRITE_TYPE.trackAtOnce, WRITE_TYPE.sessionAtOnce], testWrite: true, ratedSpeeds: [4, 8, 16, 24, 32, 40, 48], blankable: false },
  "cd-rw": { ...cd, id: "cd-rw", name: "CD-RW", profile: PROFILE.cdRw, recording: "sequential", rewritable: true, capacity: 359_847, writeTypes: [WRITE_TYPE.trackAtOnce, WRITE_TYPE.sessionAtOnce], testWrite: true, ratedSpeeds: [4, 10, 16, 24], blankable: true },
  "dvd-rom": { ...dvd, id: "dvd-rom", name: "DVD-ROM", profile: PROFILE.dvdRom, recording: "rom", rewritable: false, capacity: 2_295_104, layers: 1, writeTypes: none, testWrite: false, ratedSpeeds: [], formattable: false, blankable: false },
  "dvd-r": { ...dvd, id: "dvd-r", name: "DVD-R", profile: PROFILE.dvdRSequential, recording: "sequential", rewritable: false, capacity: 2_298_496, layers: 1, writeTypes: [WRITE_TYPE.packetIncremental, WRITE_TYPE.sessionAtOnce], testWrite: true, ratedSpeeds: [4, 8, 16], formattable: false, blankable: false },
  "dvd-rw": { ...dvd, id: "dvd-rw", name: "DVD-RW", profile: PROFILE.dvdRwSequential, recording: "sequential", rewritable: true, capacity: 2_297_888, layers: 1, writeTypes: [WRITE_TYPE.packetIncremental, WRITE_TYPE.sessionAtOnce], testWrite: true, ratedSpeeds: [2, 4, 6], formattable: true, blankable: true },
  "dvd+r": { ...dvd, id: "dvd+r", name: "DVD+R", profile: PROFILE.dvdPlusR, recording: "sequential", rewritable: false, capacity: 2_295_104, layers: 1, writeTypes: [WRITE_TYPE.packetIncremental], testWrite: false, ratedSpeeds: [4, 8, 16], formattable: false, blankable: false },
  "dvd+r-dl": { ...dvd, id: "dvd+r-dl", name: "DVD+R DL", profile: PROFILE.dvdPlusRDualLayer, recording: "sequential", rewritable: false, capacity: 4_173_824, layers: 2, writeTypes: [WRITE_TYPE.packetIncremental], testWrite: false, ratedSpeeds: [2.4, 4, 8], formattable: false, blankable: false },
  "dvd+rw": { ...dvd, id: "dvd+rw", name: "DVD+RW", profile: PROFILE.dvdPlusRw, recording: "random", rewritable: true, capacity: 2_295_104, layers: 1, writeTypes: none, testWrite: false, ratedSpeeds: [2.4, 4, 8], formattable: true, blankable: false },
  "dvd-ram": { ...dvd, id: "dvd-ram", name: "DVD-RAM", profile: PROFILE.dvdRam, recording: "random", rewritable: true, capacity: 2_236_704, layers: 1, writeTypes: none, testWrite: false, ratedSpeeds: [2, 3, 5], formattable: true, blankable: false },
  "bd-rom": { ...bd, id: "bd-rom", name: "BD-ROM", profile: PROFILE.bdRom, recording: "rom", rewritable: false, capacity: 12_219_392, writeTypes: none, testWrite: false, ratedSpeeds: [], formattable: false, blankable: false },
  "bd-r": { ...bd, id: "bd-r", name: "BD-R", profile: PROFILE.bdRSequential, recording: "sequential", rewritable: false, capacity: 12_219_392, writeTypes: [WRITE_TYPE.packetIncremental], testWrite: false, ratedSpeeds: [2, 4, 6, 8, 12], formattable: false, blankable: false },
  "bd-re": { ...bd, id: "bd-re", name: "BD-RE", profile: PROFILE.bdRe, recording: "random", rewritable: true, capacity: 12_219_392, writeTypes: none, testWrite: false, ratedSpeeds: [1, 2], formattable: true, blankable: false },
};

/** BD-RE default format (type 00h with the standard spare areas): user capacity. */
export const BD_RE_DEFAULT_FORMATTED = 11_826_176;

export function isMediaId(s: string): s is MediaId {
  return (MEDIA_IDS as readonly string[]).includes(s);
}
export function isBlankMediaId(s: string): s is BlankMediaId {
  return (BLANK_MEDIA_IDS as readonly string[]).includes(s);
}

/** Profile of the medium in its current state (DVD-RW changes profile when formatted). */
export function profileOf(media: MediaId, restrictedOverwrite: boolean): number {
  if (media === "dvd-rw" && restrictedOverwrite) return PROFILE.dvdRwRestrictedOverwrite;
  return MEDIA[media].profile;
}
