/**
 * READ DISC INFORMATION, standard disc information (MMC-6 6.22.3.1): the fields derived from the
 * disc model, encoded by the mmc package's codec.
 */
import { lbaToMsf } from "@discforge/bytes";
import { discInformationCodec, DISC_STATUS, SESSION_STATE, BG_FORMAT_STATUS, DISC_TYPE } from "@discforge/mmc";
import type { DiscModel } from "../disc.js";

const DISC = { blank: DISC_STATUS.empty, incomplete: DISC_STATUS.incomplete, complete: DISC_STATUS.complete, other: DISC_STATUS.others } as const;
const SESSION = { empty: SESSION_STATE.empty, incomplete: SESSION_STATE.incomplete, damaged: SESSION_STATE.reservedDamaged, complete: SESSION_STATE.complete } as const;
const BG = { unformatted: BG_FORMAT_STATUS.none, incomplete: BG_FORMAT_STATUS.suspended, running: BG_FORMAT_STATUS.inProgress, formatted: BG_FORMAT_STATUS.completed } as const;

/** CD addresses in these fields are MSF (00 MM SS FF); other media give an LBA. */
function msfField(lba: number): number {
  const msf = lbaToMsf(lba);
  return (msf.minute << 16) | (msf.second << 8) | msf.frame;
}

export function encodeDiscInformation(disc: DiscModel): Uint8Array {
  const s = disc.state;
  const status = disc.discStatus();
  const lastSession = s.sessions.at(-1)?.number ?? 1;
  const inLast = s.tracks.filter((t) => t.session === lastSession);
  const cd = disc.spec.family === "cd";
  let leadIn = 0xffffffff;
  let leadOut = 0xffffffff;
  if (disc.sequential && !s.finalized) {
    const next = disc.invisibleTrack?.start ?? 0;
    // CD: blank → the ATIP lead-in start 97:26:66; appendable → the next session's lead-in, 4500
    // sectors of lead-in plus the 150-sector pregap before its first track.
    leadIn = cd ? (status === "blank" ? (97 << 16) | (26 << 8) | 66 : msfField(next - 4650)) : next;
    leadOut = cd ? msfField(s.capacity) : s.capacity;
  }
  return discInformationCodec.encode({
    erasable: disc.spec.rewritable && !disc.rom,
    stateOfLastSession: SESSION[disc.sessionStatus()],
    discStatus: DISC[status],
    firstTrackNumber: 1,
    numberOfSessions: Math.max(1, s.sessions.length),
    firstTrackInLastSession: inLast[0]?.number ?? 1,
    lastTrackInLastSession: inLast.at(-1)?.number ?? 1,
    didV: false,
    dbcV: false,
    uru: true,
    dacV: false,
    legacy: false,
    bgFormatStatus: s.media === "dvd+rw" ? BG[s.format] : 0,
    discType: cd ? DISC_TYPE.cdDaOrCdRom : DISC_TYPE.notDefined,
    discIdentification: 0,
    lastSessionLeadInStartAddress: leadIn >>> 0,
    lastPossibleLeadOutStartAddress: leadOut >>> 0,
    discBarCode: new Uint8Array(8),
    discApplicationCode: 0,
    opcTable: [],
  });
}
