/**
 * Session-at-once cue sheets (MMC-6 4.5.3.3 and 6.33.3 SEND CUE SHEET): the checks a drive makes
 * on the entries and the recording plan derived from them. Entries are decoded by the mmc
 * package's cueSheetCodec; a bad entry is 26/00 with the field pointer on the offending byte of
 * the parameter list.
 *
 * Rules enforced: ADR 1 (position), 2 (catalog number) or 3 (ISRC); the first position entry is
 * the lead-in (TNO 0, index 0 at 00:00:00); track numbers start at the disc's next track and rise
 * by one; indexes of a track start at 0 or 1 and rise by one; times rise strictly; every track has
 * an index 1; the last entry is the lead-out (TNO AAh, index 1) and ends inside the medium; the
 * data form is one of CD-DA (00h host data, 01h generated silence) or Mode 1 (10h 2048-byte user
 * data, 11h 2352-byte raw sector, 14h generated), without host sub-channel; CONTROL agrees with
 * the form (bit 2 set for data, clear for audio).
 */
import { cueSheetCodec, CUE_DATA_FORM_BLOCK_SIZE, type CuePositionEntry } from "@discforge/mmc";
import { badParameter } from "../sense.js";

export const CUE_LEAD_OUT = 0xaa;
const SUPPORTED_FORMS = new Set([0x00, 0x01, 0x10, 0x11, 0x14]);
const AUDIO_FORMS = new Set([0x00, 0x01]);

/** A run of blocks with one data form, from one cue entry to the next. */
export interface SaoSegment {
  readonly start: number;
  /** One past the last block. */
  readonly end: number;
  readonly tno: number;
  readonly index: number;
  readonly dataForm: number;
  /** Bytes per block the host sends (0: the drive generates the block). */
  readonly blockBytes: number;
}

export interface SaoTrack {
  readonly number: number;
  readonly audio: boolean;
  readonly control: number;
  /** Index 0 start, when the track has a pregap. */
  readonly pregapStart: number | undefined;
  /** Index 1 start (the TOC address). */
  readonly start: number;
  /** One past the last block (the next track's index 0 / 1, or the lead-out). */
  readonly end: number;
}

export interface SaoPlan {
  readonly segments: readonly SaoSegment[];
  readonly tracks: readonly SaoTrack[];
  readonly leadOut: number;
}

/** MSF of a cue entry (binary, absolute time) as an LBA: 00:02:00 is LBA 0. */
const lbaOf = (e: CuePositionEntry) => (e.time.minute * 60 + e.time.second) * 75 + e.time.frame - 150;

/**
 * Checks a cue sheet and derives the plan. `firstTrack` is the number the session's first track
 * must have, `sessionStart` the session's first program-area LBA (index 1 of its first track),
 * `capacity` the last LBA + 1 a lead-out may start at.
 */
export function planSessionAtOnce(bytes: Uint8Array, firstTrack: number, sessionStart: number, capacity: number): SaoPlan {
  const entries = cueSheetCodec.decode(bytes).entries;
  const positions: { e: CuePositionEntry; at: number }[] = [];
  entries.forEach((e, i) => {
    const at = i * 8;
    if (e.kind === "text") return; // catalog number / ISRC: carried in the Q sub-channel only
    if (e.adr !== 1) badParameter(at, 3);
    if (e.time.second > 59) badParameter(at + 6);
    if (e.time.frame > 74) badParameter(at + 7);
    if (e.subChannelDataForm !== 0) badParameter(at + 3, 7);
    if (e.tno !== CUE_LEAD_OUT && !SUPPORTED_FORMS.has(e.mainDataForm)) badParameter(at + 3, 5);
    if (e.tno !== 0 && e.tno !== CUE_LEAD_OUT && ((e.control & 0x4) !== 0) === AUDIO_FORMS.has(e.mainDataForm)) badParameter(at, 6);
    positions.push({ e, at });
  });
  const leadIn = positions[0];
  if (!leadIn || leadIn.e.tno !== 0 || leadIn.e.index !== 0) badParameter(leadIn?.at ?? 0, leadIn ? undefined : 0);
  if (lbaOf(leadIn.e) !== -150 && sessionStart === 0) badParameter(leadIn.at + 5);
  const leadOut = positions.at(-1)!;
  if (positions.length < 3 || leadOut.e.tno !== CUE_LEAD_OUT) badParameter(leadOut.at + 1);
  if (leadOut.e.index !== 1) badParameter(leadOut.at + 2);
  const body = positions.slice(1, -1);
  let prevTno: number | undefined;
  let prevIndex = -1;
  let prevLba = -Infinity;
  for (const { e, at } of body) {
    if (e.tno === CUE_LEAD_OUT || e.tno === 0) badParameter(at + 1);
    if (e.tno !== prevTno) {
      if (e.tno !== (prevTno === undefined ? firstTrack : prevTno + 1) || e.tno > 99) badParameter(at + 1);
      if (prevTno !== undefined && prevIndex < 1) badParameter(at + 1); // the previous track had no index 1
      if (e.index > 1) badParameter(at + 2);
      prevTno = e.tno;
    } else if (e.index !== prevIndex + 1) badParameter(at + 2);
    prevIndex = e.index;
    const lba = lbaOf(e);
    if (lba <= prevLba) badParameter(at + 5);
    prevLba = lba;
  }
  if (prevIndex < 1) badParameter(leadOut.at + 1);
  const endLba = lbaOf(leadOut.e);
  if (endLba <= prevLba) badParameter(leadOut.at + 5);
  if (endLba > capacity) badParameter(leadOut.at + 5);

  const segments: SaoSegment[] = body.map(({ e }, i) => ({
    start: lbaOf(e),
    end: i + 1 < body.length ? lbaOf(body[i + 1]!.e) : endLba,
    tno: e.tno,
    index: e.index,
    dataForm: e.mainDataForm,
    blockBytes: CUE_DATA_FORM_BLOCK_SIZE[e.mainDataForm]!,
  }));
  // The first track's index 1 is where the session's program area begins.
  const first1 = segments.find((s) => s.index === 1)!;
  if (first1.start !== sessionStart) badParameter(body.find(({ e }) => e.index === 1)!.at + 5);
  const tracks: SaoTrack[] = [];
  for (const s of segments) {
    if (s.index !== 1) continue;
    const pregap = segments.find((x) => x.tno === s.tno && x.index === 0);
    const next = segments.find((x) => x.tno === s.tno + 1);
    const entry = body.find(({ e }) => e.tno === s.tno && e.index === 1)!.e;
    tracks.push({ number: s.tno, audio: AUDIO_FORMS.has(s.dataForm), control: entry.control, pregapStart: pregap?.start, start: s.start, end: next ? next.start : endLba });
  }
  return { segments, tracks, leadOut: endLba };
}

/** The segment holding `lba`. */
export function segmentAt(plan: SaoPlan, lba: number): SaoSegment | undefined {
  return plan.segments.find((s) => lba >= s.start && lba < s.end);
}

/** The first block at or after `lba` the host has to send (generated blocks are skipped). */
export function nextHostBlock(plan: SaoPlan, lba: number): number {
  for (const s of plan.segments) {
    if (s.end <= lba || s.blockBytes === 0) continue;
    return Math.max(lba, s.start);
  }
  return plan.leadOut;
}
