/**
 * Robustness: every decoder of src/structures fed random buffers and truncated/corrupted
 * valid ones must return a value or throw MalformedDataError, nothing else. Whatever decodes is
 * then re-encoded; the encoder may refuse (InvalidArgumentError) but what it produces must decode
 * and re-encode to the same bytes.
 */
import { fromHex, toHex } from "@discforge/bytes";
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as s from "../../src/structures/index.js";
import type { StructureCodec } from "../../src/structures/index.js";

type AnyCodec = StructureCodec<unknown>;

/** Every codec, with a valid sample to mutate. */
const CODECS: Array<[string, AnyCodec, Uint8Array]> = [];
function add<T>(codec: StructureCodec<T>, sample: T): void {
  CODECS.push([codec.structure, codec as AnyCodec, codec.encode(sample)]);
}

const msf = { minute: 1, second: 2, frame: 3 };
add(s.modeParameterList10Codec, {
  mediumType: 0, writeProtected: false, deviceSpecificParameter: 0, longLba: false,
  blockDescriptors: [{ densityCode: 0, numberOfBlocks: 5, blockLength: 2048 }],
  pages: [{ ps: false, spf: false, pageCode: 5, subpageCode: 0, parameters: new Uint8Array(50) }, { ps: false, spf: true, pageCode: 10, subpageCode: 1, parameters: new Uint8Array(3) }],
});
add(s.modeParameterList6Codec, { mediumType: 0, writeProtected: true, deviceSpecificParameter: 0, longLba: false, blockDescriptors: [], pages: [{ ps: true, spf: false, pageCode: 1, subpageCode: 0, parameters: new Uint8Array(10) }] });
add(s.errorRecoveryPageCodec, { ps: false, awre: true, arre: false, tb: false, rc: false, per: true, dte: false, dcr: false, readRetryCount: 3, emcdr: 1, writeRetryCount: 2, recoveryTimeLimit: 9 });
add(s.writeParametersPageCodec, s.defaultWriteParameters({ mediaCatalogNumber: "0123456789012", isrc: "USRC17607839", vendorSpecific: new Uint8Array(4) }));
add(s.powerConditionPageCodec, { ps: false, byte2: 0, idle: true, standby: false, idleConditionTimer: 1, standbyConditionTimer: 2, otherConditionBits: 0, extension: new Uint8Array(0) });
add(s.timeoutProtectPageCodec, { ps: false, g3Enable: true, tmoe: false, disp: false, swpp: true, group1MinimumTimeout: 1, group2MinimumTimeout: 2, group3Timeout: 3 });
add(s.capabilitiesPageCodec, s.capabilitiesPageCodec.decode(fromHex("2a 22 3f 37 f1 77 29 03 1b 90 01 00 08 00 1b 90 00 00 21 13 21 13 00 01 00 00 00 00 56 90 00 01 00 00 56 90")));
add(s.discInformationCodec, {
  erasable: true, stateOfLastSession: 1, discStatus: 1, firstTrackNumber: 1, numberOfSessions: 2, firstTrackInLastSession: 2, lastTrackInLastSession: 2,
  didV: true, dbcV: false, uru: true, dacV: false, legacy: false, bgFormatStatus: 0, discType: 0x20, discIdentification: 7,
  lastSessionLeadInStartAddress: 1, lastPossibleLeadOutStartAddress: 2, discBarCode: new Uint8Array(8), discApplicationCode: 0,
  opcTable: [{ speed: 1, opcValue: new Uint8Array(6) }],
});
add(s.trackResourcesCodec, { maximumTracksOnDisc: 99, assignedTracksOnDisc: 1, maximumTracksInAppendableSession: 98, assignedTracksInAppendableSession: 0 });
add(s.powResourcesCodec, { remainingPowReplacements: 1, remainingPowReallocationMapEntries: 2, remainingPowUpdates: 3 });
add(s.trackInformationCodec, {
  trackNumber: 1, sessionNumber: 1, ljrs: 0, damage: false, copy: false, trackMode: 4, rt: false, blank: false, packetIncremental: true, fp: false, dataMode: 1,
  lraV: true, nwaV: true, trackStartAddress: 0, nextWritableAddress: 100, freeBlocks: 5, fixedPacketSize: 16, trackSize: 105,
  lastRecordedAddress: 99, readCompatibilityLba: 0, nextLayerJumpAddress: 0, lastLayerJumpAddress: 0,
});
add(s.formattedTocCodec, { firstTrackNumber: 1, lastTrackNumber: 1, descriptors: [{ adr: 1, control: 4, trackNumber: 1, address: 0 }, { adr: 1, control: 4, trackNumber: 0xaa, address: 1000 }] });
add(s.formattedTocMsfCodec, { firstTrackNumber: 1, lastTrackNumber: 1, descriptors: [{ adr: 1, control: 4, trackNumber: 1, address: msf }] });
add(s.multiSessionInfoCodec, { firstCompleteSession: 1, lastCompleteSession: 1, adr: 1, control: 4, firstTrackInLastSession: 1, startAddress: 0 });
add(s.multiSessionInfoMsfCodec, { firstCompleteSession: 1, lastCompleteSession: 1, adr: 1, control: 4, firstTrackInLastSession: 1, startAddress: msf });
const q = { sessionNumber: 1, adr: 1, control: 4, tno: 0, point: 0xa0, min: 0, sec: 0, frame: 0, zero: 0, pmin: 1, psec: 0, pframe: 0 };
add(s.rawTocCodec, { firstCompleteSession: 1, lastCompleteSession: 1, descriptors: [q, { ...q, point: 0xa2 }] });
add(s.pmaCodec, { descriptors: [q] });
add(s.atipCodec, {
  indicativeTargetWritingPower: 5, ddcd: false, referenceSpeed: 2, uru: false, discType: 1, discSubType: 2, a1Valid: true, a2Valid: true, a3Valid: true,
  leadInStart: { minute: 97, second: 34, frame: 60 }, lastPossibleLeadOutStart: { minute: 79, second: 59, frame: 74 },
  a1: new Uint8Array(3), a2: new Uint8Array(3), a3: new Uint8Array(3), s4: new Uint8Array(3),
});
add(s.cdTextCodec, { packs: [{ packType: 0x80, trackNumber: 0, sequenceNumber: 0, blockCharacter: 0, text: new Uint8Array(12), crc: 0 }] });
add(s.formatCapacitiesCodec, { current: { numberOfBlocks: 1, descriptorType: 1, blockLength: 2048 }, formattable: [{ numberOfBlocks: 1, formatType: 0x26, typeDependentParameter: 0 }] });
add(s.formatUnitParametersCodec, { fov: true, dpry: false, dcrt: false, stpf: false, tryOut: false, immed: true, vs: false, descriptor: { numberOfBlocks: 1, formatType: 0x26, formatSubType: 0, typeDependentParameter: 0 } });
add(s.bufferCapacityBytesCodec, { lengthOfBuffer: 1, blankLengthOfBuffer: 1 });
add(s.bufferCapacityBlocksCodec, { availableLengthOfBuffer: 1 });
add(s.readCapacityCodec, { lastLogicalBlockAddress: 1, blockLength: 2048 });
add(s.performanceCodec, { write: true, except: false, descriptors: [{ startLba: 0, startPerformance: 1, endLba: 2, endPerformance: 3 }] });
add(s.performanceCodec, { write: false, except: true, descriptors: [{ lba: 0, time: 1 }] });
add(s.writeSpeedPerformanceCodec, { descriptors: [{ wrc: 0, rdd: false, exact: true, mrw: false, endLba: 1, readSpeed: 2, writeSpeed: 3 }] });
add(s.streamingPerformanceDescriptorCodec, s.streamingDescriptorForSpeed(0, 100, 1000, 1000));
add(s.dvdPhysicalFormatCodec, {
  bookType: 10, partVersion: 1, discSize: 0, maximumRate: 15, numberOfLayers: 1, oppositeTrackPath: false, layerType: 2, linearDensity: 0, trackDensity: 0,
  startingPhysicalSector: 0x30000, endPhysicalSector: 0x26053f, endPhysicalSectorInLayer0: 0, bca: false, mediaSpecific: new Uint8Array(40),
});
add(s.dvdCopyrightCodec, { copyrightProtectionSystemType: 1, regionManagementInformation: 0 });
add(s.writeProtectionStatusCodec, { mswi: false, cwp: true, pwp: false, swpp: true });
add(s.dvdManufacturingInformationCodec, { data: new Uint8Array(16) });
add(s.rawDiscStructureCodec, { data: new Uint8Array(3) });
add(s.dvdPreRecordedInformationCodec, s.dvdPreRecordedWithManufacturer("MCC 03RG20"));
add(s.dvdAdipInformationCodec, { discCategory: 10, version: 1, discSize: 0, maximumRate: 0, manufacturerId: "RICOHJPN", mediaTypeId: "R03", productRevision: 2, data: new Uint8Array(256) });
add(s.layerBoundaryInformationCodec, { initStatus: true, l0DataZoneCapacity: 5 });
add(s.shiftedMiddleAreaStartAddressCodec, { initStatus: false, shiftedMiddleAreaStartAddress: 5 });
add(s.jumpIntervalSizeCodec, { jumpIntervalSize: 5 });
add(s.manualLayerJumpAddressCodec, { manualLayerJumpAddress: 5 });
add(s.remappingAddressCodec, { remappingAddress: 5 });
add(s.discStructureListCodec, { entries: [{ formatCode: 0, sds: false, rds: true, structureLength: 2050 }] });
add(s.bdDiscInformationCodec, {
  units: [{
    diFormat: 1, unitsPerBlock: 1, layerInBlock: 0, legacy: 0, sequenceNumber: 0, continuation: false, bytesInUse: 98, discTypeId: "BDR", discSize: 0, discClass: 0,
    discVersion: 1, numberOfLayers: 1, layerType: 2, hybridAndChannel: 1, polarity: 0, bca: 1, maximumTransferRate: 0, lastUserDataPsn: 1, firstAun: 2, lastAun: 3,
    formatDependent: new Uint8Array(68), identification: { manufacturerId: "VERBAT", mediaTypeId: "IMe", timestamp: 0, productRevision: 1 },
  }],
});
add(s.opcParameterListCodec, { entries: [{ speed: 1, opcValue: new Uint8Array(6) }] });
add(s.cueSheetCodec, { entries: [...s.catalogNumberEntries("0123456789012"), { kind: "position", control: 4, adr: 1, tno: 1, index: 1, subChannelDataForm: 0, mainDataForm: 0x10, scms: false, time: msf }] });

/** Runs one buffer through a codec; returns what happened, failing the test on anything untyped. */
function probe(codec: AnyCodec, bytes: Uint8Array): void {
  let value: unknown;
  try {
    value = codec.decode(bytes);
  } catch (e) {
    if (e instanceof MalformedDataError) {
      expect(e.structure.length).toBeGreaterThan(0);
      expect(Number.isInteger(e.offset) && e.offset >= 0).toBe(true);
      return;
    }
    throw e;
  }
  let encoded: Uint8Array;
  try {
    encoded = codec.encode(value);
  } catch (e) {
    if (e instanceof InvalidArgumentError) return; // decoded garbage the encoder rightly refuses
    throw e;
  }
  const again = codec.encode(codec.decode(encoded));
  expect(toHex(again)).toBe(toHex(encoded));
}

const RUNS_PER_CODEC = 700;

describe("decoders under random and truncated input", () => {
  it("covers every structure codec exported", () => {
    const exported = Object.entries(s).filter(([name, v]) => name.endsWith("Codec") && typeof v === "object").map(([, v]) => (v as AnyCodec).structure);
    const covered = new Set(CODECS.map(([name]) => name));
    expect(exported.filter((name) => !covered.has(name))).toEqual([]);
  });

  for (const [name, codec, sample] of CODECS) {
    it(`${name}: random bytes, truncations and byte flips of a valid sample`, () => {
      expect(() => probe(codec, sample)).not.toThrow();
      for (let n = 0; n < sample.length; n++) probe(codec, sample.subarray(0, n));
      fc.assert(
        fc.property(
          fc.oneof(
            fc.uint8Array({ maxLength: 160 }),
            fc.tuple(fc.nat({ max: sample.length }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 })).map(([cut, flips]) => {
              const b = sample.slice(0, Math.max(cut, 1));
              for (const [at, v] of flips) b[at % b.length] = v;
              return b;
            }),
          ),
          (bytes) => probe(codec, bytes),
        ),
        { numRuns: RUNS_PER_CODEC, seed: 0x0d15cf09 },
      );
    });
  }
});
