/**
 * Sense keys 0h-Fh (SPC-4 4.5.6, table "Sense key descriptions"; unchanged in SPC-6).
 * Names are T10's; `id` is the camelCase constant used in code.
 */

/** Sense key values by name. */
export const SENSE_KEY = {
  noSense: 0x0,
  recoveredError: 0x1,
  notReady: 0x2,
  mediumError: 0x3,
  hardwareError: 0x4,
  illegalRequest: 0x5,
  unitAttention: 0x6,
  dataProtect: 0x7,
  blankCheck: 0x8,
  vendorSpecific: 0x9,
  copyAborted: 0xa,
  abortedCommand: 0xb,
  /** EQUAL in SCSI-2 (SEARCH DATA); reserved since SPC-3. */
  reserved: 0xc,
  volumeOverflow: 0xd,
  miscompare: 0xe,
  completed: 0xf,
} as const;
export type SenseKeyId = keyof typeof SENSE_KEY;
export type SenseKey = (typeof SENSE_KEY)[SenseKeyId];

export interface SenseKeyRow {
  readonly key: SenseKey;
  readonly id: SenseKeyId;
  /** T10 name, e.g. "NOT READY". */
  readonly name: string;
}

/** Indexed by key value. */
export const SENSE_KEY_ROWS: readonly SenseKeyRow[] = [
  { key: 0x0, id: "noSense", name: "NO SENSE" },
  { key: 0x1, id: "recoveredError", name: "RECOVERED ERROR" },
  { key: 0x2, id: "notReady", name: "NOT READY" },
  { key: 0x3, id: "mediumError", name: "MEDIUM ERROR" },
  { key: 0x4, id: "hardwareError", name: "HARDWARE ERROR" },
  { key: 0x5, id: "illegalRequest", name: "ILLEGAL REQUEST" },
  { key: 0x6, id: "unitAttention", name: "UNIT ATTENTION" },
  { key: 0x7, id: "dataProtect", name: "DATA PROTECT" },
  { key: 0x8, id: "blankCheck", name: "BLANK CHECK" },
  { key: 0x9, id: "vendorSpecific", name: "VENDOR SPECIFIC" },
  { key: 0xa, id: "copyAborted", name: "COPY ABORTED" },
  { key: 0xb, id: "abortedCommand", name: "ABORTED COMMAND" },
  { key: 0xc, id: "reserved", name: "RESERVED (EQUAL)" },
  { key: 0xd, id: "volumeOverflow", name: "VOLUME OVERFLOW" },
  { key: 0xe, id: "miscompare", name: "MISCOMPARE" },
  { key: 0xf, id: "completed", name: "COMPLETED" },
];

/** "NOT READY" for 2; keys are 4 bits, higher bits are ignored. */
export function senseKeyName(key: number): string {
  return SENSE_KEY_ROWS[key & 0x0f]!.name;
}
