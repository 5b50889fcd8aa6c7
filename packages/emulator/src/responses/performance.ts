/**
 * GET PERFORMANCE responses (MMC-6 6.8): type 00h nominal performance and type 03h write speed,
 * encoded by the mmc package's codecs.
 */
import { performanceCodec, writeSpeedPerformanceCodec, WRITE_ROTATION_CONTROL } from "@discforge/mmc";

export interface WriteSpeed {
  readonly endLba: number;
  readonly readKbps: number;
  readonly writeKbps: number;
}

/** Type 03h: one descriptor per write speed, at most `max`. */
export function encodeWriteSpeeds(list: readonly WriteSpeed[], max: number): Uint8Array {
  return writeSpeedPerformanceCodec.encode({
    descriptors: list.slice(0, max).map((d) => ({ wrc: WRITE_ROTATION_CONTROL.default, rdd: false, exact: false, mrw: false, endLba: d.endLba, readSpeed: d.readKbps, writeSpeed: d.writeKbps })),
  });
}

/** Type 00h nominal performance: one descriptor from `start` to `end` at a constant speed. */
export function encodeNominalPerformance(write: boolean, startLba: number, endLba: number, kbps: number, max: number): Uint8Array {
  return performanceCodec.encode({
    write,
    except: false,
    descriptors: max === 0 ? [] : [{ startLba, startPerformance: kbps, endLba, endPerformance: kbps }],
  });
}
