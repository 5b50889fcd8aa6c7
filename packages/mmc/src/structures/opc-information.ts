/**
 * SEND OPC INFORMATION parameter list (MMC-6 6.36.3), sent with DoOpc = 0 to restore OPC
 * results: 8-byte OPC table entries, each a speed (kB/s) and 6 bytes of drive-specific OPC
 * values, the same entry layout READ DISC INFORMATION reports (disc-information.ts).
 */
import { ByteReader, ByteWriter } from "@discforge/bytes";
import { MalformedDataError } from "@discforge/errors";
import { copyAt, exactBytes, fixedEntries, u16At, uint, type Codec } from "./codec.js";
import type { OpcTableEntry } from "./disc-information.js";

export interface OpcParameterList {
  readonly entries: readonly OpcTableEntry[];
}

const STRUCTURE = "SEND OPC INFORMATION parameter list";

export const opcParameterListCodec: Codec<OpcParameterList> = {
  structure: STRUCTURE,
  decode(bytes) {
    if (bytes.length % 8 !== 0) throw new MalformedDataError(STRUCTURE, bytes.length - (bytes.length % 8), `length ${bytes.length} is not a multiple of 8`);
    const r = new ByteReader(bytes, STRUCTURE);
    return { entries: fixedEntries(r, 0, 8, (at) => ({ speed: u16At(r, at), opcValue: copyAt(r, at + 2, 6) })) };
  },
  encode(v) {
    const w = new ByteWriter(v.entries.length * 8);
    for (const e of v.entries) w.u16be(uint("speed", e.speed, 16)).raw(exactBytes("opcValue", e.opcValue, 6));
    return w.bytes;
  },
};
