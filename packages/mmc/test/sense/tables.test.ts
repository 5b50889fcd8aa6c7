import { describe, it, expect } from "vitest";
import {
  ASC_ASCQ_ENTRIES,
  ASC_TABLE_REVISION,
  ASCQ_RANGE_ROWS,
  SENSE_KEY,
  SENSE_KEY_ROWS,
  formatAscAscq,
  isAssignedAsc,
  lookupAsc,
  senseDescriptorName,
  senseKeyName,
} from "../../src/sense/index.js";

describe("T10 ASC/ASCQ table", () => {
  it("states its revision and holds every entry once, sorted", () => {
    expect(ASC_TABLE_REVISION).toMatch(/asc-num.*SPC-6/);
    expect(ASC_ASCQ_ENTRIES).toHaveLength(762);
    for (let i = 1; i < ASC_ASCQ_ENTRIES.length; i++) {
      const [a0, q0] = ASC_ASCQ_ENTRIES[i - 1]!;
      const [a1, q1] = ASC_ASCQ_ENTRIES[i]!;
      expect((a1 << 8) | q1, `${formatAscAscq(a1, q1)} after ${formatAscAscq(a0, q0)}`).toBeGreaterThan((a0 << 8) | q0);
    }
    for (const [asc, ascq, text] of ASC_ASCQ_ENTRIES) {
      expect(asc).toBeLessThan(0x80);
      expect(ascq).toBeLessThanOrEqual(0xff);
      expect(text).toMatch(/^[A-Za-z0-9]/);
      expect(text).toBe(text.trim());
    }
  });

  const specific: [number, number, string][] = [
    [0x00, 0x00, "NO ADDITIONAL SENSE INFORMATION"],
    [0x00, 0x16, "OPERATION IN PROGRESS"],
    [0x04, 0x01, "LOGICAL UNIT IS IN PROCESS OF BECOMING READY"],
    [0x04, 0x04, "LOGICAL UNIT NOT READY, FORMAT IN PROGRESS"],
    [0x04, 0x07, "LOGICAL UNIT NOT READY, OPERATION IN PROGRESS"],
    [0x04, 0x08, "LOGICAL UNIT NOT READY, LONG WRITE IN PROGRESS"],
    [0x06, 0x00, "NO REFERENCE POSITION FOUND"],
    [0x0c, 0x07, "WRITE ERROR - RECOVERY NEEDED"],
    [0x0c, 0x09, "WRITE ERROR - LOSS OF STREAMING"],
    [0x0c, 0x0a, "WRITE ERROR - PADDING BLOCKS ADDED"],
    [0x11, 0x05, "L-EC UNCORRECTABLE ERROR"],
    [0x20, 0x00, "INVALID COMMAND OPERATION CODE"],
    [0x21, 0x02, "INVALID ADDRESS FOR WRITE"],
    [0x24, 0x00, "INVALID FIELD IN CDB"],
    [0x26, 0x00, "INVALID FIELD IN PARAMETER LIST"],
    [0x27, 0x00, "WRITE PROTECTED"],
    [0x28, 0x00, "NOT READY TO READY CHANGE, MEDIUM MAY HAVE CHANGED"],
    [0x29, 0x00, "POWER ON, RESET, OR BUS DEVICE RESET OCCURRED"],
    [0x2a, 0x01, "MODE PARAMETERS CHANGED"],
    [0x2c, 0x00, "COMMAND SEQUENCE ERROR"],
    [0x30, 0x00, "INCOMPATIBLE MEDIUM INSTALLED"],
    [0x30, 0x05, "CANNOT WRITE MEDIUM - INCOMPATIBLE FORMAT"],
    [0x30, 0x10, "MEDIUM NOT FORMATTED"],
    [0x3a, 0x00, "MEDIUM NOT PRESENT"],
    [0x3a, 0x01, "MEDIUM NOT PRESENT - TRAY CLOSED"],
    [0x3a, 0x02, "MEDIUM NOT PRESENT - TRAY OPEN"],
    [0x3a, 0x03, "MEDIUM NOT PRESENT - LOADABLE"],
    [0x3a, 0x04, "MEDIUM NOT PRESENT - MEDIUM AUXILIARY MEMORY ACCESSIBLE"],
    [0x40, 0x00, "RAM FAILURE (SHOULD USE 40 NN)"],
    [0x57, 0x00, "UNABLE TO RECOVER TABLE-OF-CONTENTS"],
    [0x5d, 0xff, "FAILURE PREDICTION THRESHOLD EXCEEDED (FALSE)"],
    [0x63, 0x00, "END OF USER AREA ENCOUNTERED ON THIS TRACK"],
    [0x63, 0x01, "PACKET DOES NOT FIT IN AVAILABLE SPACE"],
    [0x64, 0x00, "ILLEGAL MODE FOR THIS TRACK"],
    [0x64, 0x01, "INVALID PACKET SIZE"],
    [0x6f, 0x04, "MEDIA REGION CODE IS MISMATCHED TO LOGICAL UNIT REGION"],
    [0x72, 0x00, "SESSION FIXATION ERROR"],
    [0x72, 0x03, "SESSION FIXATION ERROR - INCOMPLETE TRACK IN SESSION"],
    [0x72, 0x07, "NO MORE TEST ZONE EXTENSIONS ARE ALLOWED"],
    [0x73, 0x00, "CD CONTROL ERROR"],
    [0x73, 0x02, "POWER CALIBRATION AREA IS FULL"],
    [0x73, 0x17, "RDZ IS FULL"],
    [0x4b, 0x0e, "PCIe FABRIC ERROR"],
  ];
  it.each(specific.map(([asc, ascq, text]) => [formatAscAscq(asc, ascq), asc, ascq, text] as const))("%s is listed", (_code, asc, ascq, text) => {
    expect(lookupAsc(asc, ascq)).toEqual({ asc, ascq, kind: "assigned", text });
  });

  it("resolves the ASCQ range rows with NN filled in", () => {
    expect(ASCQ_RANGE_ROWS.map((r) => r.asc)).toEqual([0x40, 0x4d, 0x70]);
    expect(lookupAsc(0x40, 0x85)).toEqual({ asc: 0x40, ascq: 0x85, kind: "range", text: "DIAGNOSTIC FAILURE ON COMPONENT 85h (80H-FFH)" });
    expect(lookupAsc(0x40, 0xff).kind).toBe("range");
    expect(lookupAsc(0x4d, 0x00).text).toBe("TAGGED OVERLAPPED COMMANDS (00h = TASK TAG)");
    expect(lookupAsc(0x4d, 0x7e).kind).toBe("range");
    expect(lookupAsc(0x70, 0x12).text).toBe("DECOMPRESSION EXCEPTION SHORT ALGORITHM ID OF 12h");
    // 40h/01h-7Fh is not in the range row (80h-FFh) and not assigned.
    expect(lookupAsc(0x40, 0x10).kind).toBe("reserved");
  });

  it("reports vendor-specific ASC (>= 80h) and ASCQ (>= 80h) values", () => {
    expect(lookupAsc(0x80, 0x00)).toMatchObject({ kind: "vendor-specific", text: "VENDOR SPECIFIC ASC 80h (ASCQ 00h)" });
    expect(lookupAsc(0xff, 0xff).kind).toBe("vendor-specific");
    expect(lookupAsc(0x3a, 0x80)).toMatchObject({ kind: "vendor-specific", text: "MEDIUM NOT PRESENT (VENDOR SPECIFIC ASCQ 80h)" });
    expect(lookupAsc(0x0f, 0x90)).toMatchObject({ kind: "vendor-specific", text: "VENDOR SPECIFIC ASCQ 90h OF ASC 0Fh" });
  });

  it("reports unassigned codes as reserved", () => {
    expect(lookupAsc(0x0f, 0x00)).toMatchObject({ kind: "reserved", text: "RESERVED ASC/ASCQ 0Fh/00h" });
    expect(lookupAsc(0x3a, 0x05).kind).toBe("reserved");
    expect(isAssignedAsc(0x3a)).toBe(true);
    expect(isAssignedAsc(0x4d)).toBe(true);
    expect(isAssignedAsc(0x0f)).toBe(false);
  });

  it("looks up every one of the 65536 codes without throwing", () => {
    const kinds = { assigned: 0, range: 0, "vendor-specific": 0, reserved: 0 };
    for (let asc = 0; asc < 256; asc++) for (let ascq = 0; ascq < 256; ascq++) kinds[lookupAsc(asc, ascq).kind]++;
    expect(kinds.assigned).toBe(762);
    expect(kinds.range).toBe(0x80 + 0x100 + 0x100); // 40/80-FF, 4D/00-FF, 70/00-FF
    expect(kinds["vendor-specific"]).toBeGreaterThan(128 * 256);
  });
});

describe("sense keys", () => {
  it("names all 16 keys in order", () => {
    expect(SENSE_KEY_ROWS.map((r) => r.key)).toEqual([...Array(16).keys()]);
    expect(SENSE_KEY_ROWS.map((r) => SENSE_KEY[r.id])).toEqual([...Array(16).keys()]);
    expect(senseKeyName(0x2)).toBe("NOT READY");
    expect(senseKeyName(0x5)).toBe("ILLEGAL REQUEST");
    expect(senseKeyName(0x6)).toBe("UNIT ATTENTION");
    expect(senseKeyName(0xb)).toBe("ABORTED COMMAND");
    expect(senseKeyName(0xf)).toBe("COMPLETED");
  });

  it("names sense descriptor types", () => {
    expect(senseDescriptorName(0x02)).toBe("Sense key specific");
    expect(senseDescriptorName(0x0a)).toBe("Another progress indication");
    expect(senseDescriptorName(0x30)).toBe("Reserved");
    expect(senseDescriptorName(0x80)).toBe("Vendor specific");
  });
});
