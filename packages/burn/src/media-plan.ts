/**
 * How each medium is written: the write type of mode page 05h, whether a track is reserved, the
 * ECC block writes are aligned to, whether the medium can simulate, needs formatting first, and
 * which CLOSE TRACK/SESSION functions leave it appendable or finish it.
 *
 * Facts from MMC-6 (4.5 CD, 4.6 DVD-R/RW, 4.7 DVD+R/+RW, 4.9 BD; 6.3 CLOSE TRACK SESSION close
 * functions per medium; 7.5 write parameters) and the sequences of growisofs (DVD/BD: incremental
 * or none, close track 1 then close session 2 or finalize 6, 16/32-sector writes) and cdrecord
 * (CD: TAO, data block type 8, multi-session 11b to leave the disc open).
 */
import type { MediaReport } from "@discforge/drive";
import { ONE_X_KBPS } from "@discforge/mmc";
import { WRITE_TYPE, type CloseFunction } from "@discforge/mmc";

export type MediaClass =
  | "cd" // CD-R, CD-RW: TAO
  | "dvd-dash" // DVD-R, DVD-RW sequential: incremental (or DAO)
  | "dvd-plus-r" // DVD+R, DVD+R DL
  | "bd-r" // BD-R SRM
  | "dvd-plus-rw"
  | "dvd-ram"
  | "bd-re"
  | "dvd-rw-ro"; // DVD-RW restricted overwrite

export interface MediaPlan {
  readonly mediaClass: MediaClass;
  /** Sequential: data goes at the next writable address and becomes a new session. */
  readonly sequential: boolean;
  /** Sectors per ECC block: writes are aligned to it and the end padded. */
  readonly eccBlock: number;
  /** Write type for mode page 05h (undefined: the page's write type does not matter). */
  readonly writeType?: number;
  /** The medium honours Test Write (CD-R/RW, DVD-R/RW). */
  readonly canSimulate: boolean;
  /** RESERVE TRACK before writing (DVD-R/RW Disc-at-Once). */
  readonly reserveTrack: boolean;
  /** FORMAT UNIT type to use on a blank, unformatted disc (undefined: none needed). */
  readonly formatType?: number;
  readonly formatSubType?: number;
  /** CLOSE functions, in order, to leave the disc appendable (sequential) or consistent (overwritable). */
  readonly closeAppendable: readonly CloseFunction[];
  /** CLOSE functions to finish (finalize) the disc. */
  readonly closeFinal: readonly CloseFunction[];
  /** The multi-session field drives appendability (CD, DVD-R/RW). */
  readonly multiSessionField: boolean;
}

const PROFILE_CLASS: Readonly<Record<number, MediaClass>> = {
  0x09: "cd",
  0x0a: "cd",
  0x11: "dvd-dash",
  0x14: "dvd-dash",
  0x15: "dvd-dash",
  0x16: "dvd-dash",
  0x1b: "dvd-plus-r",
  0x2b: "dvd-plus-r",
  0x41: "bd-r",
  0x1a: "dvd-plus-rw",
  0x12: "dvd-ram",
  0x43: "bd-re",
  0x13: "dvd-rw-ro",
};

export function mediaClassOf(profile: number): MediaClass | undefined {
  return PROFILE_CLASS[profile];
}

export function planFor(media: MediaReport, options: { readonly dao?: boolean } = {}): MediaPlan | undefined {
  const cls = mediaClassOf(media.profile);
  switch (cls) {
    case undefined:
      return undefined;
    case "cd":
      return { mediaClass: cls, sequential: true, eccBlock: 1, writeType: WRITE_TYPE.trackAtOnce, canSimulate: true, reserveTrack: false, closeAppendable: ["closeTrack", "closeSession"], closeFinal: ["closeTrack", "closeSession"], multiSessionField: true };
    case "dvd-dash":
      return options.dao
        ? { mediaClass: cls, sequential: true, eccBlock: 16, writeType: WRITE_TYPE.sessionAtOnce, canSimulate: true, reserveTrack: true, closeAppendable: [], closeFinal: [], multiSessionField: true }
        : { mediaClass: cls, sequential: true, eccBlock: 16, writeType: WRITE_TYPE.packetIncremental, canSimulate: true, reserveTrack: false, closeAppendable: ["closeTrack", "closeSession"], closeFinal: ["closeTrack", "closeSession"], multiSessionField: true };
    case "dvd-plus-r":
      return { mediaClass: cls, sequential: true, eccBlock: 16, canSimulate: false, reserveTrack: false, closeAppendable: ["closeTrack", "closeSession"], closeFinal: ["closeTrack", "finalize"], multiSessionField: false };
    case "bd-r":
      return { mediaClass: cls, sequential: true, eccBlock: 32, canSimulate: false, reserveTrack: false, closeAppendable: ["closeTrack", "closeSession"], closeFinal: ["closeTrack", "finalize"], multiSessionField: false };
    case "dvd-plus-rw":
      // Background format 26h; "compatible stop" (010b) after writing, "finalize" (011b) completes it.
      return { mediaClass: cls, sequential: false, eccBlock: 16, canSimulate: false, reserveTrack: false, formatType: 0x26, formatSubType: 0, closeAppendable: ["closeSession"], closeFinal: ["dvdPlusRwFinalize"], multiSessionField: false };
    case "dvd-ram":
      return { mediaClass: cls, sequential: false, eccBlock: 16, canSimulate: false, reserveTrack: false, formatType: 0x00, formatSubType: 0, closeAppendable: [], closeFinal: [], multiSessionField: false };
    case "bd-re":
      // 30h with spare areas, sub-type 11b: quick certification.
      return { mediaClass: cls, sequential: false, eccBlock: 32, canSimulate: false, reserveTrack: false, formatType: 0x30, formatSubType: 3, closeAppendable: [], closeFinal: [], multiSessionField: false };
    case "dvd-rw-ro":
      return { mediaClass: cls, sequential: false, eccBlock: 16, canSimulate: false, reserveTrack: false, closeAppendable: [], closeFinal: [], multiSessionField: false };
  }
}

/** 1x user-data rates in bytes per second (CD 75 × 2048, DVD 11.08 Mbit/s, BD 36 Mbit/s). */
export const RATE_1X = { CD: 153_600, DVD: 1_385_000, BD: 4_495_500 } as const;
/** MMC speed units are kB/s; 1x CD counts 2352-byte frames (the mmc table, keyed by family). */
export const KBPS_1X = { CD: ONE_X_KBPS.cd, DVD: ONE_X_KBPS.dvd, BD: ONE_X_KBPS.bd } as const;

export function familyKey(family: string): "CD" | "DVD" | "BD" {
  return family === "BD" ? "BD" : family === "DVD" || family === "HD DVD" ? "DVD" : "CD";
}

/** User-data bytes per second at a speed given in kB/s. */
export function bytesPerSecondAt(kbps: number, family: string): number {
  const f = familyKey(family);
  return (kbps / KBPS_1X[f]) * RATE_1X[f];
}
