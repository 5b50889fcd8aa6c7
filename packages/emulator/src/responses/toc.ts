/**
 * READ TOC/PMA/ATIP responses (MMC-6 6.26): format 0 (TOC), 1 (session information), 2 (full
 * TOC, CD only) and 4 (ATIP, CD-R/RW only), built from the disc model and encoded by the mmc
 * package's codecs. Tracks are data tracks (ADR 1, CONTROL 4).
 */
import { lbaToMsf, type Msf } from "@discforge/bytes";
import { atipCodec, formattedTocCodec, formattedTocMsfCodec, multiSessionInfoCodec, multiSessionInfoMsfCodec, rawTocCodec, RAW_TOC_POINT, type QDescriptor } from "@discforge/mmc";
import type { DiscModel, TrackState } from "../disc.js";
import { badCdbField } from "../sense.js";

const ADR = 1; // Q sub-channel mode 1: position
const CONTROL_DATA = 4; // data track, digital copy prohibited
const LEAD_OUT = 0xaa;
/** Disc type in the A0 point's PSEC: CD-ROM XA. */
const DISC_TYPE_XA = 0x20;

/** CONTROL of a track: the cue sheet's for session-at-once tracks, else a data track. */
function controlOf(t: TrackState): number {
  return t.control ?? CONTROL_DATA;
}

/** Tracks that are part of the TOC: closed tracks of closed sessions (DVD/BD: every closed track). */
function tocTracks(disc: DiscModel): TrackState[] {
  const closedSessions = new Set(disc.state.sessions.filter((x) => x.closed).map((x) => x.number));
  return disc.state.tracks.filter((t) => t.closed && (closedSessions.has(t.session) || disc.spec.family !== "cd"));
}

function leadOutOf(disc: DiscModel, session: number): number {
  const last = disc.state.tracks.filter((t) => t.session === session && t.closed).at(-1);
  return last ? disc.trackEnd(last) : 0;
}

/** Formats 0-2; undefined when the disc has no track to list (blank or nothing closed yet). */
export function encodeToc(disc: DiscModel, format: number, msf: boolean, trackOrSession: number): Uint8Array | undefined {
  const tracks = tocTracks(disc);
  if (tracks.length === 0) return undefined;
  const first = tracks[0]!;
  const last = tracks.at(-1)!;
  if (format === 0) {
    if (trackOrSession !== LEAD_OUT && trackOrSession > last.number) badCdbField(6);
    const listed = trackOrSession === LEAD_OUT ? [] : tracks.filter((t) => t.number >= trackOrSession);
    const rows = [...listed.map((t) => ({ trackNumber: t.number, lba: t.start, control: controlOf(t) })), { trackNumber: LEAD_OUT, lba: leadOutOf(disc, last.session), control: controlOf(last) }];
    const base = { firstTrackNumber: first.number, lastTrackNumber: last.number };
    if (msf) return formattedTocMsfCodec.encode({ ...base, descriptors: rows.map((r) => ({ adr: ADR, control: r.control, trackNumber: r.trackNumber, address: lbaToMsf(r.lba) })) });
    return formattedTocCodec.encode({ ...base, descriptors: rows.map((r) => ({ adr: ADR, control: r.control, trackNumber: r.trackNumber, address: r.lba })) });
  }
  if (format === 1) {
    const firstInLast = tracks.find((t) => t.session === last.session)!;
    const base = { firstCompleteSession: 1, lastCompleteSession: last.session, adr: ADR, control: controlOf(firstInLast), firstTrackInLastSession: firstInLast.number };
    return msf ? multiSessionInfoMsfCodec.encode({ ...base, startAddress: lbaToMsf(firstInLast.start) }) : multiSessionInfoCodec.encode({ ...base, startAddress: firstInLast.start });
  }
  if (format === 2) {
    if (disc.spec.family !== "cd") badCdbField(2);
    const sessions = [...new Set(tracks.map((t) => t.session))];
    const q = (session: number, point: number, p: Msf, at: Msf = { minute: 0, second: 0, frame: 0 }, adr = ADR, control = CONTROL_DATA): QDescriptor => ({
      sessionNumber: session,
      adr,
      control,
      tno: 0,
      point,
      min: at.minute,
      sec: at.second,
      frame: at.frame,
      zero: 0,
      pmin: p.minute,
      psec: p.second,
      pframe: p.frame,
    });
    const rows: QDescriptor[] = [];
    for (const s of sessions) {
      const ts = tracks.filter((t) => t.session === s);
      // A0 PSEC: disc type CD-DA/CD-ROM (00h) for a session of audio tracks, else CD-ROM XA as before.
      const discType = ts.every((t) => t.audio === true) ? 0x00 : DISC_TYPE_XA;
      rows.push(q(s, RAW_TOC_POINT.firstTrack, { minute: ts[0]!.number, second: discType, frame: 0 }, undefined, ADR, controlOf(ts[0]!)));
      rows.push(q(s, RAW_TOC_POINT.lastTrack, { minute: ts.at(-1)!.number, second: 0, frame: 0 }, undefined, ADR, controlOf(ts.at(-1)!)));
      rows.push(q(s, RAW_TOC_POINT.leadOut, lbaToMsf(leadOutOf(disc, s)), undefined, ADR, controlOf(ts.at(-1)!)));
      for (const t of ts) rows.push(q(s, t.number, lbaToMsf(t.start), undefined, ADR, controlOf(t)));
      // Mode-5 B0: next possible program area start and the last possible lead-out (multisession).
      const next = disc.state.tracks.find((t) => t.session === s + 1);
      if (next) rows.push({ ...q(s, 0xb0, lbaToMsf(Math.min(disc.state.capacity, 404_849)), lbaToMsf(next.start), 5), zero: 1 });
    }
    if (trackOrSession > sessions.length) badCdbField(6);
    return rawTocCodec.encode({ firstCompleteSession: sessions[0]!, lastCompleteSession: sessions.at(-1)!, descriptors: rows });
  }
  return undefined;
}

/**
 * ATIP (format 4) of a CD-R/RW: the start time of lead-in from the medium's identity (its
 * minute:second:frame-tens is the disc manufacturer code; default 97:26:66) and the last possible
 * lead-out start.
 */
export function encodeAtip(disc: DiscModel): Uint8Array {
  return atipCodec.encode({
    indicativeTargetWritingPower: 4,
    ddcd: false,
    referenceSpeed: 0,
    uru: true,
    discType: disc.spec.rewritable ? 1 : 0,
    discSubType: 0,
    a1Valid: false,
    a2Valid: false,
    a3Valid: false,
    leadInStart: disc.state.mediaIdentity?.atipLeadInStart ?? { minute: 97, second: 26, frame: 66 },
    lastPossibleLeadOutStart: lbaToMsf(disc.state.capacity),
  });
}
