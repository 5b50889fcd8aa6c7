/** READ DISC INFORMATION, standard disc information (MMC-6 6.22.3.1), from the disc model. */
import { writeU16BE, writeU32BE, lbaToMsf } from "@discforge/bytes";
import type { DiscModel } from "../disc.js";

export const DISC_INFO_LENGTH = 34;

const DISC_STATUS = { blank: 0, incomplete: 1, complete: 2, other: 3 } as const;
const SESSION_STATUS = { empty: 0, incomplete: 1, damaged: 2, complete: 3 } as const;
const BG_FORMAT = { unformatted: 0, incomplete: 1, running: 2, formatted: 3 } as const;

/** CD addresses in these fields are MSF (00 MM SS FF); other media give an LBA. */
function address(disc: DiscModel, lba: number): number {
  if (disc.spec.family !== "cd") return lba >>> 0;
  const msf = lbaToMsf(lba);
  return (msf.minute << 16) | (msf.second << 8) | msf.frame;
}

export function encodeDiscInformation(disc: DiscModel): Uint8Array {
  const s = disc.state;
  const b = new Uint8Array(DISC_INFO_LENGTH);
  writeU16BE(b, 0, DISC_INFO_LENGTH - 2);
  const status = disc.discStatus();
  const erasable = disc.spec.rewritable && !disc.rom;
  b[2] = (erasable ? 0x10 : 0) | (SESSION_STATUS[disc.sessionStatus()] << 2) | DISC_STATUS[status];
  const sessions = Math.max(1, s.sessions.length);
  const lastSession = s.sessions.at(-1)?.number ?? 1;
  const inLast = s.tracks.filter((t) => t.session === lastSession);
  const firstInLast = inLast[0]?.number ?? 1;
  const lastInLast = inLast.at(-1)?.number ?? 1;
  b[3] = 1; // first track on disc
  b[4] = sessions & 0xff;
  b[5] = firstInLast & 0xff;
  b[6] = lastInLast & 0xff;
  // DID_V 0, DBC_V 0, URU 1 (unrestricted use), DAC_V 0; BG format status on DVD+RW
  b[7] = 0x20 | (s.media === "dvd+rw" ? BG_FORMAT[s.format] : 0);
  b[8] = disc.spec.family === "cd" ? 0x00 : 0xff; // disc type: CD-DA/CD-ROM
  b[9] = sessions >> 8;
  b[10] = firstInLast >> 8;
  b[11] = lastInLast >> 8;
  const appendable = disc.sequential && !s.finalized;
  if (appendable) {
    const invisible = disc.invisibleTrack;
    const leadIn = invisible ? invisible.start : 0;
    if (disc.spec.family === "cd") {
      // Blank: the ATIP lead-in start (97:26:66); appendable: the next session's lead-in, 4500
      // sectors of lead-in plus the 150-sector pregap before its first track.
      writeU32BE(b, 16, status === "blank" ? (97 << 16) | (26 << 8) | 66 : address(disc, leadIn - 4650));
      writeU32BE(b, 20, address(disc, s.capacity));
    } else {
      writeU32BE(b, 16, leadIn);
      writeU32BE(b, 20, s.capacity);
    }
  } else {
    writeU32BE(b, 16, 0xffffffff);
    writeU32BE(b, 20, 0xffffffff);
  }
  return b;
}
