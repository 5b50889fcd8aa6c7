/**
 * READ DISC STRUCTURE, DVD format 01h: copyright information (MMC-6 6.23.3.2.2): copyright
 * protection system type (00h none, 01h CSS/CPPM, 02h CPRM) and region management information
 * (a bit set = the disc may NOT be played in that region), 4 data bytes.
 */
import { u8At, uint, type Codec, type MaybeTruncated } from "./codec.js";
import { frameDiscStructure, openDiscStructure } from "./disc-structure.js";

export interface DvdCopyright extends MaybeTruncated {
  readonly copyrightProtectionSystemType: number;
  readonly regionManagementInformation: number;
}

const STRUCTURE = "READ DISC STRUCTURE DVD 01h (copyright information)";

export const dvdCopyrightCodec: Codec<DvdCopyright> = {
  structure: STRUCTURE,
  decode(bytes) {
    const { data: r, truncated } = openDiscStructure(bytes, STRUCTURE, 2);
    return {
      copyrightProtectionSystemType: u8At(r, 0),
      regionManagementInformation: u8At(r, 1),
      ...(truncated === undefined ? {} : { truncated }),
    };
  },
  encode(v) {
    return frameDiscStructure(
      Uint8Array.of(uint("copyrightProtectionSystemType", v.copyrightProtectionSystemType, 8), uint("regionManagementInformation", v.regionManagementInformation, 8), 0, 0),
    );
  },
};
