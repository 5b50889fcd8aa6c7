/**
 * READ CD (BEh), MMC-5 6.20 / MMC-6.
 * Byte 1: bits 4-2 EXPECTED SECTOR TYPE, bit 1 DAP (digital audio play: interpolate/mute on
 * errors). Bytes 2-5 STARTING LOGICAL BLOCK ADDRESS. Bytes 6-8 TRANSFER LENGTH (blocks).
 * Byte 9: bit 7 SYNC, bits 6-5 HEADER CODES, bit 4 USER DATA, bit 3 EDC & ECC, bits 2-1 C2 ERROR
 * INFORMATION. Byte 10 bits 2-0 SUB-CHANNEL DATA SELECTION.
 */
import { checkBool, checkName, checkRange, checkUint, CdbReader, CdbWriter, invalid, makeRequest, type Optional } from "./fields.js";
import type { ScsiRequest } from "./request.js";

const NAME = "READ CD";
export const READ_CD_OPCODE = 0xbe;

export const EXPECTED_SECTOR_TYPE = { any: 0, cdda: 1, mode1: 2, mode2Formless: 3, mode2Form1: 4, mode2Form2: 5 } as const;
export type ExpectedSectorType = keyof typeof EXPECTED_SECTOR_TYPE;
const SECTOR_TYPE_NAMES = ["any", "cdda", "mode1", "mode2Formless", "mode2Form1", "mode2Form2"] as const;

/** HEADER CODES: none, the 4-byte header, the 8-byte mode 2 subheader, or both. */
export const HEADER_CODES = { none: 0, header: 1, subheader: 2, all: 3 } as const;
export type HeaderCodes = keyof typeof HEADER_CODES;
const HEADER_CODE_NAMES = ["none", "header", "subheader", "all"] as const;

/** C2 ERROR INFORMATION: none, 294 bytes of C2 bits, or those plus a block error byte and a pad (296). */
export const C2_ERROR_INFO = { none: 0, c2: 1, c2AndBlockErrors: 2 } as const;
export type C2ErrorInfo = keyof typeof C2_ERROR_INFO;
const C2_NAMES = ["none", "c2", "c2AndBlockErrors"] as const;

/** SUB-CHANNEL DATA SELECTION: none, raw P-W (96), formatted Q (16), de-interleaved R-W (96). */
export const SUBCHANNEL_SELECTION = { none: 0, raw: 1, q: 2, rw: 4 } as const;
export type SubchannelSelection = keyof typeof SUBCHANNEL_SELECTION;
const SUBCHANNEL_NAMES: Readonly<Record<number, SubchannelSelection>> = { 0: "none", 1: "raw", 2: "q", 4: "rw" };

export interface ReadCdCdb {
  readonly expectedSectorType: ExpectedSectorType;
  readonly dap: boolean;
  readonly lba: number;
  readonly transferLength: number;
  readonly sync: boolean;
  readonly headerCodes: HeaderCodes;
  readonly userData: boolean;
  readonly edcEcc: boolean;
  readonly c2ErrorInfo: C2ErrorInfo;
  readonly subchannel: SubchannelSelection;
}
/** Defaults: any sector type, user data only, no C2, no sub-channel. */
export type ReadCdParams = Optional<ReadCdCdb, "expectedSectorType" | "dap" | "sync" | "headerCodes" | "userData" | "edcEcc" | "c2ErrorInfo" | "subchannel">;

export interface ReadCdOptions {
  /** Bytes per sector the drive returns, needed when the selection does not fix it (sector type "any"
   * with a partial main-channel selection). */
  readonly bytesPerSector?: number;
}

const USER_DATA_BYTES: Readonly<Record<Exclude<ExpectedSectorType, "any" | "cdda">, number>> = {
  mode1: 2048,
  mode2Formless: 2336,
  mode2Form1: 2048,
  mode2Form2: 2324,
};
const EDC_ECC_BYTES: Readonly<Record<Exclude<ExpectedSectorType, "any" | "cdda">, number>> = {
  mode1: 288, // EDC 4, zero 8, P 172, Q 104
  mode2Formless: 0,
  mode2Form1: 280,
  mode2Form2: 4,
};

/** Bytes per sector of a READ CD selection (MMC-6 READ CD "number of bytes returned" table), or
 * undefined when it depends on the sector actually found. */
export function readCdBytesPerSector(p: ReadCdSelection): number | undefined {
  const header = p.headerCodes === "header" || p.headerCodes === "all";
  const subheader = p.headerCodes === "subheader" || p.headerCodes === "all";
  let main: number | undefined;
  if (p.expectedSectorType === "cdda") {
    main = p.userData ? 2352 : 0;
  } else if (p.expectedSectorType === "any") {
    const all = p.sync && p.headerCodes === "all" && p.userData && p.edcEcc;
    const nothing = !p.sync && p.headerCodes === "none" && !p.userData && !p.edcEcc;
    main = all ? 2352 : nothing ? 0 : undefined;
  } else {
    const t = p.expectedSectorType;
    const form = t === "mode2Form1" || t === "mode2Form2";
    main = (p.sync ? 12 : 0) + (header ? 4 : 0) + (subheader && form ? 8 : 0) + (p.userData ? USER_DATA_BYTES[t] : 0) + (p.edcEcc ? EDC_ECC_BYTES[t] : 0);
  }
  if (main === undefined) return undefined;
  const c2 = p.c2ErrorInfo === "c2" ? 294 : p.c2ErrorInfo === "c2AndBlockErrors" ? 296 : 0;
  const sub = p.subchannel === "q" ? 16 : p.subchannel === "none" ? 0 : 96;
  return main + c2 + sub;
}

/** The fields READ CD and READ CD MSF share: everything but the address and length. */
export type ReadCdSelection = Omit<ReadCdCdb, "lba" | "transferLength">;
export type ReadCdSelectionParams = Partial<ReadCdSelection>;

/** Defaults and checks the shared fields (names of the command given for messages). */
export function readCdSelection(name: string, params: ReadCdSelectionParams): ReadCdSelection {
  const p: ReadCdSelection = {
    expectedSectorType: params.expectedSectorType ?? "any",
    dap: checkBool(name, "dap", params.dap),
    sync: checkBool(name, "sync", params.sync),
    headerCodes: params.headerCodes ?? "none",
    userData: params.userData === undefined ? true : checkBool(name, "userData", params.userData),
    edcEcc: checkBool(name, "edcEcc", params.edcEcc),
    c2ErrorInfo: params.c2ErrorInfo ?? "none",
    subchannel: params.subchannel ?? "none",
  };
  checkName(name, "expectedSectorType", EXPECTED_SECTOR_TYPE, p.expectedSectorType);
  checkName(name, "headerCodes", HEADER_CODES, p.headerCodes);
  checkName(name, "c2ErrorInfo", C2_ERROR_INFO, p.c2ErrorInfo);
  checkName(name, "subchannel", SUBCHANNEL_SELECTION, p.subchannel);
  return p;
}

/** Writes byte 1 (sector type, DAP), byte 9 (main channel selection) and byte 10 (sub-channel). */
export function writeReadCdSelection(w: CdbWriter, p: ReadCdSelection): void {
  w.bits(1, 2, EXPECTED_SECTOR_TYPE[p.expectedSectorType])
    .flag(1, 1, p.dap)
    .flag(9, 7, p.sync)
    .bits(9, 5, HEADER_CODES[p.headerCodes])
    .flag(9, 4, p.userData)
    .flag(9, 3, p.edcEcc)
    .bits(9, 1, C2_ERROR_INFO[p.c2ErrorInfo])
    .bits(10, 0, SUBCHANNEL_SELECTION[p.subchannel]);
}

/** Reads and checks bytes 1, 9 and 10 of READ CD / READ CD MSF. */
export function readReadCdSelection(r: CdbReader): ReadCdSelection {
  r.reserved(1, 0xe1);
  const type = r.bits(1, 4, 3);
  if (type > 5) r.fail(1, 4, "EXPECTED SECTOR TYPE 110b/111b is reserved");
  r.reserved(9, 0x01);
  const c2 = r.bits(9, 2, 2);
  if (c2 === 3) r.fail(9, 2, "C2 ERROR INFORMATION 11b is reserved");
  r.reserved(10, 0xf8);
  const subchannel = SUBCHANNEL_NAMES[r.bits(10, 2, 3)] ?? r.fail(10, 2, "reserved SUB-CHANNEL DATA SELECTION");
  return {
    expectedSectorType: SECTOR_TYPE_NAMES[type]!,
    dap: r.flag(1, 1),
    sync: r.flag(9, 7),
    headerCodes: HEADER_CODE_NAMES[r.bits(9, 6, 2)]!,
    userData: r.flag(9, 4),
    edcEcc: r.flag(9, 3),
    c2ErrorInfo: C2_NAMES[c2]!,
    subchannel,
  };
}

/** dataInLength of a READ CD / READ CD MSF transfer of `blocks` sectors. */
export function readCdTransferBytes(name: string, p: ReadCdSelection, blocks: number, options: ReadCdOptions): number {
  const perSector = options.bytesPerSector === undefined ? readCdBytesPerSector(p) : checkRange(name, "bytesPerSector", options.bytesPerSector, 0, 3000);
  if (perSector === undefined) invalid(name, "bytesPerSector", "sector type 'any' with a partial selection needs options.bytesPerSector");
  const bytes = perSector * blocks;
  if (bytes > 0xffffffff) invalid(name, "transferLength", "transfer exceeds 4 GiB");
  return bytes;
}

export function buildReadCd(params: ReadCdParams, options: ReadCdOptions = {}): ScsiRequest {
  const selection = readCdSelection(NAME, params);
  const lba = checkUint(NAME, "lba", params.lba, 32);
  const transferLength = checkUint(NAME, "transferLength", params.transferLength, 24);
  const w = new CdbWriter(READ_CD_OPCODE, 12).u32(2, lba).u24(6, transferLength);
  writeReadCdSelection(w, selection);
  return makeRequest("readCd", w.bytes, { dataInLength: readCdTransferBytes(NAME, selection, transferLength, options) });
}

export function parseReadCdCdb(cdb: Uint8Array): ReadCdCdb {
  const r = new CdbReader(cdb, NAME, 12);
  const selection = readReadCdSelection(r);
  return { ...selection, lba: r.u32(2), transferLength: r.u24(6) };
}
