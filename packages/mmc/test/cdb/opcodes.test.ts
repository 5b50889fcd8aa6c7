// The opcode table: group-code lengths, write class, agreement with the parsers and builders,
// and the ScsiRequest shape being a valid transport command.
import type { ScsiCommand, ScsiTransport } from "@discforge/transport";
import { validateCommand } from "@discforge/transport";
import { describe, expect, expectTypeOf, it } from "vitest";
import * as m from "../../src/cdb/index.js";

describe("opcode table", () => {
  it("has one row per code, in code order, with unique keys", () => {
    const codes = m.OPCODES.map((o) => o.opcode);
    expect(codes).toEqual([...codes].sort((a, b) => a - b));
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(m.OPCODES.map((o) => o.key)).size).toBe(codes.length);
  });

  it("derives CDB length from the group code", () => {
    expect([0x00, 0x1f, 0x20, 0x5f, 0x60, 0x7f, 0x80, 0x9f, 0xa0, 0xbf, 0xc0, 0xff].map(m.cdbLengthForOpcode)).toEqual([6, 6, 10, 10, 0, 10, 16, 16, 12, 12, 0, 0]);
    for (const o of m.OPCODES) expect(o.cdbLength, o.name).toBe(m.cdbLengthForOpcode(o.opcode));
  });

  it("names the SPC-4 and MMC-6 commands", () => {
    const names = new Map(m.OPCODES.map((o) => [o.opcode, o.name]));
    expect(names.get(0x00)).toBe("TEST UNIT READY");
    expect(names.get(0x43)).toBe("READ TOC/PMA/ATIP");
    expect(names.get(0x5b)).toBe("CLOSE TRACK/SESSION");
    expect(names.get(0xa3)).toBe("SEND KEY"); // MMC meaning of A3h
    expect(names.get(0xa0)).toBe("REPORT LUNS");
    expect(names.get(0xbe)).toBe("READ CD");
    expect(m.opcodeName(0xbe)).toBe("READ CD");
    expect(m.opcodeName(0xc5)).toBe("opcode C5h");
    expect(m.OPCODES.length).toBeGreaterThanOrEqual(80);
  });

  it("marks exactly the medium- and state-changing commands as write class", () => {
    const write = m.OPCODES.filter((o) => o.writeClass).map((o) => o.name);
    for (const name of [
      "WRITE(10)",
      "WRITE(12)",
      "WRITE AND VERIFY(10)",
      "BLANK",
      "FORMAT UNIT",
      "CLOSE TRACK/SESSION",
      "MODE SELECT(6)",
      "MODE SELECT(10)",
      "RESERVE TRACK",
      "SEND CUE SHEET",
      "SYNCHRONIZE CACHE(10)",
      "SEND OPC INFORMATION",
      "SET STREAMING",
      "REPAIR TRACK",
      "SEND DISC STRUCTURE",
      "WRITE BUFFER",
    ]) {
      expect(write, name).toContain(name);
    }
    for (const name of ["READ(10)", "READ CD", "INQUIRY", "TEST UNIT READY", "GET CONFIGURATION", "SET CD SPEED", "START STOP UNIT", "MODE SENSE(10)"]) {
      expect(write, name).not.toContain(name);
    }
    expect(m.isWriteClassOpcode(0x2a)).toBe(true);
    expect(m.isWriteClassOpcode(0x28)).toBe(false);
    expect(m.isWriteClassOpcode(0xc5)).toBe(true); // unknown: refused to non-MMC devices
    expect(m.isWriteClassOpcode(0x85)).toBe(true); // ATA PASS-THROUGH can do anything
    expect(m.isWriteClassOpcode(0x88)).toBe(false); // READ(16)
  });

  it("agrees with the parsers: every parser has a row and decodable opcodes are listed", () => {
    for (const op of Object.keys(m.CDB_PARSERS)) {
      const key = op === "readCapacity16" ? "serviceActionIn16" : op;
      expect(m.opcodeInfoByKey(key), op).toBeDefined();
    }
    expect(m.DECODABLE_OPCODES.length).toBe(Object.keys(m.CDB_PARSERS).length);
    for (const code of m.DECODABLE_OPCODES) expect(m.opcodeInfo(code)).toBeDefined();
  });

  it("gives each timeout class a duration", () => {
    for (const c of m.TIMEOUT_CLASSES) expect(m.DEFAULT_TIMEOUT_MS[c]).toBeGreaterThan(0);
  });
});

describe("ScsiRequest as a transport command", () => {
  const samples: m.ScsiRequest[] = [
    m.buildTestUnitReady(),
    m.buildInquiry(),
    m.buildReadCd({ expectedSectorType: "cdda", lba: 0, transferLength: 4 }),
    m.buildModeSelect10({}, new Uint8Array(24)),
    m.buildWrite10({ lba: 0, transferLength: 2 }, new Uint8Array(4096)),
    m.buildBlank({ blankingType: "minimal", immed: true }),
    m.buildSetStreaming({}, new Uint8Array(28)),
    m.buildSendCueSheet({}, new Uint8Array(16)),
    m.attachDataOut(m.buildFormatUnit(), new Uint8Array(12)),
  ];

  it("spreads into a ScsiCommand (types)", () => {
    const req = m.buildInquiry();
    const command: ScsiCommand = { ...req, timeoutMs: m.DEFAULT_TIMEOUT_MS[req.timeoutClass] };
    expectTypeOf(command).toMatchTypeOf<ScsiCommand>();
    expectTypeOf<Parameters<ScsiTransport["execute"]>[0]>().toEqualTypeOf<ScsiCommand>();
  });

  it("passes the transport's own request validation", () => {
    for (const req of samples) {
      const command: ScsiCommand = { ...req, timeoutMs: m.DEFAULT_TIMEOUT_MS[req.timeoutClass], signal: new AbortController().signal };
      expect(() => validateCommand(command, 1 << 24), req.name).not.toThrow();
    }
  });

  it("uses the table's direction unless the CDB says no data moves", () => {
    for (const req of samples) {
      const info = m.opcodeInfo(req.cdb[0]!)!;
      if (req.direction !== "none") expect(req.direction, req.name).toBe(info.direction);
    }
    expect(m.buildVerify10({ lba: 0, transferLength: 1 }).direction).toBe("none");
    expect(m.buildSendOpcInformation().direction).toBe("none");
    expect(m.buildWrite10({ lba: 0, transferLength: 0 }).direction).toBe("none");
    expect(m.buildFormatUnit({ fmtData: false }).direction).toBe("none");
  });

  it("refuses a data-out request without its data at the transport", () => {
    const req = m.buildWrite10({ lba: 0, transferLength: 1 });
    expect(() => validateCommand({ ...req, timeoutMs: 1000 }, 1 << 20)).toThrow(/dataOut/);
  });
});
