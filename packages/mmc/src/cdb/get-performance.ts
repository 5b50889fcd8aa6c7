/**
 * GET PERFORMANCE (ACh), MMC-5 6.8 / MMC-6.
 * Byte 1 bits 4-0 DATA TYPE (for type 00h: bits 4-3 TOLERANCE, bit 2 WRITE, bits 1-0 EXCEPT).
 * Bytes 2-5 STARTING LBA. Bytes 8-9 MAXIMUM NUMBER OF DESCRIPTORS. Byte 10 TYPE.
 * Type 03h (write speed descriptors) leaves DATA TYPE and STARTING LBA reserved.
 */
import { checkBool, checkName, checkRange, checkUint, CdbReader, CdbWriter, makeRequest } from "./fields.js";
import type { ScsiRequest } from "./request.js";

const NAME = "GET PERFORMANCE";
export const GET_PERFORMANCE_OPCODE = 0xac;

export const PERFORMANCE_TYPE = {
  performance: 0x00,
  unusableArea: 0x01,
  defectStatus: 0x02,
  writeSpeed: 0x03,
  dbi: 0x04,
  dbiCacheZone: 0x05,
} as const;
export type PerformanceType = keyof typeof PERFORMANCE_TYPE;
const TYPE_NAMES = ["performance", "unusableArea", "defectStatus", "writeSpeed", "dbi", "dbiCacheZone"] as const;

/** EXCEPT field of type 00h: nominal figures, the whole list with exceptions, or exceptions only. */
export const PERFORMANCE_EXCEPT = { nominal: 0, entire: 1, exceptionsOnly: 2 } as const;
export type PerformanceExcept = keyof typeof PERFORMANCE_EXCEPT;
const EXCEPT_NAMES = ["nominal", "entire", "exceptionsOnly"] as const;

/** TOLERANCE 10b: figures within 10% (the value MMC-6 expects). */
export const PERFORMANCE_TOLERANCE_10_PERCENT = 2;

export interface GetPerformanceTypeZeroCdb {
  readonly type: "performance";
  readonly tolerance: number;
  /** Write performance instead of read. */
  readonly write: boolean;
  readonly except: PerformanceExcept;
  readonly startingLba: number;
  readonly maxDescriptors: number;
}
export interface GetPerformanceWriteSpeedCdb {
  readonly type: "writeSpeed";
  readonly maxDescriptors: number;
}
/** Types 01h, 02h, 04h, 05h: the DATA TYPE field kept raw. */
export interface GetPerformanceOtherCdb {
  readonly type: Exclude<PerformanceType, "performance" | "writeSpeed">;
  readonly dataType: number;
  readonly startingLba: number;
  readonly maxDescriptors: number;
}
export type GetPerformanceCdb = GetPerformanceTypeZeroCdb | GetPerformanceWriteSpeedCdb | GetPerformanceOtherCdb;

export type GetPerformanceParams =
  | (Omit<GetPerformanceTypeZeroCdb, "tolerance" | "write" | "except" | "startingLba"> & {
      readonly tolerance?: number;
      readonly write?: boolean;
      readonly except?: PerformanceExcept;
      readonly startingLba?: number;
    })
  | GetPerformanceWriteSpeedCdb
  | (Omit<GetPerformanceOtherCdb, "dataType" | "startingLba"> & { readonly dataType?: number; readonly startingLba?: number });

export interface GetPerformanceOptions {
  /** Overrides the computed allocation (8-byte header + 16 bytes per descriptor). */
  readonly dataInLength?: number;
}

export function buildGetPerformance(params: GetPerformanceParams, options: GetPerformanceOptions = {}): ScsiRequest {
  const type = checkName(NAME, "type", PERFORMANCE_TYPE, params.type);
  const maxDescriptors = checkUint(NAME, "maxDescriptors", params.maxDescriptors, 16);
  const w = new CdbWriter(GET_PERFORMANCE_OPCODE, 12).u16(8, maxDescriptors).u8(10, type);
  if (params.type === "performance") {
    w.bits(1, 3, checkUint(NAME, "tolerance", params.tolerance ?? PERFORMANCE_TOLERANCE_10_PERCENT, 2))
      .flag(1, 2, checkBool(NAME, "write", params.write))
      .bits(1, 0, checkName(NAME, "except", PERFORMANCE_EXCEPT, params.except ?? "nominal"))
      .u32(2, checkUint(NAME, "startingLba", params.startingLba ?? 0, 32));
  } else if (params.type !== "writeSpeed") {
    w.bits(1, 0, checkUint(NAME, "dataType", params.dataType ?? 0, 5)).u32(2, checkUint(NAME, "startingLba", params.startingLba ?? 0, 32));
  }
  const dataInLength = options.dataInLength === undefined ? 8 + 16 * maxDescriptors : checkRange(NAME, "dataInLength", options.dataInLength, 0, 0xffffffff);
  return makeRequest("getPerformance", w.bytes, { dataInLength });
}

export function parseGetPerformanceCdb(cdb: Uint8Array): GetPerformanceCdb {
  const r = new CdbReader(cdb, NAME, 12);
  r.reserved(1, 0xe0);
  r.reservedBytes(6, 7);
  const t = r.u8(10);
  const type = TYPE_NAMES[t] ?? r.fail(10, undefined, "reserved TYPE");
  const maxDescriptors = r.u16(8);
  if (type === "performance") {
    const except = r.bits(1, 1, 2);
    if (except === 3) r.fail(1, 1, "EXCEPT 11b is reserved");
    return { type, tolerance: r.bits(1, 4, 2), write: r.flag(1, 2), except: EXCEPT_NAMES[except]!, startingLba: r.u32(2), maxDescriptors };
  }
  if (type === "writeSpeed") {
    r.reserved(1, 0x1f, "DATA TYPE is reserved for type 03h");
    r.reservedBytes(2, 5);
    return { type, maxDescriptors };
  }
  return { type, dataType: r.bits(1, 4, 5), startingLba: r.u32(2), maxDescriptors };
}
