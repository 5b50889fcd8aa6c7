/**
 * ASC/ASCQ text lookup over the T10 table (tables/asc.ts): exact entries first, then the ASCQ
 * range rows (40h/NN, 4Dh/NN, 70h/NN), then the vendor-specific areas (ASC >= 80h, or
 * ASCQ >= 80h under an assigned ASC), else reserved.
 */
import { ASC_ASCQ_ENTRIES, ASCQ_RANGE_ROWS, VENDOR_SPECIFIC_FROM } from "../tables/asc.js";

export type AscKind = "assigned" | "range" | "vendor-specific" | "reserved";

export interface AscInfo {
  readonly asc: number;
  readonly ascq: number;
  readonly kind: AscKind;
  /** T10 text, with NN filled in for range rows ("DIAGNOSTIC FAILURE ON COMPONENT 85h (80H-FFH)"). */
  readonly text: string;
}

const byCode = new Map<number, string>();
const ascsAssigned = new Set<number>();
for (const [asc, ascq, text] of ASC_ASCQ_ENTRIES) {
  byCode.set((asc << 8) | ascq, text);
  ascsAssigned.add(asc);
}
for (const r of ASCQ_RANGE_ROWS) ascsAssigned.add(r.asc);

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, "0");
}

/** "3Ah/02h" style code, as T10 writes it. */
export function formatAscAscq(asc: number, ascq: number): string {
  return `${hex2(asc)}h/${hex2(ascq)}h`;
}

export function lookupAsc(asc: number, ascq: number): AscInfo {
  asc &= 0xff;
  ascq &= 0xff;
  const text = byCode.get((asc << 8) | ascq);
  if (text !== undefined) return { asc, ascq, kind: "assigned", text };
  for (const r of ASCQ_RANGE_ROWS) {
    if (r.asc === asc && ascq >= r.first && ascq <= r.last) {
      return { asc, ascq, kind: "range", text: r.text.replace("NN", `${hex2(ascq)}h`) };
    }
  }
  if (asc >= VENDOR_SPECIFIC_FROM) return { asc, ascq, kind: "vendor-specific", text: `VENDOR SPECIFIC ASC ${hex2(asc)}h (ASCQ ${hex2(ascq)}h)` };
  if (ascq >= VENDOR_SPECIFIC_FROM) {
    // Vendor qualifiers refine a standard ASC; name the ASC's general meaning when there is one.
    const base = byCode.get(asc << 8);
    return { asc, ascq, kind: "vendor-specific", text: base === undefined ? `VENDOR SPECIFIC ASCQ ${hex2(ascq)}h OF ASC ${hex2(asc)}h` : `${base} (VENDOR SPECIFIC ASCQ ${hex2(ascq)}h)` };
  }
  return { asc, ascq, kind: "reserved", text: `RESERVED ASC/ASCQ ${formatAscAscq(asc, ascq)}` };
}

/** True when T10 assigns this ASC at all (to some ASCQ or range). */
export function isAssignedAsc(asc: number): boolean {
  return ascsAssigned.has(asc & 0xff);
}
