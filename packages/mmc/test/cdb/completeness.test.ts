// Parser completeness: for any CDB that decodes, building it again from the decoded fields gives
// back the same bytes (after dropping padding, the vendor-specific CONTROL bits and FORMAT UNIT's
// vendor byte). A CDB bit that a parser neither checks nor decodes would break this.
import fc from "fast-check";
import { toHex } from "@discforge/bytes";
import { InvalidArgumentError } from "@discforge/errors";
import { describe, expect, it } from "vitest";
import * as m from "../../src/cdb/index.js";

function rebuild(d: m.DecodedCdb): m.ScsiRequest {
  switch (d.op) {
    case "testUnitReady":
      return m.buildTestUnitReady();
    case "requestSense":
      return m.buildRequestSense(d.params);
    case "formatUnit":
      return m.buildFormatUnit(d.params);
    case "inquiry":
      return m.buildInquiry(d.params);
    case "modeSelect6":
      return m.buildModeSelect6(d.params);
    case "modeSense6":
      return m.buildModeSense6(d.params);
    case "startStopUnit":
      return m.buildStartStopUnit(d.params);
    case "preventAllowMediumRemoval":
      return m.buildPreventAllowMediumRemoval(d.params);
    case "readFormatCapacities":
      return m.buildReadFormatCapacities(d.params);
    case "readCapacity10":
      return m.buildReadCapacity10(d.params);
    case "read10":
      return m.buildRead10(d.params);
    case "write10":
      return m.buildWrite10(d.params);
    case "seek10":
      return m.buildSeek10(d.params);
    case "writeAndVerify10":
      return m.buildWriteAndVerify10(d.params);
    case "verify10":
      return m.buildVerify10(d.params);
    case "synchronizeCache10":
      return m.buildSynchronizeCache(d.params);
    case "readSubChannel":
      return m.buildReadSubChannel(d.params);
    case "readTocPmaAtip":
      return m.buildReadToc(d.params);
    case "getConfiguration":
      return m.buildGetConfiguration(d.params);
    case "getEventStatusNotification":
      return m.buildGetEventStatusNotification(d.params);
    case "readDiscInformation":
      return m.buildReadDiscInformation(d.params);
    case "readTrackInformation":
      return m.buildReadTrackInformation(d.params);
    case "reserveTrack":
      return m.buildReserveTrack(d.params);
    case "sendOpcInformation":
      return m.buildSendOpcInformation(d.params);
    case "modeSelect10":
      return m.buildModeSelect10(d.params);
    case "modeSense10":
      return m.buildModeSense10(d.params);
    case "closeTrackSession":
      return m.buildCloseTrackSession(d.params);
    case "readBufferCapacity":
      return m.buildReadBufferCapacity(d.params);
    case "sendCueSheet":
      return m.buildSendCueSheet(d.params);
    case "readCapacity16":
      return m.buildReadCapacity16(d.params);
    case "reportLuns":
      return m.buildReportLuns(d.params);
    case "blank":
      return m.buildBlank(d.params);
    case "read12":
      return m.buildRead12(d.params, { blockSize: 1 });
    case "write12":
      return m.buildWrite12(d.params);
    case "getPerformance":
      return m.buildGetPerformance(d.params);
    case "readDiscStructure":
      return m.buildReadDiscStructure(d.params);
    case "setStreaming":
      return m.buildSetStreaming(d.params);
    case "readCdMsf":
      return m.buildReadCdMsf(d.params, { bytesPerSector: 2352 });
    case "setCdSpeed":
      return m.buildSetCdSpeed(d.params);
    case "mechanismStatus":
      return m.buildMechanismStatus(d.params);
    case "readCd":
      return m.buildReadCd(d.params, { bytesPerSector: 2352 });
  }
}

/** The bytes a builder would produce: the command's own length, vendor bits cleared. */
function canonical(cdb: Uint8Array, d: m.DecodedCdb): Uint8Array {
  const length = d.op === "readCapacity16" ? 16 : d.info.cdbLength;
  const out = cdb.slice(0, length);
  out[length - 1] = out[length - 1]! & 0x3f;
  if (d.op === "formatUnit") out[2] = 0;
  return out;
}

describe("parsers keep every CDB bit", () => {
  it("rebuilds decodable CDBs byte for byte", () => {
    const arb = fc
      .tuple(
        fc.constantFrom(...m.DECODABLE_OPCODES),
        fc.array(fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) }), { minLength: 15, maxLength: 15 }),
      )
      .map(([op, rest]) => Uint8Array.of(op, ...rest));
    let rebuilt = 0;
    let refusedByBuilder = 0;
    fc.assert(
      fc.property(arb, (bytes) => {
        let d: m.DecodedCdb;
        try {
          d = m.decodeCdb(bytes);
        } catch (e) {
          if (m.isCdbDecodeError(e)) return;
          throw e;
        }
        let req: m.ScsiRequest;
        try {
          req = rebuild(d);
        } catch (e) {
          // Builders refuse a few combinations a drive merely ignores (e.g. LoEj with a power
          // condition); they must say so with InvalidArgumentError.
          if (!(e instanceof InvalidArgumentError)) throw e;
          refusedByBuilder++;
          return;
        }
        expect(toHex(req.cdb)).toBe(toHex(canonical(bytes, d)));
        rebuilt++;
      }),
      { numRuns: 20_000 },
    );
    expect(rebuilt).toBeGreaterThan(2000);
    expect(refusedByBuilder).toBeLessThan(rebuilt);
  });
});
