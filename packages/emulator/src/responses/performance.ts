/** GET PERFORMANCE responses (MMC-6 6.8): type 00h performance and type 03h write speed. */
import { writeU32BE } from "@discforge/bytes";

export interface WriteSpeedDescriptor {
  readonly endLba: number;
  readonly readKbps: number;
  readonly writeKbps: number;
}

function header(total: number, write: boolean, except: boolean): Uint8Array {
  const b = new Uint8Array(total);
  writeU32BE(b, 0, total - 4); // performance data length
  b[4] = (write ? 0x02 : 0) | (except ? 0x01 : 0);
  return b;
}

/** Type 03h: one 16-byte descriptor per write speed. */
export function encodeWriteSpeeds(list: readonly WriteSpeedDescriptor[], max: number): Uint8Array {
  const n = Math.min(list.length, max);
  const b = header(8 + 16 * n, false, false);
  for (let i = 0; i < n; i++) {
    const d = list[i]!;
    const at = 8 + i * 16;
    b[at] = 0x00; // WRC 0 (CLV), RDD 0, Exact 0, MRW 0
    writeU32BE(b, at + 4, d.endLba);
    writeU32BE(b, at + 8, d.readKbps);
    writeU32BE(b, at + 12, d.writeKbps);
  }
  return b;
}

/** Type 00h nominal performance: one descriptor from `start` to `end` at a constant speed. */
export function encodeNominalPerformance(write: boolean, startLba: number, endLba: number, kbps: number, max: number): Uint8Array {
  const n = Math.min(1, max);
  const b = header(8 + 16 * n, write, false);
  if (n === 1) {
    writeU32BE(b, 8, startLba);
    writeU32BE(b, 12, kbps);
    writeU32BE(b, 16, endLba);
    writeU32BE(b, 20, kbps);
  }
  return b;
}
