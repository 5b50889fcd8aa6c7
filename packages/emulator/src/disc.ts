/**
 * The media state machines (MMC-6 4.5 CD, 4.6 DVD, 4.9 BD recording models), as plain data plus
 * the operations the commands perform on it. Everything here is synchronous and pure: refusals
 * are thrown as `Refusal` (CHECK CONDITION), and the state stays consistent whatever is refused.
 *
 * Sequential media (CD-R/RW, DVD-R/RW sequential, DVD+R, DVD+R DL, BD-R SRM): a blank disc holds
 * one open session with one invisible track at LBA 0. Writing happens only at a track's next
 * writable address (NWA). RESERVE TRACK fixes the invisible track's size and opens a new invisible
 * track after it. CLOSE TRACK fixes a track's size at what was recorded (rounded to the ECC block).
 * CLOSE SESSION closes the session and either opens the next session after the lead-out/lead-in
 * (or border) area, or finalizes the disc.
 *
 * Random media (DVD+RW, DVD-RAM, BD-RE, DVD-RW restricted overwrite): writes anywhere inside the
 * formatted capacity, once formatted.
 */
import { MEDIA, WRITE_TYPE, BD_RE_DEFAULT_FORMATTED, type MediaId, type MediaSpec } from "./media.js";
import { InvalidArgumentError } from "@discforge/errors";
import { refuse, SENSE } from "./sense.js";

export interface TrackState {
  number: number;
  session: number;
  start: number;
  /** Fixed size (reserved or closed track); null while the track is invisible and grows. */
  size: number | null;
  /** Next writable address inside this track; start + recorded blocks. */
  nwa: number;
  reserved: boolean;
  closed: boolean;
  /** Left damaged by a loss of streaming; no more writes until closed. */
  damaged: boolean;
  /** CD-DA track (session-at-once audio): 2352-byte blocks, Q CONTROL 0. Absent: Mode 1 data. */
  audio?: boolean;
  /** Q CONTROL nibble from the cue sheet (session-at-once); absent: 4, a data track. */
  control?: number;
  /** Index 0 (pregap) start when the track has a pregap recorded by session-at-once. */
  pregapStart?: number;
}

/** What a CD track holds, for READ CD and the Q sub-channel. */
export function cdTrackKind(t: TrackState | undefined): "mode1" | "audio" {
  return t?.audio === true ? "audio" : "mode1";
}

export interface SessionState {
  number: number;
  closed: boolean;
}

/** DVD+RW background format status as in READ DISC INFORMATION byte 7 (MMC-6 6.22.3.1.9). */
export type FormatState = "unformatted" | "incomplete" | "running" | "formatted";

/**
 * What the medium says about its maker, as pressed into the pre-groove: ADIP on DVD+R/+RW (READ
 * DISC STRUCTURE 11h), pre-recorded information on DVD-R/-RW (0Eh), the disc information unit on
 * BD-R/RE (00h), the ATIP start time of lead-in on CD-R/RW (whose minute:second:frame-tens is the
 * disc manufacturer code).
 */
export interface MediaIdentity {
  /** DVD+R/+RW 8 characters, DVD-R/-RW up to 12, BD 6; empty on CD. */
  readonly manufacturerId: string;
  /** DVD+R/+RW and BD: 3 characters; empty where the medium has none. */
  readonly mediaTypeId: string;
  readonly productRevision: number;
  /** CD-R/RW: ATIP start time of lead-in (minute 90-99). */
  readonly atipLeadInStart?: { readonly minute: number; readonly second: number; readonly frame: number };
}

/** Default identities of new blank media (made-up manufacturer codes of the emulator's own). */
export const DEFAULT_MEDIA_IDENTITY: Partial<Readonly<Record<MediaId, MediaIdentity>>> = {
  "cd-r": { manufacturerId: "", mediaTypeId: "", productRevision: 0, atipLeadInStart: { minute: 97, second: 26, frame: 66 } },
  "cd-rw": { manufacturerId: "", mediaTypeId: "", productRevision: 0, atipLeadInStart: { minute: 97, second: 26, frame: 66 } },
  "dvd-r": { manufacturerId: "DISCFORGE R1", mediaTypeId: "", productRevision: 0 },
  "dvd-rw": { manufacturerId: "DISCFORGE W1", mediaTypeId: "", productRevision: 0 },
  "dvd+r": { manufacturerId: "DISCFRGE", mediaTypeId: "R01", productRevision: 1 },
  "dvd+r-dl": { manufacturerId: "DISCFRGE", mediaTypeId: "D01", productRevision: 1 },
  "dvd+rw": { manufacturerId: "DISCFRGE", mediaTypeId: "W01", productRevision: 1 },
  "bd-r": { manufacturerId: "DISCFR", mediaTypeId: "R01", productRevision: 1 },
  "bd-re": { manufacturerId: "DISCFR", mediaTypeId: "E01", productRevision: 1 },
};

/** Checks an identity against what the medium's structures can carry. */
export function checkMediaIdentity(media: MediaId, id: MediaIdentity): void {
  const fail = (why: string): never => {
    throw new InvalidArgumentError("mediaIdentity", `${media}: ${why}`);
  };
  const family = MEDIA[media].family;
  const ascii = /^[\x20-\x7e]*$/;
  if (!ascii.test(id.manufacturerId) || !ascii.test(id.mediaTypeId)) fail("identifiers must be printable ASCII");
  const maxManufacturer = media === "dvd-r" || media === "dvd-rw" ? 12 : family === "bd" ? 6 : family === "dvd" ? 8 : 0;
  if (id.manufacturerId.length > maxManufacturer) fail(`manufacturer ID longer than ${maxManufacturer} characters`);
  if (id.mediaTypeId.length > (family === "cd" || media === "dvd-r" || media === "dvd-rw" ? 0 : 3)) fail("media type ID too long for this medium");
  if (!Number.isInteger(id.productRevision) || id.productRevision < 0 || id.productRevision > 255) fail("product revision must be 0-255");
  const t = id.atipLeadInStart;
  if (t !== undefined) {
    if (family !== "cd") fail("only CD media have an ATIP");
    if (!(t.minute >= 90 && t.minute <= 99 && t.second >= 0 && t.second <= 59 && t.frame >= 0 && t.frame <= 74) || ![t.minute, t.second, t.frame].every(Number.isInteger)) fail("ATIP lead-in start must be 90:00:00-99:59:74");
  }
}

/** The whole persistent state of one disc; JSON-serialisable (the sidecar stores exactly this). */
export interface DiscState {
  media: MediaId;
  /** User-data sectors available (blank capacity for sequential media, formatted for random). */
  capacity: number;
  sessions: SessionState[];
  tracks: TrackState[];
  finalized: boolean;
  format: FormatState;
  /** DVD-RW formatted to restricted overwrite (profile 0013h). */
  restrictedOverwrite: boolean;
  /** BD-RE formatted with spare areas. */
  spare: boolean;
  writeProtected: boolean;
  /** Highest LBA + 1 ever written on random media (READ CAPACITY/track size of the one track). */
  randomEnd: number;
  /** Buffer underruns the drive bridged by linking (BUFE on), over the disc's life. */
  links: number;
  /** Manufacturer identification of recordable media (absent on pressed media and DVD-RAM). */
  mediaIdentity?: MediaIdentity;
}

/** Overhead between sessions on CD: lead-out (6750 sectors first, 2250 later) + lead-in 4500 + pregap 150. */
export const CD_SESSION_GAP_FIRST = 11_400;
export const CD_SESSION_GAP_LATER = 6_900;
/** TAO track-to-track gap on CD: 2 run-out blocks + 150-sector pregap of the next track. */
export const CD_TRACK_GAP = 152;
/** Border-out + border-in (DVD-R), session closure (DVD+R, BD-R) in sectors; model values. */
const SESSION_GAP: Record<"dvd" | "bd", number> = { dvd: 0x3000, bd: 0x800 };

export function blankDiscState(media: MediaId): DiscState {
  const spec = MEDIA[media];
  const base: DiscState = {
    media,
    capacity: spec.capacity,
    sessions: [],
    tracks: [],
    finalized: false,
    format: "formatted",
    restrictedOverwrite: false,
    spare: false,
    writeProtected: false,
    randomEnd: 0,
    links: 0,
    ...(DEFAULT_MEDIA_IDENTITY[media] ? { mediaIdentity: DEFAULT_MEDIA_IDENTITY[media] } : {}),
  };
  if (spec.recording === "sequential") {
    base.sessions.push({ number: 1, closed: false });
    base.tracks.push(invisibleTrack(1, 1, 0));
  } else if (media === "dvd+rw" || media === "bd-re") {
    base.format = "unformatted";
  }
  return base;
}

/** A finished ROM disc holding `sectors` of data in one session and one track. */
export function romDiscState(media: MediaId, sectors: number): DiscState {
  return {
    media,
    capacity: sectors,
    sessions: [{ number: 1, closed: true }],
    tracks: [{ number: 1, session: 1, start: 0, size: sectors, nwa: sectors, reserved: false, closed: true, damaged: false }],
    finalized: true,
    format: "formatted",
    restrictedOverwrite: false,
    spare: false,
    writeProtected: true,
    randomEnd: sectors,
    links: 0,
  };
}

function invisibleTrack(number: number, session: number, start: number): TrackState {
  return { number, session, start, size: null, nwa: start, reserved: false, closed: false, damaged: false };
}

const roundUp = (n: number, unit: number) => Math.ceil(n / unit) * unit;

export type DiscStatus = "blank" | "incomplete" | "complete" | "other";
export type SessionStatus = "empty" | "incomplete" | "damaged" | "complete";

/** Operations on one DiscState. The class holds no state of its own beyond the object it edits. */
export class DiscModel {
  readonly spec: MediaSpec;
  constructor(readonly state: DiscState) {
    this.spec = MEDIA[state.media];
  }

  clone(): DiscModel {
    return new DiscModel(structuredClone(this.state));
  }

  get sequential(): boolean {
    return this.spec.recording === "sequential" && !this.state.restrictedOverwrite;
  }
  get random(): boolean {
    return this.spec.recording === "random" || this.state.restrictedOverwrite;
  }
  get rom(): boolean {
    return this.spec.recording === "rom";
  }

  get lastSession(): SessionState | undefined {
    return this.state.sessions.at(-1);
  }
  get lastTrack(): TrackState | undefined {
    return this.state.tracks.at(-1);
  }
  /** The invisible (or reserved-and-open) track writes append to, when the disc is appendable. */
  get invisibleTrack(): TrackState | undefined {
    const t = this.lastTrack;
    return t && !t.closed && t.size === null && !this.state.finalized ? t : undefined;
  }

  discStatus(): DiscStatus {
    const s = this.state;
    if (this.random) return s.format === "unformatted" && s.randomEnd === 0 ? "blank" : "other";
    if (s.finalized) return "complete";
    const first = s.tracks[0];
    if (s.tracks.length === 1 && first && first.size === null && first.nwa === first.start) return "blank";
    return "incomplete";
  }

  sessionStatus(): SessionStatus {
    const session = this.lastSession;
    if (!session) return this.random ? "complete" : "empty";
    if (session.closed) return "complete";
    const tracks = this.state.tracks.filter((t) => t.session === session.number);
    if (tracks.some((t) => t.damaged)) return "damaged";
    const only = tracks[0];
    if (tracks.length === 1 && only && only.size === null && only.nwa === only.start) return "empty";
    return "incomplete";
  }

  /** Recorded (or reserved) end of a track: one past its last LBA. */
  trackEnd(t: TrackState): number {
    return t.size === null ? t.nwa : t.start + t.size;
  }

  /** Where the track can grow to (its reserved end, or the end of the disc). */
  trackLimit(t: TrackState): number {
    return t.size === null ? this.state.capacity : t.start + t.size;
  }

  findTrack(number: number): TrackState | undefined {
    return this.state.tracks.find((t) => t.number === number);
  }
  trackAt(lba: number): TrackState | undefined {
    return this.state.tracks.find((t) => lba >= t.start && lba < Math.max(this.trackLimit(t), t.start + 1));
  }

  /** Free blocks of a track as READ TRACK INFORMATION reports them. */
  freeBlocks(t: TrackState): number {
    if (t.closed || this.state.finalized || t.damaged) return 0;
    return Math.max(0, this.trackLimit(t) - t.nwa);
  }

  /** The disc's NWA for new data (invisible track), or undefined when not appendable. */
  nextWritableAddress(): number | undefined {
    if (!this.sequential) return undefined;
    const t = this.state.tracks.find((x) => !x.closed && !x.damaged && x.nwa < this.trackLimit(x) && !this.state.finalized);
    return t?.nwa;
  }

  checkWritable(): void {
    if (this.rom) refuse(SENSE.cannotWriteIncompatibleFormat);
    if (this.state.writeProtected) refuse(SENSE.writeProtected);
  }

  /**
   * Validates and records a write of `count` blocks at `lba` (the data itself goes to the store).
   * Sequential media: only at an open track's NWA, inside the track's limit.
   */
  write(lba: number, count: number, writeType: number): void {
    this.checkWritable();
    const s = this.state;
    if (this.random) {
      if (s.format === "unformatted") refuse(SENSE.mediumNotFormatted);
      if (lba < 0 || lba + count > s.capacity) refuse(SENSE.lbaOutOfRange, { information: lba });
      s.randomEnd = Math.max(s.randomEnd, lba + count);
      return;
    }
    if (s.finalized) refuse(SENSE.invalidAddressForWrite, { information: lba });
    // DVD+R and BD-R ignore the write type; CD and DVD-R/RW record only in the types they allow.
    if (this.spec.writeTypes.length > 1 && !this.spec.writeTypes.includes(writeType)) refuse(SENSE.commandSequenceError);
    const t = s.tracks.find((x) => !x.closed && x.nwa === lba && x.nwa < this.trackLimit(x));
    if (!t || t.damaged) refuse(SENSE.invalidAddressForWrite, { information: lba });
    if (lba + count > this.trackLimit(t)) refuse(SENSE.invalidAddressForWrite, { information: lba });
    if (count === 0) return;
    t.nwa += count;
  }

  /** Rolls an open track's NWA back (power lost before buffered blocks reached the medium). */
  unrecord(fromLba: number): void {
    const t = this.state.tracks.find((x) => !x.closed && fromLba >= x.start && fromLba < x.nwa);
    if (t) t.nwa = fromLba;
    if (this.random) this.state.randomEnd = Math.min(this.state.randomEnd, Math.max(fromLba, this.state.randomEnd));
  }

  markDamaged(lba: number): void {
    const t = this.state.tracks.find((x) => !x.closed && lba >= x.start && lba <= x.nwa);
    if (t) t.damaged = true;
  }

  /** RESERVE TRACK (MMC-6 6.31): fixes the size of the blank invisible track. */
  reserveTrack(blocks: number): void {
    this.checkWritable();
    if (!this.sequential) refuse(SENSE.cannotWriteIncompatibleFormat);
    const t = this.invisibleTrack;
    if (!t || t.nwa !== t.start) refuse(SENSE.commandSequenceError);
    if (blocks <= 0) refuse(SENSE.invalidFieldInCdb, { field: { inCdb: true, byte: 5 } });
    const size = roundUp(blocks, this.spec.eccBlock);
    const nextStart = t.start + size + (this.spec.family === "cd" ? CD_TRACK_GAP : 0);
    if (t.start + size > this.state.capacity) refuse(SENSE.invalidFieldInCdb, { field: { inCdb: true, byte: 5 } });
    if (this.state.tracks.length >= 99 && this.spec.family === "cd") refuse(SENSE.noMoreTrackReservationsAllowed);
    t.size = size;
    t.reserved = true;
    if (nextStart < this.state.capacity) this.state.tracks.push(invisibleTrack(t.number + 1, t.session, nextStart));
  }

  /** CLOSE TRACK (close function 001b). Closing an empty invisible track does nothing. */
  closeTrack(number: number): void {
    this.checkWritable();
    if (!this.sequential) refuse(SENSE.commandSequenceError);
    const t = this.findTrack(number);
    if (!t) refuse(SENSE.invalidFieldInCdb, { field: { inCdb: true, byte: 5 } });
    if (t.closed || this.state.finalized) return;
    if (t.size === null) {
      if (t.nwa === t.start) return; // nothing recorded: the invisible track stays as it is
      const size = roundUp(t.nwa - t.start, this.spec.eccBlock);
      t.size = size;
      t.nwa = t.start + size;
      t.closed = true;
      const nextStart = t.start + size + (this.spec.family === "cd" ? CD_TRACK_GAP : 0);
      if (nextStart < this.state.capacity) this.state.tracks.push(invisibleTrack(t.number + 1, t.session, nextStart));
      return;
    }
    // Reserved track: the rest is padded by the drive (DVD) or left as written (CD).
    if (this.spec.family !== "cd") t.nwa = t.start + t.size;
    t.closed = true;
  }

  /**
   * CLOSE SESSION / finalize. `finalize` closes the disc for good; otherwise the next session opens
   * after the session gap, unless no more fits (then the disc is finalized, as drives do).
   */
  closeSession(finalize: boolean): void {
    this.checkWritable();
    if (!this.sequential) refuse(SENSE.commandSequenceError);
    const s = this.state;
    const session = this.lastSession;
    if (s.finalized || !session) refuse(SENSE.commandSequenceError);
    if (session.closed) {
      // Only "finalize" has something left to do on a closed session (DVD+R/BD-R close functions 5/6).
      if (!finalize) refuse(SENSE.commandSequenceError);
      s.finalized = true;
      s.tracks = s.tracks.filter((t) => t.closed);
      return;
    }
    const inSession = s.tracks.filter((t) => t.session === session.number);
    const recorded = inSession.some((t) => t.nwa > t.start || (t.size ?? 0) > 0);
    if (!recorded) refuse(SENSE.commandSequenceError);
    for (const t of inSession) if (!t.closed && (t.size !== null || t.nwa > t.start)) this.closeTrack(t.number);
    // Drop the empty invisible track of the session being closed.
    s.tracks = s.tracks.filter((t) => t.closed || t.session !== session.number);
    session.closed = true;
    const last = s.tracks.at(-1);
    const end = last ? this.trackEnd(last) : 0;
    const gap = this.spec.family === "cd" ? (session.number === 1 ? CD_SESSION_GAP_FIRST : CD_SESSION_GAP_LATER) : SESSION_GAP[this.spec.family];
    const nextStart = roundUp(end + gap, this.spec.eccBlock);
    if (finalize || nextStart + this.spec.eccBlock > s.capacity || s.sessions.length >= (this.spec.family === "cd" ? 99 : 254)) {
      s.finalized = true;
      return;
    }
    s.sessions.push({ number: session.number + 1, closed: false });
    s.tracks.push(invisibleTrack((last?.number ?? 0) + 1, session.number + 1, nextStart));
  }

  /**
   * BLANK (MMC-6 6.2) on CD-RW and sequential DVD-RW. Types: 0 full, 1 minimal, 2 track (the last
   * track of the open session), 3 unreserve track, 4 track tail (from `address` in the open track),
   * 5 unclose last session, 6 session.
   */
  blank(type: number, address = 0): void {
    this.checkWritable();
    if (!this.spec.blankable) refuse(SENSE.cannotFormatIncompatible);
    const s = this.state;
    switch (type) {
      case 0:
      case 1: {
        const fresh = blankDiscState(s.media);
        // The pre-groove identity is physical: blanking keeps it.
        Object.assign(s, { ...fresh, links: s.links, writeProtected: s.writeProtected, ...(s.mediaIdentity ? { mediaIdentity: s.mediaIdentity } : {}) });
        return;
      }
      case 2:
      case 3: {
        // The last track of the open session: blanked (2) or un-reserved when still empty (3).
        const session = this.lastSession;
        if (!session || session.closed || s.finalized) refuse(SENSE.commandSequenceError);
        const open = s.tracks.filter((t) => t.session === session.number);
        const invisible = open.at(-1)!;
        const victim = invisible.size === null && invisible.nwa === invisible.start && open.length > 1 ? open.at(-2)! : invisible;
        if (type === 2 && victim.number !== address) refuse(SENSE.invalidFieldInCdb, { field: { inCdb: true, byte: 2 } });
        if (type === 3 && (!victim.reserved || victim.nwa !== victim.start)) refuse(SENSE.commandSequenceError);
        s.tracks = s.tracks.filter((t) => t.number <= victim.number);
        Object.assign(victim, { size: null, nwa: victim.start, reserved: false, closed: false, damaged: false });
        return;
      }
      case 4: {
        // Track tail: the open track is cut back to `address` (ECC-block aligned).
        const t = s.tracks.find((x) => !x.closed && address >= x.start && address < x.nwa);
        if (!t || address % this.spec.eccBlock !== 0) refuse(SENSE.invalidFieldInCdb, { field: { inCdb: true, byte: 2 } });
        t.nwa = address;
        t.damaged = false;
        return;
      }
      case 5: {
        // Unclose last session: reopen it for appending.
        if (this.restrictedOverwriteActive()) refuse(SENSE.cannotFormatIncompatible);
        const closed = [...s.sessions].reverse().find((x) => x.closed);
        if (!closed) refuse(SENSE.commandSequenceError);
        s.sessions = s.sessions.filter((x) => x.number <= closed.number);
        s.tracks = s.tracks.filter((t) => t.session <= closed.number);
        closed.closed = false;
        s.finalized = false;
        const last = s.tracks.at(-1);
        const start = last ? this.trackEnd(last) + (this.spec.family === "cd" ? CD_TRACK_GAP : 0) : 0;
        s.tracks.push(invisibleTrack((last?.number ?? 0) + 1, closed.number, roundUp(start, this.spec.eccBlock)));
        return;
      }
      case 6: {
        // Erase the last (closed or open) session; the one before becomes appendable.
        if (this.restrictedOverwriteActive()) refuse(SENSE.cannotFormatIncompatible);
        const last = this.lastSession;
        if (!last) refuse(SENSE.commandSequenceError);
        if (last.number === 1 || (!last.closed && this.sessionStatus() === "empty" && last.number === 1)) {
          this.blank(1);
          return;
        }
        const victim = last.closed ? last.number : last.number - 1;
        if (victim === 1) {
          this.blank(1);
          return;
        }
        s.sessions = s.sessions.filter((x) => x.number < victim);
        s.tracks = s.tracks.filter((t) => t.session < victim);
        s.finalized = false;
        const prev = s.tracks.at(-1);
        const end = prev ? this.trackEnd(prev) : 0;
        const gap = this.spec.family === "cd" ? (victim - 1 === 1 ? CD_SESSION_GAP_FIRST : CD_SESSION_GAP_LATER) : SESSION_GAP[this.spec.family === "bd" ? "bd" : "dvd"];
        s.sessions.push({ number: victim, closed: false });
        s.tracks.push(invisibleTrack((prev?.number ?? 0) + 1, victim, roundUp(end + gap, this.spec.eccBlock)));
        return;
      }
      default:
        refuse(SENSE.invalidFieldInCdb, { field: { inCdb: true, byte: 1, bit: 0 } });
    }
  }

  private restrictedOverwriteActive(): boolean {
    return this.state.restrictedOverwrite;
  }

  /**
   * FORMAT UNIT format types (MMC-6 6.5.4.2): 00h full (DVD-RW → restricted overwrite, DVD-RAM,
   * BD-RE with spare), 15h quick (DVD-RW), 26h DVD+RW background format, 30h BD-RE with spare,
   * 31h BD-RE without spare. Returns the format's user capacity.
   */
  format(formatType: number, blocks: number): number {
    this.checkWritable();
    const s = this.state;
    const id = s.media;
    const reject = () => refuse(SENSE.invalidFieldInParameterList, { field: { inCdb: false, byte: 8, bit: 2 } });
    switch (id) {
      case "dvd-rw":
        if (formatType !== 0x00 && formatType !== 0x15 && formatType !== 0x13) reject();
        Object.assign(s, blankDiscState(id), { restrictedOverwrite: true, format: "formatted", capacity: this.spec.capacity, links: s.links, ...(s.mediaIdentity ? { mediaIdentity: s.mediaIdentity } : {}) });
        return s.capacity;
      case "dvd+rw":
        if (formatType !== 0x26) reject();
        s.format = "running";
        s.capacity = this.spec.capacity;
        return s.capacity;
      case "dvd-ram":
        if (formatType !== 0x00 && formatType !== 0x01) reject();
        s.format = "formatted";
        s.randomEnd = 0;
        return s.capacity;
      case "bd-re":
        if (formatType !== 0x00 && formatType !== 0x30 && formatType !== 0x31) reject();
        s.spare = formatType !== 0x31;
        s.capacity = formatType === 0x31 ? this.spec.capacity : Math.min(BD_RE_DEFAULT_FORMATTED, blocks > 0 ? blocks : BD_RE_DEFAULT_FORMATTED);
        s.format = "formatted";
        s.randomEnd = 0;
        return s.capacity;
      default:
        return refuse(SENSE.cannotFormatIncompatible);
    }
  }

  /** Reads allowed where data was recorded (sequential) or inside the formatted area (random). */
  checkReadable(lba: number, count: number): void {
    const s = this.state;
    if (lba < 0 || count < 0) refuse(SENSE.lbaOutOfRange, { information: lba });
    if (count === 0) return;
    if (this.random) {
      if (s.format === "unformatted" && this.spec.id !== "dvd-rw") refuse(SENSE.lbaOutOfRange, { information: lba });
      if (lba + count > s.capacity) refuse(SENSE.lbaOutOfRange, { information: lba });
      return;
    }
    // Sequential and ROM: every block must lie in a recorded part of a track.
    let at = lba;
    const end = lba + count;
    while (at < end) {
      const t = s.tracks.find((x) => at >= x.start && at < this.recordedEnd(x));
      if (!t) {
        // The pregap (index 0) of a finished session-at-once track reads too.
        const p = this.pregapTrackAt(at);
        if (!p) refuse(SENSE.lbaOutOfRange, { information: at });
        at = Math.min(end, p.start);
        continue;
      }
      at = Math.min(end, this.recordedEnd(t));
    }
  }

  /** The closed track whose recorded pregap (index 0, at LBA 0 or later) holds `lba`. */
  pregapTrackAt(lba: number): TrackState | undefined {
    return this.state.tracks.find((t) => t.closed && t.pregapStart !== undefined && lba >= Math.max(0, t.pregapStart) && lba < t.start);
  }

  private recordedEnd(t: TrackState): number {
    return t.closed ? this.trackEnd(t) : t.nwa;
  }

  /** Last recorded LBA + 1 (READ CAPACITY on sequential media reports this minus one). */
  recordedExtent(): number {
    if (this.random) return this.state.format === "unformatted" ? 0 : this.state.capacity;
    let end = 0;
    // An empty open track (the invisible track after the last one) holds nothing yet.
    for (const t of this.state.tracks) if (t.closed || t.nwa > t.start) end = Math.max(end, this.recordedEnd(t));
    return end;
  }

  /** Write type a sequential medium accepts by default. */
  defaultWriteType(): number {
    return this.spec.family === "cd" ? WRITE_TYPE.trackAtOnce : WRITE_TYPE.packetIncremental;
  }
}
