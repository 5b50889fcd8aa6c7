/**
 * READ TRACK INFORMATION response (MMC-6 6.27.3): fields derived from the disc model, encoded by
 * the mmc package's codec.
 */
import { trackInformationCodec } from "@discforge/mmc";
import type { DiscModel, TrackState } from "../disc.js";

export function encodeTrackInformation(disc: DiscModel, t: TrackState): Uint8Array {
  const cd = disc.spec.family === "cd";
  const blank = !t.closed && t.nwa === t.start;
  const free = disc.freeBlocks(t);
  const nwaValid = disc.sequential && !t.closed && !t.damaged && !disc.state.finalized && free > 0;
  const recorded = t.nwa > t.start || (t.closed && (t.size ?? 0) > 0);
  const size = t.size ?? (disc.state.finalized ? t.nwa - t.start : disc.trackLimit(t) - t.start);
  const lastRecorded = t.closed ? t.start + (t.size ?? 0) - 1 : t.nwa - 1;
  return trackInformationCodec.encode({
    trackNumber: t.number,
    sessionNumber: t.session,
    ljrs: 0,
    damage: t.damaged,
    copy: false,
    // CD: the track's CONTROL (data 4 unless the cue sheet said otherwise); DVD/BD: data, incremental.
    trackMode: cd ? (t.control ?? 0x04) : 0x05,
    rt: t.reserved,
    blank,
    packetIncremental: disc.sequential,
    fp: false,
    dataMode: t.audio === true ? 0x0f : 0x01, // Mode 1; audio: data block type unknown
    lraV: recorded && disc.sequential,
    nwaV: nwaValid,
    trackStartAddress: t.start,
    nextWritableAddress: nwaValid ? t.nwa : 0,
    freeBlocks: free,
    fixedPacketSize: cd ? 0 : disc.spec.eccBlock, // blocking factor on DVD/BD
    trackSize: size,
    lastRecordedAddress: recorded ? Math.max(t.start, lastRecorded) : 0,
    readCompatibilityLba: 0,
    nextLayerJumpAddress: 0,
    lastLayerJumpAddress: 0,
  });
}

/** The single track random-access media present (MMC-6 4.6.3.3: one track, one session). */
export function randomTrack(disc: DiscModel): TrackState {
  const s = disc.state;
  return { number: 1, session: 1, start: 0, size: s.capacity, nwa: s.format === "unformatted" ? 0 : s.randomEnd, reserved: false, closed: true, damaged: false };
}
