/**
 * SEND OPC INFORMATION (54h), MMC-5 6.36 / MMC-6.
 * Byte 1 bit 0 DOOPC (perform optimum power calibration now). Byte 2: bit 1 EXCLUDE1, bit 0
 * EXCLUDE0 (leave layer 1/layer 0 out of the calibration). Bytes 7-8 PARAMETER LIST LENGTH
 * (OPC table entries sent to the drive; 0 with DoOpc).
 */
import { checkBool, checkUint, CdbReader, CdbWriter, invalid, makeRequest, type Optional } from "./fields.js";
import type { ScsiRequest } from "./request.js";

const NAME = "SEND OPC INFORMATION";
export const SEND_OPC_INFORMATION_OPCODE = 0x54;

export interface SendOpcInformationCdb {
  readonly doOpc: boolean;
  readonly exclude0: boolean;
  readonly exclude1: boolean;
  readonly parameterListLength: number;
}
/** Defaults: doOpc true, nothing excluded, parameter list length = data length or 0. */
export type SendOpcInformationParams = Optional<SendOpcInformationCdb, "doOpc" | "exclude0" | "exclude1" | "parameterListLength">;

export function buildSendOpcInformation(params: SendOpcInformationParams = {}, data?: Uint8Array): ScsiRequest {
  const doOpc = params.doOpc === undefined ? true : checkBool(NAME, "doOpc", params.doOpc);
  const length = checkUint(NAME, "parameterListLength", params.parameterListLength ?? data?.length ?? 0, 16);
  if (data !== undefined && data.length !== length) invalid(NAME, "data", `CDB announces ${length} bytes, got ${data.length}`);
  const w = new CdbWriter(SEND_OPC_INFORMATION_OPCODE, 10)
    .flag(1, 0, doOpc)
    .flag(2, 1, checkBool(NAME, "exclude1", params.exclude1))
    .flag(2, 0, checkBool(NAME, "exclude0", params.exclude0))
    .u16(7, length);
  return makeRequest("sendOpcInformation", w.bytes, length === 0 ? { direction: "none" } : { dataOut: data, dataOutLength: length });
}

export function parseSendOpcInformationCdb(cdb: Uint8Array): SendOpcInformationCdb {
  const r = new CdbReader(cdb, NAME, 10);
  r.reserved(1, 0xfe);
  r.reserved(2, 0xfc);
  r.reservedBytes(3, 6);
  return { doOpc: r.flag(1, 0), exclude0: r.flag(2, 0), exclude1: r.flag(2, 1), parameterListLength: r.u16(7) };
}
