/**
 * READ DISC INFORMATION (51h), MMC-5 6.22 / MMC-6.
 * Byte 1 bits 2-0 DATA TYPE (000b standard disc information, 001b track resources, 010b POW
 * resources; others reserved), bytes 7-8 ALLOCATION LENGTH.
 */
import { checkName, checkUint, CdbReader, CdbWriter, makeRequest, type Optional } from "./fields.js";
import type { ScsiRequest } from "./request.js";

const NAME = "READ DISC INFORMATION";
export const READ_DISC_INFORMATION_OPCODE = 0x51;

export const DISC_INFORMATION_DATA_TYPE = { standard: 0, trackResources: 1, powResources: 2 } as const;
export type DiscInformationDataType = keyof typeof DISC_INFORMATION_DATA_TYPE;
const DATA_TYPE_NAMES = ["standard", "trackResources", "powResources"] as const;

export interface ReadDiscInformationCdb {
  readonly dataType: DiscInformationDataType;
  readonly allocationLength: number;
}
/** Defaults: standard disc information, 2048 bytes (34 + up to 255 OPC tables would not fit 255). */
export type ReadDiscInformationParams = Optional<ReadDiscInformationCdb, "dataType" | "allocationLength">;

export function buildReadDiscInformation(params: ReadDiscInformationParams = {}): ScsiRequest {
  const dataType = checkName(NAME, "dataType", DISC_INFORMATION_DATA_TYPE, params.dataType ?? "standard");
  const allocationLength = checkUint(NAME, "allocationLength", params.allocationLength ?? 2048, 16);
  const w = new CdbWriter(READ_DISC_INFORMATION_OPCODE, 10).bits(1, 0, dataType).u16(7, allocationLength);
  return makeRequest("readDiscInformation", w.bytes, { dataInLength: allocationLength });
}

export function parseReadDiscInformationCdb(cdb: Uint8Array): ReadDiscInformationCdb {
  const r = new CdbReader(cdb, NAME, 10);
  r.reserved(1, 0xf8);
  const t = r.bits(1, 2, 3);
  if (t > 2) r.fail(1, 2, "reserved DATA TYPE");
  r.reservedBytes(2, 6);
  return { dataType: DATA_TYPE_NAMES[t]!, allocationLength: r.u16(7) };
}
