/**
 * READ CD (MMC-6 6.19) and READ CD MSF (6.20) transfers: per sector, the main-channel parts the
 * host selected (sync, header, user data, EDC/ECC) cut from the raw sector, then C2 error
 * information (all zero: the emulated medium has no errors), then the selected sub-channel.
 *
 * Selections a drive cannot honour are refused with 24/00 and a field pointer to CDB byte 9 (main
 * channel) as MMC's "Number of bytes returned" table marks them illegal: sync without the header,
 * EDC/ECC without user data, header codes between sync and user data missing. An expected sector
 * type other than the track's is 64/00 (illegal mode for this track).
 */
import { crc16Ccitt, lbaToMsf, toBcd } from "@discforge/bytes";
import type { ReadCdSelection } from "@discforge/mmc";
import { CD_RAW_SECTOR, MODE1, cdMode1Sector } from "./sector.js";
import { SENSE, badCdbField, refuse } from "../sense.js";

/** What a track holds: Mode 1 data (2048-byte blocks) or CD-DA audio (2352-byte blocks). */
export type CdTrackKind = "mode1" | "audio";

/** Q sub-channel CONTROL nibble: 4 = data track (copy prohibited), 0 = two-channel audio. */
export const Q_CONTROL = { data: 0x4, audio: 0x0 } as const;

export interface CdSectorSource {
  readonly kind: CdTrackKind;
  readonly trackNumber: number;
  /** Index 1 start of the track (the relative time counts from here). */
  readonly trackStart: number;
  /** The recorded block: 2048 bytes (Mode 1) or 2352 (audio). */
  readonly block: Uint8Array;
}

/** Bytes each selected part contributes for a sector of `kind`; refuses illegal selections. */
export function readCdLayout(sel: ReadCdSelection, kind: CdTrackKind): number {
  const expected = sel.expectedSectorType;
  if (expected !== "any" && expected !== (kind === "audio" ? "cdda" : "mode1")) refuse(SENSE.invalidTrackMode);
  const header = sel.headerCodes === "header" || sel.headerCodes === "all";
  let main: number;
  if (kind === "audio") {
    // CD-DA has no sync, header or EDC/ECC: only "user data" (the 2352 bytes) or nothing.
    main = sel.userData ? CD_RAW_SECTOR : 0;
  } else {
    if (sel.sync && !header) badCdbField(9, 7);
    if (sel.edcEcc && !sel.userData) badCdbField(9, 3);
    main = (sel.sync ? 12 : 0) + (header ? 4 : 0) + (sel.userData ? 2048 : 0) + (sel.edcEcc ? 288 : 0);
  }
  const c2 = sel.c2ErrorInfo === "c2" ? 294 : sel.c2ErrorInfo === "c2AndBlockErrors" ? 296 : 0;
  const sub = sel.subchannel === "q" ? 16 : sel.subchannel === "none" ? 0 : 96;
  return main + c2 + sub;
}

/** The 12 Q bytes of mode-1 position data with its CRC (ECMA-130 22.3.3), BCD fields. */
export function qPosition(src: Pick<CdSectorSource, "kind" | "trackNumber" | "trackStart">, lba: number): Uint8Array {
  const rel = lba - src.trackStart;
  const relFrames = Math.abs(rel); // counts down towards index 1 in a pregap
  const abs = lbaToMsf(lba);
  const q = new Uint8Array(12);
  q[0] = ((src.kind === "audio" ? Q_CONTROL.audio : Q_CONTROL.data) << 4) | 1;
  q[1] = toBcd(src.trackNumber);
  q[2] = rel < 0 ? 0 : 1;
  q[3] = toBcd(Math.floor(relFrames / 4500));
  q[4] = toBcd(Math.floor(relFrames / 75) % 60);
  q[5] = toBcd(relFrames % 75);
  q[6] = 0;
  q[7] = toBcd(abs.minute);
  q[8] = toBcd(abs.second);
  q[9] = toBcd(abs.frame);
  // CRC-16 (x^16 + x^12 + x^5 + 1) over the 80 data bits, recorded inverted.
  const crc = ~crc16Ccitt(q.subarray(0, 10)) & 0xffff;
  q[10] = crc >> 8;
  q[11] = crc & 0xff;
  return q;
}

/** Appends one sector's selected bytes to `out` at `at`; returns the new offset. */
export function writeReadCdSector(out: Uint8Array, at: number, sel: ReadCdSelection, lba: number, src: CdSectorSource): number {
  const header = sel.headerCodes === "header" || sel.headerCodes === "all";
  if (src.kind === "audio") {
    if (sel.userData) {
      out.set(src.block, at);
      at += CD_RAW_SECTOR;
    }
  } else {
    const raw = cdMode1Sector(lba, src.block);
    if (sel.sync) {
      out.set(raw.subarray(0, MODE1.header), at);
      at += MODE1.header;
    }
    if (header) {
      out.set(raw.subarray(MODE1.header, MODE1.userData), at);
      at += 4;
    }
    if (sel.userData) {
      out.set(raw.subarray(MODE1.userData, MODE1.edc), at);
      at += 2048;
    }
    if (sel.edcEcc) {
      out.set(raw.subarray(MODE1.edc, CD_RAW_SECTOR), at);
      at += 288;
    }
  }
  // C2 pointers and the block error byte: no errors on an emulated medium.
  at += sel.c2ErrorInfo === "c2" ? 294 : sel.c2ErrorInfo === "c2AndBlockErrors" ? 296 : 0;
  if (sel.subchannel === "none") return at;
  const q = qPosition(src, lba);
  const pause = lba < src.trackStart; // index 0: the pregap is a pause
  if (sel.subchannel === "q") {
    // Formatted Q (MMC-6 READ CD): the 12 Q bytes, 3 reserved, then the P bit in byte 15 bit 7.
    out.set(q, at);
    if (pause) out[at + 15] = 0x80;
    return at + 16;
  }
  if (sel.subchannel === "raw") {
    // Raw P-W: 96 bytes, bit 7 = P, bit 6 = Q, bits 5-0 = R-W (no CD-TEXT/CD+G: zero). P is 1
    // in a pause (pregap), 0 in the program area of a track.
    for (let i = 0; i < 96; i++) out[at + i] = (((q[i >> 3]! >> (7 - (i & 7))) & 1) << 6) | (pause ? 0x80 : 0);
  }
  // De-interleaved R-W: zeros (no R-W data recorded).
  return at + 96;
}
