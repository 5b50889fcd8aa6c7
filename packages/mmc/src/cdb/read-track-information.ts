/**
 * READ TRACK INFORMATION (52h), MMC-5 6.27 / MMC-6.
 * Byte 1: bit 2 OPEN, bits 1-0 ADDRESS/NUMBER TYPE (00b LBA, 01b logical track number, 10b
 * session number; 11b reserved). Bytes 2-5 LOGICAL BLOCK ADDRESS/TRACK/SESSION NUMBER.
 * Bytes 7-8 ALLOCATION LENGTH.
 */
import { checkBool, checkName, checkUint, CdbReader, CdbWriter, makeRequest, type Optional } from "./fields.js";
import type { ScsiRequest } from "./request.js";

const NAME = "READ TRACK INFORMATION";
export const READ_TRACK_INFORMATION_OPCODE = 0x52;

export const TRACK_ADDRESS_TYPE = { lba: 0, track: 1, session: 2 } as const;
export type TrackAddressType = keyof typeof TRACK_ADDRESS_TYPE;
const ADDRESS_TYPE_NAMES = ["lba", "track", "session"] as const;

/** Track number FFh on CD names the invisible/incomplete track. */
export const INVISIBLE_TRACK = 0xff;

export interface ReadTrackInformationCdb {
  /** With a track number: report the first open track at or after it (MMC-6 OPEN bit). */
  readonly open: boolean;
  readonly addressType: TrackAddressType;
  /** An LBA, a logical track number or a session number, per addressType. */
  readonly address: number;
  readonly allocationLength: number;
}
/** allocationLength defaults to 48, the MMC-6 track information block. */
export type ReadTrackInformationParams = Optional<ReadTrackInformationCdb, "open" | "allocationLength">;

export function buildReadTrackInformation(params: ReadTrackInformationParams): ScsiRequest {
  const type = checkName(NAME, "addressType", TRACK_ADDRESS_TYPE, params.addressType);
  const address = checkUint(NAME, "address", params.address, 32);
  const allocationLength = checkUint(NAME, "allocationLength", params.allocationLength ?? 48, 16);
  const w = new CdbWriter(READ_TRACK_INFORMATION_OPCODE, 10)
    .flag(1, 2, checkBool(NAME, "open", params.open))
    .bits(1, 0, type)
    .u32(2, address)
    .u16(7, allocationLength);
  return makeRequest("readTrackInformation", w.bytes, { dataInLength: allocationLength });
}

export function parseReadTrackInformationCdb(cdb: Uint8Array): ReadTrackInformationCdb {
  const r = new CdbReader(cdb, NAME, 10);
  r.reserved(1, 0xf8);
  const t = r.bits(1, 1, 2);
  if (t === 3) r.fail(1, 1, "ADDRESS/NUMBER TYPE 11b is reserved");
  r.reservedBytes(6, 6);
  return { open: r.flag(1, 2), addressType: ADDRESS_TYPE_NAMES[t]!, address: r.u32(2), allocationLength: r.u16(7) };
}
