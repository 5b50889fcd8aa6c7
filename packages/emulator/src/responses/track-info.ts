/** READ TRACK INFORMATION response (MMC-6 6.27.3), 48 bytes. */
import { writeU16BE, writeU32BE } from "@discforge/bytes";
import type { DiscModel, TrackState } from "../disc.js";

export const TRACK_INFO_LENGTH = 48;

export function encodeTrackInformation(disc: DiscModel, t: TrackState): Uint8Array {
  const b = new Uint8Array(TRACK_INFO_LENGTH);
  writeU16BE(b, 0, TRACK_INFO_LENGTH - 2);
  b[2] = t.number & 0xff;
  b[3] = t.session & 0xff;
  const cd = disc.spec.family === "cd";
  const trackMode = cd ? 0x04 : 0x05; // data track, recorded uninterrupted (CD) / incremental (DVD, BD)
  b[5] = (t.damaged ? 0x20 : 0) | trackMode;
  const blank = !t.closed && t.nwa === t.start;
  const free = disc.freeBlocks(t);
  const nwaValid = disc.sequential && !t.closed && !t.damaged && !disc.state.finalized && free > 0;
  const incremental = disc.sequential && !cd;
  b[6] = (t.reserved ? 0x80 : 0) | (blank ? 0x40 : 0) | (incremental || (cd && disc.sequential) ? 0x20 : 0) | 0x01; // RT, Blank, Packet/Inc, data mode 1
  const recorded = t.nwa > t.start || (t.closed && (t.size ?? 0) > 0);
  b[7] = (recorded && disc.sequential ? 0x02 : 0) | (nwaValid ? 0x01 : 0); // LRA_V, NWA_V
  writeU32BE(b, 8, t.start);
  writeU32BE(b, 12, nwaValid ? t.nwa : 0);
  writeU32BE(b, 16, free);
  writeU32BE(b, 20, disc.spec.family === "cd" ? 0 : disc.spec.eccBlock); // fixed packet size / blocking factor
  const size = t.size ?? (disc.state.finalized ? t.nwa - t.start : disc.trackLimit(t) - t.start);
  writeU32BE(b, 24, size);
  const lastRecorded = t.closed ? t.start + (t.size ?? 0) - 1 : t.nwa - 1;
  writeU32BE(b, 28, recorded ? Math.max(t.start, lastRecorded) : 0);
  b[32] = t.number >> 8;
  b[33] = t.session >> 8;
  return b;
}

/** The single track random-access media present (MMC-6 4.6.3.3: one track, one session). */
export function randomTrack(disc: DiscModel): TrackState {
  const s = disc.state;
  return { number: 1, session: 1, start: 0, size: s.capacity, nwa: s.format === "unformatted" ? 0 : s.randomEnd, reserved: false, closed: true, damaged: false };
}
