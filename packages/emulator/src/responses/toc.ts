/**
 * READ TOC/PMA/ATIP responses (MMC-6 6.26): format 0 (TOC), 1 (session information),
 * 2 (full TOC, CD only) and 4 (ATIP, CD-R/RW only). Tracks are data tracks (CONTROL 4).
 */
import { writeU16BE, writeU32BE, lbaToMsf } from "@discforge/bytes";
import type { DiscModel, TrackState } from "../disc.js";
import { badCdbField } from "../sense.js";

const ADR_CONTROL_DATA = 0x14; // ADR 1 (Q sub-channel position), CONTROL 4 (data, copy prohibited)

/** Tracks that are part of the TOC: recorded tracks of closed sessions (DVD/BD: all recorded). */
function tocTracks(disc: DiscModel): TrackState[] {
  const closedSessions = new Set(disc.state.sessions.filter((x) => x.closed).map((x) => x.number));
  return disc.state.tracks.filter((t) => t.closed && (closedSessions.has(t.session) || disc.spec.family !== "cd"));
}

function putAddress(b: Uint8Array, at: number, lba: number, msf: boolean): void {
  if (!msf) {
    writeU32BE(b, at, lba >>> 0);
    return;
  }
  const m = lbaToMsf(lba);
  b[at] = 0;
  b[at + 1] = m.minute;
  b[at + 2] = m.second;
  b[at + 3] = m.frame;
}

function leadOutOf(disc: DiscModel, session: number): number {
  const ts = disc.state.tracks.filter((t) => t.session === session && t.closed);
  const last = ts.at(-1);
  return last ? disc.trackEnd(last) : 0;
}

export function encodeToc(disc: DiscModel, format: number, msf: boolean, trackOrSession: number): Uint8Array | undefined {
  const tracks = tocTracks(disc);
  if (tracks.length === 0) return undefined;
  const first = tracks[0]!;
  const last = tracks.at(-1)!;
  if (format === 0) {
    const from = tracks.filter((t) => t.number >= trackOrSession);
    if (trackOrSession !== 0xaa && from.length === 0 && trackOrSession > last.number) badCdbField(6);
    const list = trackOrSession === 0xaa ? [] : from;
    const b = new Uint8Array(4 + 8 * (list.length + 1));
    writeU16BE(b, 0, b.length - 2);
    b[2] = first.number;
    b[3] = last.number;
    list.forEach((t, i) => {
      b[4 + i * 8 + 1] = ADR_CONTROL_DATA;
      b[4 + i * 8 + 2] = t.number;
      putAddress(b, 4 + i * 8 + 4, t.start, msf);
    });
    const lo = 4 + list.length * 8;
    b[lo + 1] = ADR_CONTROL_DATA;
    b[lo + 2] = 0xaa;
    putAddress(b, lo + 4, leadOutOf(disc, last.session), msf);
    return b;
  }
  if (format === 1) {
    // First track of the last complete session.
    const lastSession = last.session;
    const firstInLast = tracks.find((t) => t.session === lastSession)!;
    const b = new Uint8Array(12);
    writeU16BE(b, 0, 10);
    b[2] = 1;
    b[3] = lastSession;
    b[5] = ADR_CONTROL_DATA;
    b[6] = firstInLast.number;
    putAddress(b, 8, firstInLast.start, msf);
    return b;
  }
  if (format === 2) {
    if (disc.spec.family !== "cd") badCdbField(2);
    const sessions = [...new Set(tracks.map((t) => t.session))];
    const rows: number[][] = [];
    const absMsf = (lba: number) => {
      const m = lbaToMsf(lba);
      return [m.minute, m.second, m.frame];
    };
    for (const s of sessions) {
      const ts = tracks.filter((t) => t.session === s);
      rows.push([s, ADR_CONTROL_DATA, 0, 0xa0, 0, 0, 0, 0, ts[0]!.number, 0x20, 0]); // first track, disc type XA
      rows.push([s, ADR_CONTROL_DATA, 0, 0xa1, 0, 0, 0, 0, ts.at(-1)!.number, 0, 0]);
      rows.push([s, ADR_CONTROL_DATA, 0, 0xa2, 0, 0, 0, 0, ...absMsf(leadOutOf(disc, s))]);
      for (const t of ts) rows.push([s, ADR_CONTROL_DATA, 0, t.number, 0, 0, 0, 0, ...absMsf(t.start)]);
      const nextSession = disc.state.sessions.find((x) => x.number === s + 1);
      if (nextSession) {
        const next = disc.state.tracks.find((t) => t.session === s + 1);
        rows.push([s, 0x54, 0, 0xb0, ...absMsf(next?.start ?? 0), 1, ...absMsf(disc.state.capacity)]);
      }
    }
    if (msf === false && trackOrSession > sessions.length) badCdbField(6);
    const b = new Uint8Array(4 + rows.length * 11);
    writeU16BE(b, 0, b.length - 2);
    b[2] = sessions[0]!;
    b[3] = sessions.at(-1)!;
    rows.forEach((r, i) => b.set(r, 4 + i * 11));
    return b;
  }
  return undefined;
}

/** ATIP (format 4) of a CD-R/RW: lead-in start 97:26:66-ish and the last possible lead-out start. */
export function encodeAtip(disc: DiscModel): Uint8Array {
  const b = new Uint8Array(28);
  writeU16BE(b, 0, 26);
  b[4] = 0x80 | 0x04; // indicative target writing power, reference speed
  b[6] = 0x80 | (disc.spec.rewritable ? 0x40 : 0); // disc type: CD-RW sets bit 6
  b[8] = 97;
  b[9] = 26;
  b[10] = 66;
  const m = lbaToMsf(disc.state.capacity);
  b[12] = m.minute;
  b[13] = m.second;
  b[14] = m.frame;
  return b;
}
