/**
 * Encoders under random valid values: every value in a field's range encodes, and decoding the
 * bytes gives the value back. The emulated drive builds its responses (and the burn engine its
 * parameter lists) with these encoders, so a field that does not survive is a real bug.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cueSheetCodec,
  discInformationCodec,
  formatUnitParametersCodec,
  formattedTocCodec,
  trackInformationCodec,
  writeParametersPageCodec,
  writeSpeedPerformanceCodec,
  type StructureCodec,
} from "../../src/structures/index.js";

const u = (bitsWide: number) => fc.integer({ min: 0, max: 2 ** bitsWide - 1 });
const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const digits = (n: number) => fc.array(fc.constantFrom(..."0123456789"), { minLength: n, maxLength: n }).map((a) => a.join(""));

function roundTrips<T>(codec: StructureCodec<T>, arbitrary: fc.Arbitrary<T>): void {
  fc.assert(
    fc.property(arbitrary, (value) => {
      expect(codec.decode(codec.encode(value))).toEqual(value);
    }),
    { numRuns: 400, seed: 20261122 },
  );
}

describe("encode → decode round trips over valid values", () => {
  it("disc information", () => {
    roundTrips(
      discInformationCodec,
      fc.record({
        erasable: fc.boolean(),
        stateOfLastSession: u(2),
        discStatus: u(2),
        firstTrackNumber: u(8),
        numberOfSessions: u(16),
        firstTrackInLastSession: u(16),
        lastTrackInLastSession: u(16),
        didV: fc.boolean(),
        dbcV: fc.boolean(),
        uru: fc.boolean(),
        dacV: fc.boolean(),
        legacy: fc.boolean(),
        bgFormatStatus: u(2),
        discType: u(8),
        discIdentification: u(32),
        lastSessionLeadInStartAddress: u(32),
        lastPossibleLeadOutStartAddress: u(32),
        discBarCode: bytes(8),
        discApplicationCode: u(8),
        opcTable: fc.array(fc.record({ speed: u(16), opcValue: bytes(6) }), { maxLength: 5 }),
      }),
    );
  });

  it("track information", () => {
    roundTrips(
      trackInformationCodec,
      fc.record({
        trackNumber: u(16),
        sessionNumber: u(16),
        ljrs: u(2),
        damage: fc.boolean(),
        copy: fc.boolean(),
        trackMode: u(4),
        rt: fc.boolean(),
        blank: fc.boolean(),
        packetIncremental: fc.boolean(),
        fp: fc.boolean(),
        dataMode: u(4),
        lraV: fc.boolean(),
        nwaV: fc.boolean(),
        trackStartAddress: u(32),
        nextWritableAddress: u(32),
        freeBlocks: u(32),
        fixedPacketSize: u(32),
        trackSize: u(32),
        lastRecordedAddress: u(32),
        readCompatibilityLba: u(32),
        nextLayerJumpAddress: u(32),
        lastLayerJumpAddress: u(32),
      }),
    );
  });

  it("write parameters page", () => {
    roundTrips(
      writeParametersPageCodec,
      fc.record({
        ps: fc.boolean(),
        bufe: fc.boolean(),
        lsV: fc.boolean(),
        testWrite: fc.boolean(),
        writeType: u(4),
        multiSession: u(2),
        fp: fc.boolean(),
        copy: fc.boolean(),
        trackMode: u(4),
        dataBlockType: u(4),
        linkSize: u(8),
        hostApplicationCode: u(6),
        sessionFormat: u(8),
        packetSize: u(32),
        audioPauseLength: u(16),
        mediaCatalogNumber: fc.option(digits(13), { nil: undefined }),
        mcnAframe: u(8),
        isrc: fc.option(fc.tuple(fc.constantFrom("US", "JP", "GB"), fc.constantFrom("RC1", "ABC", "X9Z"), digits(7)).map((p) => p.join("")), { nil: undefined }),
        isrcAframe: u(8),
        subHeader: bytes(4),
        vendorSpecific: fc.uint8Array({ maxLength: 8 }),
      }),
    );
  });

  it("formatted TOC (LBA), write speed descriptors, FORMAT UNIT list, cue sheet", () => {
    roundTrips(
      formattedTocCodec,
      fc.record({
        firstTrackNumber: u(8),
        lastTrackNumber: u(8),
        descriptors: fc.array(fc.record({ adr: u(4), control: u(4), trackNumber: u(8), address: fc.integer({ min: -0x80000000, max: 0x7fffffff }) }), { maxLength: 10 }),
      }),
    );
    roundTrips(
      writeSpeedPerformanceCodec,
      fc.record({
        descriptors: fc.array(
          fc.record({ wrc: u(2), rdd: fc.boolean(), exact: fc.boolean(), mrw: fc.boolean(), endLba: u(32), readSpeed: u(32), writeSpeed: u(32) }),
          { maxLength: 6 },
        ),
      }),
    );
    roundTrips(
      formatUnitParametersCodec,
      fc.record({
        fov: fc.boolean(),
        dpry: fc.boolean(),
        dcrt: fc.boolean(),
        stpf: fc.boolean(),
        tryOut: fc.boolean(),
        immed: fc.boolean(),
        vs: fc.boolean(),
        descriptor: fc.record({ numberOfBlocks: u(32), formatType: u(6), formatSubType: u(2), typeDependentParameter: u(24) }),
      }),
    );
    roundTrips(
      cueSheetCodec,
      fc.record({
        entries: fc.array(
          fc.oneof(
            fc.record({
              kind: fc.constant("position" as const),
              control: u(4),
              adr: fc.constantFrom(0, 1, 4, 5),
              tno: u(8),
              index: u(8),
              subChannelDataForm: u(2),
              mainDataForm: u(6),
              scms: fc.boolean(),
              time: fc.record({ minute: fc.integer({ min: 0, max: 99 }), second: fc.integer({ min: 0, max: 59 }), frame: fc.integer({ min: 0, max: 74 }) }),
            }),
            fc.record({ kind: fc.constant("text" as const), control: u(4), adr: fc.constantFrom(2, 3), payload: bytes(7) }),
          ),
          { maxLength: 8 },
        ),
      }),
    );
  });
});
