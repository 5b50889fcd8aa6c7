// Property-based tests: decodeCdb() on arbitrary bytes either returns a value or throws one of the
// typed CDB errors, never anything else; and every builder round-trips random valid parameters.
import fc from "fast-check";
import { toHex } from "@discforge/bytes";
import { describe, expect, it } from "vitest";
import * as m from "../../src/cdb/index.js";

/** Plain checks (no expect) in the hot loop: tens of thousands of runs must stay fast. */
function decodesOrThrowsTyped(bytes: Uint8Array): boolean {
  try {
    const d = m.decodeCdb(bytes);
    return typeof d.op === "string" && d.info.opcode === bytes[0] && typeof d.params === "object";
  } catch (e) {
    if (e instanceof m.CdbFieldError) {
      const bitOk = e.bitNumber === undefined || (e.bitNumber >= 0 && e.bitNumber <= 7);
      return e.byteOffset >= 0 && e.byteOffset < bytes.length && bitOk;
    }
    if (m.isCdbDecodeError(e)) return true;
    throw e;
  }
}

describe("decodeCdb robustness", () => {
  it("returns or throws a typed error for any 0..20 bytes", () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 0, maxLength: 20 }), decodesOrThrowsTyped), { numRuns: 10_000 });
  });

  it("returns or throws a typed error for any bytes behind a decodable opcode", () => {
    const arb = fc
      .tuple(fc.constantFrom(...m.DECODABLE_OPCODES), fc.uint8Array({ minLength: 0, maxLength: 19 }))
      .map(([op, rest]) => Uint8Array.of(op, ...rest));
    fc.assert(fc.property(arb, decodesOrThrowsTyped), { numRuns: 15_000 });
  });

  it("decodes sparse CDBs (mostly zero bytes) of every decodable opcode", () => {
    // Mostly-zero CDBs get past the reserved-field checks and reach the field decoders.
    const arb = fc
      .tuple(
        fc.constantFrom(...m.DECODABLE_OPCODES),
        fc.array(fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) }), { minLength: 5, maxLength: 15 }),
      )
      .map(([op, rest]) => Uint8Array.of(op, ...rest));
    let decoded = 0;
    fc.assert(
      fc.property(arb, (bytes) => {
        try {
          m.decodeCdb(bytes);
          decoded++;
        } catch (e) {
          if (!m.isCdbDecodeError(e)) throw e;
        }
      }),
      { numRuns: 10_000 },
    );
    expect(decoded).toBeGreaterThan(1000);
  });
});

// ---------------------------------------------------------------------------------------------
// Round-trips

const u = (bits: number) => fc.integer({ min: 0, max: 2 ** bits - 1 });
const bool = fc.boolean();
const oneOf = <T extends string>(table: Readonly<Record<T, number>>) => fc.constantFrom(...(Object.keys(table) as T[]));

interface RoundTrip<P> {
  readonly name: string;
  readonly arb: fc.Arbitrary<P>;
  readonly build: (p: P) => m.ScsiRequest;
  readonly parse: (cdb: Uint8Array) => unknown;
}
function rt<P>(name: string, arb: fc.Arbitrary<P>, build: (p: P) => m.ScsiRequest, parse: (cdb: Uint8Array) => unknown): RoundTrip<P> {
  return { name, arb, build, parse };
}

// A small range keeps READ CD MSF transfers well under 4 GiB.
const msfArb = fc.record({ minute: fc.integer({ min: 0, max: 3 }), second: fc.integer({ min: 0, max: 59 }), frame: fc.integer({ min: 0, max: 74 }) });
const msfFrames = (x: { minute: number; second: number; frame: number }) => (x.minute * 60 + x.second) * 75 + x.frame;

const tocArb = fc.oneof(
  fc.record({ format: fc.constant("toc" as const), msf: bool, trackSessionNumber: fc.oneof(fc.integer({ min: 0, max: 99 }), fc.constant(0xaa)), allocationLength: u(16) }),
  fc.record({ format: fc.constant("fullToc" as const), msf: bool, trackSessionNumber: fc.integer({ min: 0, max: 99 }), allocationLength: u(16) }),
  fc.record({ format: fc.constantFrom("sessionInfo" as const, "pma" as const, "atip" as const, "cdText" as const), msf: bool, trackSessionNumber: fc.constant(0), allocationLength: u(16) }),
);

const readCdArb = fc.record({
  expectedSectorType: fc.constantFrom("cdda", "mode1", "mode2Formless", "mode2Form1", "mode2Form2") as fc.Arbitrary<m.ExpectedSectorType>,
  dap: bool,
  lba: u(32),
  transferLength: fc.integer({ min: 0, max: 1000 }),
  sync: bool,
  headerCodes: oneOf(m.HEADER_CODES),
  userData: bool,
  edcEcc: bool,
  c2ErrorInfo: oneOf(m.C2_ERROR_INFO),
  subchannel: oneOf(m.SUBCHANNEL_SELECTION),
});

const performanceArb: fc.Arbitrary<m.GetPerformanceParams> = fc.oneof(
  fc.record({ type: fc.constant("performance" as const), tolerance: u(2), write: bool, except: oneOf(m.PERFORMANCE_EXCEPT), startingLba: u(32), maxDescriptors: u(16) }),
  fc.record({ type: fc.constant("writeSpeed" as const), maxDescriptors: u(16) }),
  fc.record({ type: fc.constantFrom("unusableArea" as const, "defectStatus" as const, "dbi" as const, "dbiCacheZone" as const), dataType: u(5), startingLba: u(32), maxDescriptors: u(16) }),
);

const startStopArb = fc.oneof(
  fc.record({ immed: bool, powerCondition: fc.constant("startValid" as const), fl: fc.constant(false), loej: bool, start: bool }),
  fc.record({ immed: bool, powerCondition: fc.constant("startValid" as const), fl: fc.constant(true), loej: fc.constant(true), start: fc.constant(true) }),
  fc.record({ immed: bool, powerCondition: oneOf(m.POWER_CONDITION), fl: fc.constant(false), loej: fc.constant(false), start: fc.constant(false) }),
);

const blankArb = fc.oneof(
  fc.record({ immed: bool, blankingType: fc.constantFrom("track" as const, "trackTail" as const), startAddress: u(32) }),
  fc.record({ immed: bool, blankingType: fc.constantFrom("full" as const, "minimal" as const, "unreserveTrack" as const, "uncloseSession" as const, "session" as const), startAddress: fc.constant(0) }),
);

const ROUND_TRIPS = [
  rt("REQUEST SENSE", fc.record({ desc: bool, allocationLength: u(8) }), m.buildRequestSense, m.parseRequestSenseCdb),
  rt("INQUIRY", fc.oneof(fc.record({ evpd: fc.constant(true), pageCode: u(8), allocationLength: u(16) }), fc.record({ evpd: fc.constant(false), pageCode: fc.constant(0), allocationLength: u(16) })), m.buildInquiry, m.parseInquiryCdb),
  rt("MODE SENSE(6)", fc.record({ pageControl: oneOf(m.PAGE_CONTROL), pageCode: u(6), subpageCode: u(8), dbd: bool, allocationLength: u(8) }), m.buildModeSense6, m.parseModeSense6Cdb),
  rt("MODE SENSE(10)", fc.record({ pageControl: oneOf(m.PAGE_CONTROL), pageCode: u(6), subpageCode: u(8), dbd: bool, llbaa: bool, allocationLength: u(16) }), m.buildModeSense10, m.parseModeSense10Cdb),
  rt("MODE SELECT(6)", fc.record({ pf: bool, sp: bool, parameterListLength: u(8) }), (p) => m.buildModeSelect6(p), m.parseModeSelect6Cdb),
  rt("MODE SELECT(10)", fc.record({ pf: bool, sp: bool, parameterListLength: u(16) }), (p) => m.buildModeSelect10(p), m.parseModeSelect10Cdb),
  rt("GET CONFIGURATION", fc.record({ requestType: oneOf(m.REQUEST_TYPE), startingFeature: u(16), allocationLength: u(16) }), m.buildGetConfiguration, m.parseGetConfigurationCdb),
  rt(
    "GET EVENT STATUS NOTIFICATION",
    fc.record({
      polled: bool,
      classes: fc.record({ operationalChange: bool, powerManagement: bool, externalRequest: bool, media: bool, multiHost: bool, deviceBusy: bool }),
      allocationLength: u(16),
    }),
    m.buildGetEventStatusNotification,
    m.parseGetEventStatusNotificationCdb,
  ),
  rt("READ CAPACITY", fc.oneof(fc.record({ lba: u(32), pmi: fc.constant(true) }), fc.record({ lba: fc.constant(0), pmi: fc.constant(false) })), m.buildReadCapacity10, m.parseReadCapacity10Cdb),
  rt("READ CAPACITY(16)", fc.record({ lba: fc.maxSafeNat(), pmi: fc.constant(true), allocationLength: u(32) }), m.buildReadCapacity16, m.parseReadCapacity16Cdb),
  rt("READ(10)", fc.record({ lba: u(32), transferLength: u(16), dpo: bool, fua: bool }), (p) => m.buildRead10(p), m.parseRead10Cdb),
  rt("READ(12)", fc.record({ lba: u(32), transferLength: u(21), dpo: bool, fua: bool, streaming: bool }), (p) => m.buildRead12(p), m.parseRead12Cdb),
  rt("READ CD", readCdArb, (p) => m.buildReadCd(p), m.parseReadCdCdb),
  rt(
    "READ CD MSF",
    fc
      .tuple(readCdArb, msfArb, msfArb)
      .map(([sel, a, b]) => {
        const { lba: _lba, transferLength: _len, ...rest } = sel;
        const [start, end] = msfFrames(a) <= msfFrames(b) ? [a, b] : [b, a];
        return { ...rest, start, end };
      }),
    (p) => m.buildReadCdMsf(p),
    m.parseReadCdMsfCdb,
  ),
  rt(
    "READ SUB-CHANNEL",
    fc.oneof(
      fc.record({ msf: bool, subQ: bool, format: fc.constant("isrc" as const), trackNumber: fc.integer({ min: 1, max: 99 }), allocationLength: u(16) }),
      fc.record({ msf: bool, subQ: bool, format: fc.constantFrom("currentPosition" as const, "mediaCatalogNumber" as const), trackNumber: fc.constant(0), allocationLength: u(16) }),
    ),
    m.buildReadSubChannel,
    m.parseReadSubChannelCdb,
  ),
  rt("SEEK(10)", fc.record({ lba: u(32) }), m.buildSeek10, m.parseSeek10Cdb),
  rt("REPORT LUNS", fc.record({ selectReport: fc.integer({ min: 0, max: 2 }), allocationLength: fc.integer({ min: 16, max: 0xffffffff }) }), m.buildReportLuns, m.parseReportLunsCdb),
  rt("READ TOC/PMA/ATIP", tocArb, m.buildReadToc, m.parseReadTocCdb),
  rt("READ DISC INFORMATION", fc.record({ dataType: oneOf(m.DISC_INFORMATION_DATA_TYPE), allocationLength: u(16) }), m.buildReadDiscInformation, m.parseReadDiscInformationCdb),
  rt("READ TRACK INFORMATION", fc.record({ open: bool, addressType: oneOf(m.TRACK_ADDRESS_TYPE), address: u(32), allocationLength: u(16) }), m.buildReadTrackInformation, m.parseReadTrackInformationCdb),
  rt("READ FORMAT CAPACITIES", fc.record({ allocationLength: u(16) }), m.buildReadFormatCapacities, m.parseReadFormatCapacitiesCdb),
  rt("READ BUFFER CAPACITY", fc.record({ block: bool, allocationLength: u(16) }), m.buildReadBufferCapacity, m.parseReadBufferCapacityCdb),
  rt(
    "READ DISC STRUCTURE",
    fc.record({ mediaType: oneOf(m.DISC_STRUCTURE_MEDIA_TYPE), address: u(32), layerNumber: u(8), formatCode: u(8), allocationLength: u(16), agid: u(2) }),
    m.buildReadDiscStructure,
    m.parseReadDiscStructureCdb,
  ),
  rt("GET PERFORMANCE", performanceArb, (p) => m.buildGetPerformance(p), m.parseGetPerformanceCdb),
  rt("SET CD SPEED", fc.record({ rotationalControl: oneOf(m.ROTATIONAL_CONTROL), readSpeed: u(16), writeSpeed: u(16) }), m.buildSetCdSpeed, m.parseSetCdSpeedCdb),
  rt(
    "SET STREAMING",
    fc.oneof(fc.record({ type: fc.constant("performance" as const), parameterListLength: fc.constant(28) }), fc.record({ type: fc.constant("dbiCacheZone" as const), parameterListLength: u(16) })),
    (p) => m.buildSetStreaming(p),
    m.parseSetStreamingCdb,
  ),
  rt("WRITE(10)", fc.record({ lba: u(32), transferLength: u(16), dpo: bool, fua: bool }), (p) => m.buildWrite10(p), m.parseWrite10Cdb),
  rt("WRITE(12)", fc.record({ lba: u(32), transferLength: u(32), dpo: bool, fua: bool, streaming: bool }), (p) => m.buildWrite12(p), m.parseWrite12Cdb),
  rt("WRITE AND VERIFY(10)", fc.record({ lba: u(32), transferLength: u(16), dpo: bool, bytchk: bool }), (p) => m.buildWriteAndVerify10(p), m.parseWriteAndVerify10Cdb),
  rt("VERIFY(10)", fc.record({ lba: u(32), transferLength: u(16), dpo: bool, bytchk: bool }), (p) => m.buildVerify10(p), m.parseVerify10Cdb),
  rt("SYNCHRONIZE CACHE", fc.record({ immed: bool, lba: u(32), blocks: u(16) }), m.buildSynchronizeCache, m.parseSynchronizeCacheCdb),
  rt(
    "RESERVE TRACK",
    fc.oneof(fc.record({ form: fc.constant("size" as const), rmz: bool, reservationSize: u(32) }), fc.record({ form: fc.constant("lba" as const), lba: u(32) })),
    m.buildReserveTrack,
    m.parseReserveTrackCdb,
  ),
  rt("CLOSE TRACK/SESSION", fc.record({ immed: bool, closeFunction: oneOf(m.CLOSE_FUNCTION), trackNumber: u(16) }), m.buildCloseTrackSession, m.parseCloseTrackSessionCdb),
  rt("BLANK", blankArb, m.buildBlank, m.parseBlankCdb),
  rt("FORMAT UNIT", fc.oneof(fc.record({ fmtData: fc.constant(true), cmpList: bool, formatCode: fc.constant(1) }), fc.record({ fmtData: fc.constant(false), cmpList: fc.constant(false), formatCode: fc.constant(1) })), (p) => m.buildFormatUnit(p), m.parseFormatUnitCdb),
  rt("START STOP UNIT", startStopArb, m.buildStartStopUnit, m.parseStartStopUnitCdb),
  rt("PREVENT ALLOW MEDIUM REMOVAL", fc.record({ prevent: bool, persistent: bool }), m.buildPreventAllowMediumRemoval, m.parsePreventAllowMediumRemovalCdb),
  rt("MECHANISM STATUS", fc.record({ allocationLength: u(16) }), m.buildMechanismStatus, m.parseMechanismStatusCdb),
  rt("SEND OPC INFORMATION", fc.record({ doOpc: bool, exclude0: bool, exclude1: bool, parameterListLength: u(16) }), (p) => m.buildSendOpcInformation(p), m.parseSendOpcInformationCdb),
  rt("SEND CUE SHEET", fc.record({ cueSheetSize: fc.integer({ min: 0, max: 0xffffff >>> 3 }).map((n) => n * 8) }), (p) => m.buildSendCueSheet(p), m.parseSendCueSheetCdb),
] as RoundTrip<unknown>[];

describe("build -> parse round-trips for random valid parameters", () => {
  for (const t of ROUND_TRIPS) {
    it(t.name, () => {
      fc.assert(
        fc.property(t.arb, (p) => {
          const req = t.build(p);
          const parsed = t.parse(req.cdb);
          expect(parsed).toEqual(p);
          expect(m.decodeCdb(req.cdb).params).toEqual(p);
          expect(toHex(t.build(parsed).cdb)).toBe(toHex(req.cdb));
          expect(req.cdb.length).toBe(m.cdbLengthForOpcode(req.cdb[0]!));
          const transfer = m.cdbTransfer(m.decodeCdb(req.cdb));
          expect(transfer.direction).toBe(req.direction);
          if (req.direction === "in") expect(transfer.length).toBe(req.dataInLength);
          if (req.direction === "out" && transfer.length !== undefined && req.dataOutLength !== undefined) expect(transfer.length).toBe(req.dataOutLength);
        }),
        { numRuns: 300 },
      );
    });
  }

  it("covers every decodable command except TEST UNIT READY (no fields)", () => {
    const names = new Set(ROUND_TRIPS.map((t) => t.name));
    expect(names.size).toBe(Object.keys(m.CDB_PARSERS).length - 1);
  });
});
