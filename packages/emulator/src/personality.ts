/**
 * Drive personalities: what an emulated recorder says it is and what it can do. Three ship ready
 * (a CD-RW recorder, a DVD±RW recorder, a BD writer); callers can derive their own.
 */
import { InvalidArgumentError } from "@discforge/errors";
import { MEDIA, isMediaId, type MediaId } from "./media.js";

export interface DriveIdentity {
  /** INQUIRY T10 vendor identification, up to 8 characters. */
  readonly vendor: string;
  /** Up to 16 characters. */
  readonly product: string;
  /** Up to 4 characters. */
  readonly revision: string;
  readonly serial: string;
}

/** Group timeouts reported in mode page 1Dh, seconds. */
export interface DriveTimeouts {
  readonly group1Seconds: number;
  readonly group2Seconds: number;
  readonly group3Seconds: number;
}

export interface Personality {
  readonly id: string;
  readonly identity: DriveIdentity;
  readonly reads: readonly MediaId[];
  readonly writes: readonly MediaId[];
  /** Drive buffer size in bytes. */
  readonly bufferBytes: number;
  /** Maximum write speed (× 1x of the family) per writable medium. */
  readonly writeSpeeds: Partial<Readonly<Record<MediaId, number>>>;
  /** Maximum read speed (× 1x) per family. */
  readonly readSpeeds: Readonly<Record<"cd" | "dvd" | "bd", number>>;
  /** Buffer underrun protection (BUF bit in features 002Dh/002Eh/002Fh/0021h). */
  readonly bufe: boolean;
  /** Test write supported by the drive (still needs a medium that supports it). */
  readonly testWrite: boolean;
  /** Tray can be closed by START STOP UNIT (LoEj=1, Start=1). */
  readonly canLoad: boolean;
  /** Time from load to ready; NOT READY 04/01 in between. */
  readonly spinUpMs: number;
  readonly timeouts: DriveTimeouts;
}

const timeouts: DriveTimeouts = { group1Seconds: 60, group2Seconds: 600, group3Seconds: 3600 };
const CD_ALL: MediaId[] = ["cd-rom", "cd-r", "cd-rw"];
const DVD_ALL: MediaId[] = ["dvd-rom", "dvd-r", "dvd-rw", "dvd+r", "dvd+r-dl", "dvd+rw", "dvd-ram"];
const BD_ALL: MediaId[] = ["bd-rom", "bd-r", "bd-re"];

export const PERSONALITIES = {
  "cd-rw-drive": {
    id: "cd-rw-drive",
    identity: { vendor: "DISCFRGE", product: "EMU CD-RW 52x", revision: "1.00", serial: "EMUCD0000001" },
    reads: CD_ALL,
    writes: ["cd-r", "cd-rw"],
    bufferBytes: 2 * 1024 * 1024,
    writeSpeeds: { "cd-r": 48, "cd-rw": 24 },
    readSpeeds: { cd: 52, dvd: 0, bd: 0 },
    bufe: true,
    testWrite: true,
    canLoad: true,
    spinUpMs: 0,
    timeouts,
  },
  "dvd-rw-drive": {
    id: "dvd-rw-drive",
    identity: { vendor: "DISCFRGE", product: "EMU DVD+-RW 24x", revision: "1.00", serial: "EMUDVD000001" },
    reads: [...CD_ALL, ...DVD_ALL],
    writes: ["cd-r", "cd-rw", "dvd-r", "dvd-rw", "dvd+r", "dvd+r-dl", "dvd+rw", "dvd-ram"],
    bufferBytes: 2 * 1024 * 1024,
    writeSpeeds: { "cd-r": 48, "cd-rw": 24, "dvd-r": 16, "dvd-rw": 6, "dvd+r": 16, "dvd+r-dl": 8, "dvd+rw": 8, "dvd-ram": 5 },
    readSpeeds: { cd: 48, dvd: 16, bd: 0 },
    bufe: true,
    testWrite: true,
    canLoad: true,
    spinUpMs: 0,
    timeouts,
  },
  "bd-writer": {
    id: "bd-writer",
    identity: { vendor: "DISCFRGE", product: "EMU BD-RE 16x", revision: "1.00", serial: "EMUBD0000001" },
    reads: [...CD_ALL, ...DVD_ALL, ...BD_ALL],
    writes: ["cd-r", "cd-rw", "dvd-r", "dvd-rw", "dvd+r", "dvd+r-dl", "dvd+rw", "dvd-ram", "bd-r", "bd-re"],
    bufferBytes: 4 * 1024 * 1024,
    writeSpeeds: { "cd-r": 40, "cd-rw": 24, "dvd-r": 16, "dvd-rw": 6, "dvd+r": 16, "dvd+r-dl": 8, "dvd+rw": 8, "dvd-ram": 5, "bd-r": 12, "bd-re": 2 },
    readSpeeds: { cd: 40, dvd: 16, bd: 12 },
    bufe: true,
    testWrite: true,
    canLoad: true,
    spinUpMs: 0,
    timeouts,
  },
} as const satisfies Record<string, Personality>;
export type PersonalityId = keyof typeof PERSONALITIES;

export function personalityFor(id: string): Personality {
  const p = (PERSONALITIES as Record<string, Personality>)[id];
  if (!p) throw new InvalidArgumentError("personality", `unknown personality '${id}' (known: ${Object.keys(PERSONALITIES).join(", ")})`);
  return p;
}

/** The smallest shipped personality that writes the medium (a CD-R goes in the CD-RW drive). */
export function defaultPersonalityFor(media: MediaId): Personality {
  for (const p of Object.values(PERSONALITIES) as Personality[]) {
    if (p.writes.includes(media) || (MEDIA[media].recording === "rom" && p.reads.includes(media))) return p;
  }
  return PERSONALITIES["bd-writer"];
}

/** Checks a caller-made personality for obvious mistakes. */
export function checkPersonality(p: Personality): void {
  for (const m of [...p.reads, ...p.writes]) if (!isMediaId(m)) throw new InvalidArgumentError("personality", `unknown medium '${m}'`);
  for (const m of p.writes) {
    if (!p.reads.includes(m)) throw new InvalidArgumentError("personality", `writes ${m} but cannot read it`);
    if (!(Number(p.writeSpeeds[m]) > 0)) throw new InvalidArgumentError("personality", `no write speed for ${m}`);
  }
  if (!(p.bufferBytes >= 65536)) throw new InvalidArgumentError("personality", "bufferBytes must be at least 64 KiB");
  if (p.identity.vendor.length > 8 || p.identity.product.length > 16 || p.identity.revision.length > 4) {
    throw new InvalidArgumentError("personality", "identity fields exceed INQUIRY lengths (8/16/4)");
  }
}
