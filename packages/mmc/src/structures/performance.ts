/**
 * GET PERFORMANCE response data (MMC-6 6.8.3): 8-byte header (performance data length counting
 * the bytes after itself, Write and Except bits) followed by descriptors.
 * - Type 00h, Except = 0: nominal performance descriptors, 16 bytes (start LBA, start
 *   performance, end LBA, end performance; performance in kB/s).
 * - Type 00h, Except = 1: exception descriptors, 6 bytes (LBA, expected additional time in
 *   units of 0.1 ms).
 * - Type 03h: write speed descriptors, 16 bytes (byte 0 WRC/RDD/Exact/MRW, end LBA, read speed,
 *   write speed in kB/s).
 */
import { ByteWriter } from "@discforge/bytes";
import { bit, bits, fixedEntries, flag, i32At, int32, lengthPrefixed, u8At, u16At, u32At, uint, type Codec, type MaybeTruncated } from "./codec.js";

export interface NominalPerformanceDescriptor {
  readonly startLba: number;
  /** kB/s. */
  readonly startPerformance: number;
  readonly endLba: number;
  readonly endPerformance: number;
}

export interface PerformanceException {
  readonly lba: number;
  /** Tenths of a millisecond. */
  readonly time: number;
}

export type Performance = MaybeTruncated &
  (
    | { readonly write: boolean; readonly except: false; readonly descriptors: readonly NominalPerformanceDescriptor[] }
    | { readonly write: boolean; readonly except: true; readonly descriptors: readonly PerformanceException[] }
  );

/** Write Rotation Control (2 bits). */
export const WRITE_ROTATION_CONTROL = { default: 0, cav: 1 } as const;

export interface WriteSpeedDescriptor {
  /** See WRITE_ROTATION_CONTROL. */
  readonly wrc: number;
  /** Restore Drive Defaults. */
  readonly rdd: boolean;
  readonly exact: boolean;
  /** The speed applies to MRW formatted media. */
  readonly mrw: boolean;
  readonly endLba: number;
  /** kB/s. */
  readonly readSpeed: number;
  /** kB/s. */
  readonly writeSpeed: number;
}

export interface WriteSpeedPerformance extends MaybeTruncated {
  readonly descriptors: readonly WriteSpeedDescriptor[];
}

const NOMINAL = "GET PERFORMANCE response (type 00h)";
const WRITE_SPEED = "GET PERFORMANCE response (type 03h, write speed)";

export const performanceCodec: Codec<Performance> = {
  structure: NOMINAL,
  decode(bytes) {
    const { reader: r, truncated } = lengthPrefixed(bytes, NOMINAL, 4, 8);
    const b4 = u8At(r, 4);
    const write = bit(b4, 1);
    const t = truncated === undefined ? {} : { truncated };
    if (bit(b4, 0)) {
      const descriptors = fixedEntries(r, 8, 6, (at) => ({ lba: i32At(r, at), time: u16At(r, at + 4) }));
      return { write, except: true, descriptors, ...t };
    }
    const descriptors = fixedEntries(r, 8, 16, (at) => ({
      startLba: i32At(r, at),
      startPerformance: u32At(r, at + 4),
      endLba: i32At(r, at + 8),
      endPerformance: u32At(r, at + 12),
    }));
    return { write, except: false, descriptors, ...t };
  },
  encode(v) {
    const size = 8 + v.descriptors.length * (v.except ? 6 : 16);
    const w = new ByteWriter(size);
    w.u32be(size - 4).u8(flag(v.write, 1) | flag(v.except, 0)).skip(3);
    if (v.except) {
      for (const d of v.descriptors) w.i32be(int32("lba", d.lba)).u16be(uint("time", d.time, 16));
    } else {
      for (const d of v.descriptors) {
        w.i32be(int32("startLba", d.startLba)).u32be(uint("startPerformance", d.startPerformance, 32));
        w.i32be(int32("endLba", d.endLba)).u32be(uint("endPerformance", d.endPerformance, 32));
      }
    }
    return w.bytes;
  },
};

export const writeSpeedPerformanceCodec: Codec<WriteSpeedPerformance> = {
  structure: WRITE_SPEED,
  decode(bytes) {
    const { reader: r, truncated } = lengthPrefixed(bytes, WRITE_SPEED, 4, 8);
    const descriptors = fixedEntries(r, 8, 16, (at) => {
      const b0 = u8At(r, at);
      return {
        wrc: bits(b0, 4, 3),
        rdd: bit(b0, 2),
        exact: bit(b0, 1),
        mrw: bit(b0, 0),
        endLba: u32At(r, at + 4),
        readSpeed: u32At(r, at + 8),
        writeSpeed: u32At(r, at + 12),
      };
    });
    return { descriptors, ...(truncated === undefined ? {} : { truncated }) };
  },
  encode(v) {
    const size = 8 + v.descriptors.length * 16;
    const w = new ByteWriter(size);
    w.u32be(size - 4).skip(4);
    for (const d of v.descriptors) {
      w.u8((uint("wrc", d.wrc, 2) << 3) | flag(d.rdd, 2) | flag(d.exact, 1) | flag(d.mrw, 0)).skip(3);
      w.u32be(uint("endLba", d.endLba, 32)).u32be(uint("readSpeed", d.readSpeed, 32)).u32be(uint("writeSpeed", d.writeSpeed, 32));
    }
    return w.bytes;
  },
};
