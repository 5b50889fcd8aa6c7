/**
 * Mode page 05h, Write Parameters (MMC-6 7.5). Page length 32h; drives that append the 4
 * vendor-specific bytes report 36h, kept raw in `vendorSpecific`.
 *
 * Layout: byte 2 BUFE/LS_V/Test Write/Write Type; byte 3 Multi-session/FP/Copy/Track Mode;
 * byte 4 Data Block Type; 5 Link Size; 7 Host Application Code; 8 Session Format;
 * 10-13 Packet Size; 14-15 Audio Pause Length; 16-31 Media Catalog Number (MCVAL, N1..N13,
 * zero, AFRAME); 32-47 ISRC (TCVAL, I1..I12, zero, AFRAME, reserved); 48-51 Sub-header.
 */
import { ByteWriter } from "@discforge/bytes";
import { InvalidArgumentError } from "@discforge/errors";
import { bit, bits, copyAt, flag, u8At, u16At, u32At, uint, type Codec, type MaybeTruncated } from "./codec.js";
import { modePageByte0, openModePage } from "./mode-parameters.js";

export const WRITE_PARAMETERS_PAGE_CODE = 0x05;

/** Write Type field (MMC-6 table 650). */
export const WRITE_TYPE = {
  packetIncremental: 0,
  trackAtOnce: 1,
  sessionAtOnce: 2,
  raw: 3,
  layerJump: 4,
} as const;
export type WriteTypeName = keyof typeof WRITE_TYPE;

/** Multi-session field: what B0 of the session's lead-in says and whether another session may follow. */
export const MULTI_SESSION = {
  /** 00b: no B0 pointer; next session not allowed (disc closed). */
  closed: 0,
  /** 01b: B0 = FF:FF:FF; next session not allowed. */
  closedB0Ff: 1,
  /** 11b: next session allowed; B0 points to the next possible program area. */
  open: 3,
} as const;

/** Data Block Type (MMC-6 table 652): user data bytes per block written. */
export const DATA_BLOCK_TYPE = {
  raw2352: 0,
  raw2368WithPq: 1,
  raw2448PackedPw: 2,
  raw2448RawPw: 3,
  mode1: 8,
  mode2: 9,
  mode2Form1: 10,
  mode2Form1WithSubheader: 11,
  mode2Form2: 12,
  mode2FormMixedWithSubheader: 13,
} as const;

export const DATA_BLOCK_SIZE: Readonly<Record<number, number>> = {
  0: 2352,
  1: 2368,
  2: 2448,
  3: 2448,
  8: 2048,
  9: 2336,
  10: 2048,
  11: 2056,
  12: 2324,
  13: 2332,
};

/** Session Format (MMC-6 table 653), written to the disc type of the lead-in. */
export const SESSION_FORMAT = {
  cdDaOrCdRom: 0x00,
  cdI: 0x10,
  cdRomXa: 0x20,
} as const;

export interface WriteParametersPage extends MaybeTruncated {
  readonly ps: boolean;
  /** Buffer Underrun Free recording Enable. */
  readonly bufe: boolean;
  /** LS_V: the Link Size field is valid. */
  readonly lsV: boolean;
  readonly testWrite: boolean;
  /** See WRITE_TYPE. */
  readonly writeType: number;
  /** See MULTI_SESSION (2 bits). */
  readonly multiSession: number;
  /** Fixed Packet. */
  readonly fp: boolean;
  /** Copy: the SCMS copy bit of the next track. */
  readonly copy: boolean;
  /** Control nibble of the track (4 = data uninterrupted, 5 = data incremental, 0 = audio). */
  readonly trackMode: number;
  /** See DATA_BLOCK_TYPE. */
  readonly dataBlockType: number;
  readonly linkSize: number;
  readonly hostApplicationCode: number;
  /** See SESSION_FORMAT. */
  readonly sessionFormat: number;
  /** Blocks per fixed packet. */
  readonly packetSize: number;
  /** Audio pause length in blocks (default 150). */
  readonly audioPauseLength: number;
  /** 13-digit Media Catalog Number, or undefined when MCVAL is 0. */
  readonly mediaCatalogNumber: string | undefined;
  /** AFRAME of the MCN (byte 31). */
  readonly mcnAframe: number;
  /** 12-character ISRC, or undefined when TCVAL is 0. */
  readonly isrc: string | undefined;
  readonly isrcAframe: number;
  /** Sub-header bytes 0..3 (CD-ROM XA / CD-I). */
  readonly subHeader: Uint8Array;
  /** Bytes after the sub-header (vendor specific), raw. */
  readonly vendorSpecific: Uint8Array;
}

const STRUCTURE = "mode page 05h (Write Parameters)";

function readText(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

function decode(bytes: Uint8Array): WriteParametersPage {
  const { reader: r, ps, truncated } = openModePage(bytes, STRUCTURE, WRITE_PARAMETERS_PAGE_CODE, 0x32);
  const b2 = u8At(r, 2);
  const b3 = u8At(r, 3);
  const mcval = bit(u8At(r, 16), 7);
  const tcval = bit(u8At(r, 32), 7);
  return {
    ps,
    bufe: bit(b2, 6),
    lsV: bit(b2, 5),
    testWrite: bit(b2, 4),
    writeType: bits(b2, 3, 0),
    multiSession: bits(b3, 7, 6),
    fp: bit(b3, 5),
    copy: bit(b3, 4),
    trackMode: bits(b3, 3, 0),
    dataBlockType: bits(u8At(r, 4), 3, 0),
    linkSize: u8At(r, 5),
    hostApplicationCode: bits(u8At(r, 7), 5, 0),
    sessionFormat: u8At(r, 8),
    packetSize: u32At(r, 10),
    audioPauseLength: u16At(r, 14),
    mediaCatalogNumber: mcval ? readText(copyAt(r, 17, 13)) : undefined,
    mcnAframe: u8At(r, 31),
    isrc: tcval ? readText(copyAt(r, 33, 12)) : undefined,
    isrcAframe: u8At(r, 46),
    subHeader: copyAt(r, 48, 4),
    vendorSpecific: copyAt(r, 52, r.bytes.length - 52),
    ...(truncated === undefined ? {} : { truncated }),
  };
}

function writeText(w: ByteWriter, name: string, text: string, length: number, pattern: RegExp): void {
  if (text.length !== length || !pattern.test(text)) {
    throw new InvalidArgumentError(name, `"${text}" must be ${length} characters matching ${pattern}`);
  }
  for (let i = 0; i < length; i++) w.u8(text.charCodeAt(i));
}

function encode(v: WriteParametersPage): Uint8Array {
  const length = 0x32 + v.vendorSpecific.length;
  uint("page length", length, 8);
  const w = new ByteWriter(2 + length);
  w.u8(modePageByte0(WRITE_PARAMETERS_PAGE_CODE, v.ps)).u8(length);
  w.u8(flag(v.bufe, 6) | flag(v.lsV, 5) | flag(v.testWrite, 4) | uint("writeType", v.writeType, 4));
  w.u8((uint("multiSession", v.multiSession, 2) << 6) | flag(v.fp, 5) | flag(v.copy, 4) | uint("trackMode", v.trackMode, 4));
  w.u8(uint("dataBlockType", v.dataBlockType, 4)).u8(uint("linkSize", v.linkSize, 8)).skip(1);
  w.u8(uint("hostApplicationCode", v.hostApplicationCode, 6)).u8(uint("sessionFormat", v.sessionFormat, 8)).skip(1);
  w.u32be(uint("packetSize", v.packetSize, 32)).u16be(uint("audioPauseLength", v.audioPauseLength, 16));
  // Media Catalog Number: MCVAL, N1..N13 (ASCII digits), zero, AFRAME.
  w.seek(16);
  if (v.mediaCatalogNumber !== undefined) {
    w.u8(0x80);
    writeText(w, "mediaCatalogNumber", v.mediaCatalogNumber, 13, /^[0-9]{13}$/);
  }
  w.seek(31).u8(uint("mcnAframe", v.mcnAframe, 8));
  // ISRC: TCVAL, I1..I12 (country/owner A-Z 0-9, year and serial digits), zero, AFRAME, reserved.
  if (v.isrc !== undefined) {
    w.u8(0x80);
    writeText(w, "isrc", v.isrc, 12, /^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$/);
  }
  w.seek(46).u8(uint("isrcAframe", v.isrcAframe, 8));
  w.seek(48);
  if (v.subHeader.length !== 4) throw new InvalidArgumentError("subHeader", `must be 4 bytes, got ${v.subHeader.length}`);
  w.raw(v.subHeader).raw(v.vendorSpecific);
  return w.bytes;
}

export const writeParametersPageCodec: Codec<WriteParametersPage> = { structure: STRUCTURE, decode, encode };

/** Defaults a burn starts from (MMC-6 default values: audio pause 150 blocks, session format 00h). */
export function defaultWriteParameters(overrides: Partial<WriteParametersPage> = {}): WriteParametersPage {
  return {
    ps: false,
    bufe: false,
    lsV: false,
    testWrite: false,
    writeType: WRITE_TYPE.trackAtOnce,
    multiSession: MULTI_SESSION.closed,
    fp: false,
    copy: false,
    trackMode: 4,
    dataBlockType: DATA_BLOCK_TYPE.mode1,
    linkSize: 0,
    hostApplicationCode: 0,
    sessionFormat: SESSION_FORMAT.cdDaOrCdRom,
    packetSize: 0,
    audioPauseLength: 150,
    mediaCatalogNumber: undefined,
    mcnAframe: 0,
    isrc: undefined,
    isrcAframe: 0,
    subHeader: new Uint8Array(4),
    vendorSpecific: new Uint8Array(0),
    ...overrides,
  };
}
