/**
 * UDF revisions this package writes and reads (OSTA UDF 1.02, 1.50, 2.00, 2.01, 2.50, 2.60), what
 * each implies for the recorded structures, and the default revision per medium.
 */
import { InvalidArgumentError } from "@discforge/errors";

export const UDF_REVISIONS = { "1.02": 0x0102, "1.50": 0x0150, "2.00": 0x0200, "2.01": 0x0201, "2.50": 0x0250, "2.60": 0x0260 } as const;
export type UdfRevision = keyof typeof UDF_REVISIONS;

export function parseUdfRevision(text: string): UdfRevision {
  const t = text.trim();
  const key = (/^\d\.\d\d$/.test(t) ? t : /^\d\.\d$/.test(t) ? `${t}0` : /^\d{3}$/.test(t) ? `${t[0]}.${t.slice(1)}` : t) as UdfRevision;
  if (!(key in UDF_REVISIONS)) throw new InvalidArgumentError("UDF revision", `"${text}" is not one of ${Object.keys(UDF_REVISIONS).join(", ")}`);
  return key;
}

export function revisionNumber(r: UdfRevision): number {
  return UDF_REVISIONS[r];
}

export function revisionName(n: number): string {
  return `${n >> 8}.${(n & 0xff).toString(16).padStart(2, "0")}`;
}

/** ECMA-167 2nd edition (NSR02, descriptor version 2) below UDF 2.00, 3rd edition (NSR03, version 3) from 2.00. */
export function nsrFor(r: UdfRevision): { nsr: "NSR02" | "NSR03"; descriptorVersion: 2 | 3 } {
  return UDF_REVISIONS[r] < 0x0200 ? { nsr: "NSR02", descriptorVersion: 2 } : { nsr: "NSR03", descriptorVersion: 3 };
}

export type UdfMedia = "cd" | "dvd" | "bd" | "hddvd" | "disk";

/**
 * The default revision for a medium, the way IMAPI's ChooseImageDefaultsForMediaType picks file
 * systems: 1.02 on CD and DVD (every UDF reader since Windows 98 and Mac OS 9 reads it, and it has
 * no size or name limit that 2.x lifts for read-only media), 2.50 on BD and HD DVD (the media
 * specifications require 2.50 with a metadata partition), 2.01 for disk images that may go
 * anywhere (Windows XP and later read it, and it is the newest revision without the metadata
 * partition that older readers reject).
 */
export function defaultUdfRevision(media: UdfMedia = "dvd"): UdfRevision {
  switch (media) {
    case "bd":
    case "hddvd":
      return "2.50";
    case "disk":
      return "2.01";
    default:
      return "1.02";
  }
}
