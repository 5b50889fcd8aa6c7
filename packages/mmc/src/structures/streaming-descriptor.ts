/**
 * SET STREAMING parameter list, type 00h performance descriptor (MMC-6 6.39.3.1), 28 bytes:
 * byte 0 WRC (bits 4-3), RDD, Exact, RA; 4-7 start LBA; 8-11 end LBA; 12-15 read size (kB);
 * 16-19 read time (ms); 20-23 write size (kB); 24-27 write time (ms). Requested speed is
 * size/time; a 1000 ms time with the size in kB gives kB/s directly.
 */
import { ByteWriter } from "@discforge/bytes";
import { bit, bits, fixedReader, flag, i32At, int32, u8At, u32At, uint, type Codec } from "./codec.js";

export interface StreamingPerformanceDescriptor {
  /** Write Rotation Control: 0 drive default, 1 CAV. */
  readonly wrc: number;
  /** Restore Drive Defaults: the rest of the descriptor is ignored. */
  readonly rdd: boolean;
  /** Exact: fail instead of rounding to a supported speed. */
  readonly exact: boolean;
  /** Random Access. */
  readonly ra: boolean;
  readonly startLba: number;
  readonly endLba: number;
  readonly readSize: number;
  readonly readTime: number;
  readonly writeSize: number;
  readonly writeTime: number;
}

const STRUCTURE = "SET STREAMING performance descriptor";

export const streamingPerformanceDescriptorCodec: Codec<StreamingPerformanceDescriptor> = {
  structure: STRUCTURE,
  decode(bytes) {
    const r = fixedReader(bytes, STRUCTURE, 28);
    const b0 = u8At(r, 0);
    return {
      wrc: bits(b0, 4, 3),
      rdd: bit(b0, 2),
      exact: bit(b0, 1),
      ra: bit(b0, 0),
      startLba: i32At(r, 4),
      endLba: i32At(r, 8),
      readSize: u32At(r, 12),
      readTime: u32At(r, 16),
      writeSize: u32At(r, 20),
      writeTime: u32At(r, 24),
    };
  },
  encode(v) {
    const w = new ByteWriter(28);
    w.u8((uint("wrc", v.wrc, 2) << 3) | flag(v.rdd, 2) | flag(v.exact, 1) | flag(v.ra, 0)).skip(3);
    w.i32be(int32("startLba", v.startLba)).i32be(int32("endLba", v.endLba));
    w.u32be(uint("readSize", v.readSize, 32)).u32be(uint("readTime", v.readTime, 32));
    w.u32be(uint("writeSize", v.writeSize, 32)).u32be(uint("writeTime", v.writeTime, 32));
    return w.bytes;
  },
};

/** A descriptor asking for `readKbps`/`writeKbps` over [startLba, endLba] (times of 1000 ms). */
export function streamingDescriptorForSpeed(
  startLba: number,
  endLba: number,
  readKbps: number,
  writeKbps: number,
  options: { readonly exact?: boolean; readonly cav?: boolean } = {},
): StreamingPerformanceDescriptor {
  return {
    wrc: options.cav === true ? 1 : 0,
    rdd: false,
    exact: options.exact === true,
    ra: false,
    startLba,
    endLba,
    readSize: readKbps,
    readTime: 1000,
    writeSize: writeKbps,
    writeTime: 1000,
  };
}
