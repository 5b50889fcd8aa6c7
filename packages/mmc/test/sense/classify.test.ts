import { describe, it, expect } from "vitest";
import { DiscforgeError, IMAPI_CODES, MalformedDataError, type ImapiCodeName } from "@discforge/errors";
import { fromHex } from "@discforge/bytes";
import {
  SENSE_CATEGORIES,
  SENSE_CLASS_ROWS,
  SENSE_IMAPI_ROWS,
  OUTCOME_IMAPI_ROWS,
  ScsiCheckConditionError,
  checkConditionError,
  classifySense,
  decodeSense,
  encodeDescriptorSense,
  encodeFixedSense,
  explainSense,
  normalizeCommandName,
  outcomeToImapi,
  senseToImapi,
  type SenseActionKind,
  type SenseCategory,
} from "../../src/sense/index.js";

type Row = [key: number, asc: number, ascq: number, command: string | undefined, category: SenseCategory, action: SenseActionKind, imapi: ImapiCodeName];

// key, ASC, ASCQ, command -> category, action, IMAPI result
const ROWS: Row[] = [
  [0x2, 0x3a, 0x00, "READ DISC INFORMATION", "medium-absent", "fail", "E_IMAPI_RECORDER_MEDIA_NO_MEDIA"],
  [0x2, 0x3a, 0x01, "TEST UNIT READY", "medium-absent", "fail", "E_IMAPI_RECORDER_MEDIA_NO_MEDIA"],
  [0x2, 0x3a, 0x02, "TEST UNIT READY", "medium-absent", "fail", "E_IMAPI_RECORDER_MEDIA_NO_MEDIA"],
  [0x2, 0x04, 0x01, "TEST UNIT READY", "becoming-ready", "retry", "E_IMAPI_RECORDER_MEDIA_BECOMING_READY"],
  [0x2, 0x04, 0x04, "TEST UNIT READY", "format-in-progress", "retry", "E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS"],
  [0x0, 0x04, 0x04, "REQUEST SENSE", "format-in-progress", "retry", "E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS"],
  [0x2, 0x04, 0x07, "TEST UNIT READY", "operation-in-progress", "retry", "E_IMAPI_RECORDER_MEDIA_BUSY"],
  [0x2, 0x04, 0x08, "WRITE(10)", "long-write-in-progress", "retry", "E_IMAPI_RECORDER_MEDIA_BUSY"],
  [0x2, 0x04, 0x03, "TEST UNIT READY", "manual-intervention-required", "fail", "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE"],
  [0x2, 0x04, 0x02, "READ(10)", "not-ready", "reread-media-state", "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE"],
  [0x2, 0x30, 0x00, "READ DISC INFORMATION", "incompatible-medium", "fail", "E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE"],
  [0x5, 0x30, 0x05, "WRITE(10)", "incompatible-medium", "fail", "E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE"],
  [0x2, 0x30, 0x10, "WRITE(10)", "medium-not-formatted", "fail", "E_IMAPI_RECORDER_MEDIA_NOT_FORMATTED"],
  [0x2, 0x06, 0x00, "READ TOC/PMA/ATIP", "no-reference-position", "fail", "E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN"],
  [0x6, 0x28, 0x00, "READ DISC INFORMATION", "medium-changed", "reread-media-state", "IMAPI_E_WRONGDISC"],
  [0x6, 0x29, 0x00, "TEST UNIT READY", "power-on-reset", "reread-media-state", "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE"],
  [0x6, 0x29, 0x02, "TEST UNIT READY", "power-on-reset", "reread-media-state", "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE"],
  [0x6, 0x2a, 0x01, "WRITE(10)", "parameters-changed", "reread-media-state", "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE"],
  [0x6, 0x5a, 0x01, "TEST UNIT READY", "operator-request", "retry", "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE"],
  [0x3, 0x0c, 0x09, "WRITE(10)", "loss-of-streaming", "fail", "E_IMAPI_LOSS_OF_STREAMING"],
  [0x3, 0x0c, 0x07, "WRITE(10)", "write-error", "fail", "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE"],
  [0x1, 0x0c, 0x0a, "WRITE(10)", "recovered", "continue", "S_OK"],
  [0x1, 0x18, 0x01, "READ(10)", "recovered", "continue", "S_OK"],
  [0x7, 0x27, 0x00, "WRITE(10)", "write-protected", "fail", "E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED"],
  [0x7, 0x74, 0x71, "READ(10)", "data-protect", "fail", "E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED"],
  [0x5, 0x20, 0x00, "READ CD", "invalid-opcode", "fail", "E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED"],
  [0x5, 0x20, 0x00, "GET CONFIGURATION", "invalid-opcode", "fail", "E_IMAPI_RECORDER_GET_CONFIGURATION_NOT_SUPPORTED"],
  [0x5, 0x24, 0x00, "GET CONFIGURATION", "invalid-field", "fail", "E_IMAPI_RECORDER_NO_SUCH_FEATURE"],
  [0x5, 0x24, 0x00, "MODE SELECT(10)", "invalid-field", "fail", "E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS"],
  [0x5, 0x26, 0x00, "MODE SELECT(10)", "invalid-parameter", "fail", "E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS"],
  [0x5, 0x26, 0x02, "Mode Select (6)", "invalid-parameter", "fail", "E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS"],
  [0x5, 0x24, 0x00, "MODE SENSE(10)", "invalid-field", "fail", "E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE"],
  [0x5, 0x24, 0x00, "READ DISC STRUCTURE", "invalid-field", "fail", "E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT"],
  [0x5, 0x30, 0x02, "READ DISC STRUCTURE", "incompatible-medium", "fail", "E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT"],
  [0x5, 0x24, 0x00, "SET STREAMING", "invalid-field", "fail", "E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH"],
  [0x5, 0x24, 0x00, "READ(10)", "invalid-field", "fail", "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE"],
  [0x5, 0x24, 0x00, "BLANK", "invalid-field", "fail", "E_IMAPI_ERASE_MEDIA_IS_NOT_ERASABLE"],
  [0x3, 0x51, 0x00, "BLANK", "medium-error", "fail", "E_IMAPI_ERASE_DRIVE_FAILED_ERASE_COMMAND"],
  [0x5, 0x21, 0x02, "WRITE(10)", "invalid-address-for-write", "fail", "E_IMAPI_DF2DATA_INVALID_MEDIA_STATE"],
  [0x5, 0x21, 0x00, "READ(10)", "lba-out-of-range", "fail", "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE"],
  [0x5, 0x2c, 0x00, "CLOSE TRACK/SESSION", "command-sequence-error", "fail", "E_IMAPI_DF2DATA_INVALID_MEDIA_STATE"],
  [0x5, 0x64, 0x00, "WRITE(10)", "illegal-track-mode", "fail", "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE"],
  [0x5, 0x63, 0x00, "WRITE(10)", "end-of-user-area", "fail", "E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA"],
  [0x3, 0x72, 0x00, "CLOSE TRACK/SESSION", "session-fixation-error", "fail", "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE"],
  [0x3, 0x73, 0x03, "SEND OPC INFORMATION", "power-calibration-error", "fail", "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE"],
  [0x3, 0x11, 0x05, "READ(10)", "medium-error", "fail", "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE"],
  [0x3, 0x57, 0x00, "READ TOC/PMA/ATIP", "toc-unreadable", "fail", "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE"],
  [0x4, 0x44, 0x00, "WRITE(10)", "hardware-error", "fail", "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE"],
  [0x4, 0x40, 0x85, "TEST UNIT READY", "hardware-error", "fail", "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE"],
  [0xb, 0x2e, 0x02, "WRITE(10)", "command-timeout", "retry", "E_IMAPI_RECORDER_COMMAND_TIMEOUT"],
  [0xb, 0x47, 0x00, "READ(10)", "aborted", "retry", "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE"],
  [0xb, 0x00, 0x00, "READ(10)", "aborted", "retry", "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE"],
  [0xe, 0x1d, 0x00, "VERIFY(10)", "miscompare", "fail", "E_IMAPI_BURN_VERIFICATION_FAILED"],
  [0x8, 0x00, 0x00, "READ(10)", "blank-check", "fail", "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE"],
  [0xd, 0x00, 0x00, "WRITE(10)", "volume-overflow", "fail", "E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA"],
  [0x0, 0x00, 0x00, "REQUEST SENSE", "no-sense", "continue", "S_OK"],
  [0x0, 0x00, 0x16, "REQUEST SENSE", "operation-in-progress", "retry", "E_IMAPI_RECORDER_MEDIA_BUSY"],
  [0x9, 0x80, 0x00, "READ(10)", "vendor-specific", "fail", "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE"],
  [0xc, 0x00, 0x00, "READ(10)", "reserved-key", "fail", "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE"],
  [0xf, 0x00, 0x00, "READ(10)", "completed", "continue", "S_OK"],
];

describe("sense classification and IMAPI mapping", () => {
  it.each(ROWS)("key %i ASC %i ASCQ %i on %s -> %s / %s / %s", (senseKey, asc, ascq, command, category, action, imapi) => {
    const cls = classifySense({ senseKey, asc, ascq });
    expect(cls.category).toBe(category);
    expect(cls.action.kind).toBe(action);
    expect(cls.advice.length).toBeGreaterThan(10);
    const code = senseToImapi({ category: cls.category, asc, ascq, ...(command === undefined ? {} : { command }) });
    expect(code).toEqual({ name: imapi, hresult: IMAPI_CODES[imapi].hresult });
  });

  it("gives retry actions a delay and an attempt cap", () => {
    expect(classifySense({ senseKey: 2, asc: 4, ascq: 1 }).action).toEqual({ kind: "retry", delayMs: 1000, maxAttempts: 60 });
    for (const row of SENSE_CLASS_ROWS) {
      if (row.action.kind !== "retry") continue;
      expect(row.action.delayMs, row.category).toBeGreaterThanOrEqual(0);
      expect(row.action.maxAttempts, row.category).toBeGreaterThan(0);
    }
  });

  it("turns retry into fail for deferred errors, but keeps continue", () => {
    expect(classifySense({ senseKey: 2, asc: 4, ascq: 8, deferred: true }).action.kind).toBe("fail");
    expect(classifySense({ senseKey: 6, asc: 0x29, ascq: 0, deferred: true }).action.kind).toBe("fail");
    expect(classifySense({ senseKey: 1, asc: 0x18, ascq: 0, deferred: true }).action.kind).toBe("continue");
    expect(classifySense(decodeSense(encodeFixedSense({ key: 3, asc: 0x0c, ascq: 0x09, deferred: true }))).category).toBe("loss-of-streaming");
  });

  it("classifies every key/ASC/ASCQ combination, and every category is reachable", () => {
    const seen = new Set<SenseCategory>();
    for (let key = 0; key < 16; key++)
      for (let asc = 0; asc < 256; asc++)
        for (const ascq of [0, 1, 2, 3, 4, 7, 8, 9, 0x10, 0x16, 0x80, 0xff]) {
          const cls = classifySense({ senseKey: key, asc, ascq });
          expect(SENSE_CATEGORIES).toContain(cls.category);
          seen.add(cls.category);
        }
    expect([...seen].sort()).toEqual([...SENSE_CATEGORIES].sort());
  });

  it("maps every category to an IMAPI code that exists, and every row names a real code", () => {
    for (const category of SENSE_CATEGORIES) expect(IMAPI_CODES[senseToImapi({ category, asc: 0, ascq: 0 }).name]).toBeDefined();
    for (const row of SENSE_IMAPI_ROWS) expect(IMAPI_CODES[row.imapi], row.imapi).toBeDefined();
    for (const name of Object.values(OUTCOME_IMAPI_ROWS)) expect(IMAPI_CODES[name], name).toBeDefined();
    // Command rows are written in normalised form, or they could never match.
    for (const row of SENSE_IMAPI_ROWS) for (const c of row.commands ?? []) expect(normalizeCommandName(c)).toBe(c);
  });

  it("maps outcomes without sense", () => {
    expect(outcomeToImapi("timeout")).toEqual({ name: "E_IMAPI_RECORDER_COMMAND_TIMEOUT", hresult: 0xc0aa020d });
    expect(outcomeToImapi("aborted").name).toBe("E_IMAPI_REQUEST_CANCELLED");
    expect(outcomeToImapi("reservation-conflict").name).toBe("E_IMAPI_RECORDER_LOCKED");
    expect(outcomeToImapi("malformed-response").name).toBe("E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE");
    expect(outcomeToImapi("something new").name).toBe("E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE");
  });

  it("normalises command names", () => {
    expect(normalizeCommandName("Mode Select(10)")).toBe("MODE SELECT");
    expect(normalizeCommandName(" mode  sense ( 6 ) ")).toBe("MODE SENSE");
    expect(normalizeCommandName("READ TOC/PMA/ATIP")).toBe("READ TOC/PMA/ATIP");
  });
});

describe("ScsiCheckConditionError", () => {
  const cdb = fromHex("51000000000000002200"); // READ DISC INFORMATION, allocation length 34
  it("carries sense, CDB, command, category, action and IMAPI code, with an actionable message", () => {
    const senseBytes = encodeFixedSense({ key: 2, asc: 0x3a, ascq: 0x02 });
    const e = new ScsiCheckConditionError({ sense: decodeSense(senseBytes), senseBytes, cdb, command: "READ DISC INFORMATION" });
    expect(e).toBeInstanceOf(DiscforgeError);
    expect(e.name).toBe("ScsiCheckConditionError");
    expect(e.code).toBe("DF_CHECK_CONDITION");
    expect(e.category).toBe("medium-absent");
    expect(e.action.kind).toBe("fail");
    expect(e.imapi).toEqual({ name: "E_IMAPI_RECORDER_MEDIA_NO_MEDIA", hresult: 0xc0aa0202 });
    expect(e.imapiCode).toEqual(e.imapi);
    expect([e.senseKey, e.asc, e.ascq]).toEqual([2, 0x3a, 0x02]);
    expect(e.cdb).toBe(cdb);
    expect(e.senseBytes).toBe(senseBytes);
    expect(e.message).toBe(
      "MEDIUM NOT PRESENT - TRAY OPEN (3A/02) on READ DISC INFORMATION: NOT READY, medium-absent. " +
        "No disc: the tray is open. Put a disc in and close the tray. [E_IMAPI_RECORDER_MEDIA_NO_MEDIA 0xC0AA0202]",
    );
  });

  it("mentions deferral, the LBA, the bad field and progress when the sense has them", () => {
    const deferred = new ScsiCheckConditionError({ sense: decodeSense(encodeFixedSense({ key: 3, asc: 0x0c, ascq: 0x09, deferred: true, information: 1234 })), senseBytes: new Uint8Array(0), cdb, command: "SYNCHRONIZE CACHE" });
    expect(deferred.message).toContain("WRITE ERROR - LOSS OF STREAMING (0C/09) on SYNCHRONIZE CACHE: MEDIUM ERROR, loss-of-streaming; deferred error from an earlier command; information 1234.");
    expect(deferred.imapi?.name).toBe("E_IMAPI_LOSS_OF_STREAMING");
    const field = new ScsiCheckConditionError({ sense: decodeSense(encodeDescriptorSense({ key: 5, asc: 0x26, ascq: 0, sks: { fieldPointer: 9, inCdb: false, bitPointer: 2 } })), senseBytes: new Uint8Array(0), cdb, command: "MODE SELECT(10)" });
    expect(field.message).toContain("bad field at parameter byte 9 bit 2");
    expect(field.imapi?.name).toBe("E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS");
    const progress = new ScsiCheckConditionError({ sense: decodeSense(encodeFixedSense({ key: 2, asc: 4, ascq: 4, sks: { progress: 0x4000 } })), senseBytes: new Uint8Array(0), cdb, command: "TEST UNIT READY" });
    expect(progress.message).toContain("progress 25.0%");
    expect(progress.action).toEqual({ kind: "retry", delayMs: 2000, maxAttempts: 3600 });
  });

  it("checkConditionError decodes sense, or returns a MalformedDataError with the IMAPI invalid-response code", () => {
    const ok = checkConditionError(encodeFixedSense({ key: 6, asc: 0x28, ascq: 0 }), cdb, "READ DISC INFORMATION");
    expect(ok).toBeInstanceOf(ScsiCheckConditionError);
    expect((ok as ScsiCheckConditionError).category).toBe("medium-changed");
    const bad = checkConditionError(fromHex("7000"), cdb, "READ DISC INFORMATION");
    expect(bad).toBeInstanceOf(MalformedDataError);
    expect(bad.imapi?.name).toBe("E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE");
    expect(bad.message).toContain("sense data of READ DISC INFORMATION");
  });
});

describe("explainSense", () => {
  it("explains 02/3A/02 fully", () => {
    expect(explainSense(2, 0x3a, 2)).toEqual({
      senseKey: 2,
      senseKeyName: "NOT READY",
      asc: 0x3a,
      ascq: 2,
      code: "02h/3Ah/02h",
      ascText: "MEDIUM NOT PRESENT - TRAY OPEN",
      ascKind: "assigned",
      category: "medium-absent",
      action: { kind: "fail" },
      imapi: { name: "E_IMAPI_RECORDER_MEDIA_NO_MEDIA", hresult: 0xc0aa0202, hresultHex: "0xC0AA0202", text: IMAPI_CODES.E_IMAPI_RECORDER_MEDIA_NO_MEDIA.text },
      advice: "No disc: the tray is open. Put a disc in and close the tray.",
    });
  });

  it("uses the command for the IMAPI code and handles range and vendor codes", () => {
    expect(explainSense(5, 0x24, 0, { command: "MODE SENSE(10)" }).imapi.name).toBe("E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE");
    expect(explainSense(5, 0x24, 0, { command: "MODE SELECT(10)" }).imapi.name).toBe("E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS");
    expect(explainSense(4, 0x40, 0x90)).toMatchObject({ ascKind: "range", ascText: "DIAGNOSTIC FAILURE ON COMPONENT 90h (80H-FFH)", category: "hardware-error" });
    expect(explainSense(3, 0x85, 0x01)).toMatchObject({ ascKind: "vendor-specific", category: "medium-error" });
    expect(explainSense(2, 4, 8, { deferred: true }).action.kind).toBe("fail");
    expect(() => explainSense(16, 0, 0)).toThrow();
    expect(() => explainSense(2, 0x100, 0)).toThrow();
  });
});
