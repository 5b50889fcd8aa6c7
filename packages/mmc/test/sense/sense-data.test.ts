import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";
import { fromHex, toHex } from "@discforge/bytes";
import {
  decodeSense,
  encodeDescriptorSense,
  encodeFixedSense,
  progressFromFraction,
  senseProgress,
  type SenseKeySpecificInput,
} from "../../src/sense/index.js";

/** Hex with spaces/newlines allowed, for readable golden vectors. */
const h = (s: string) => fromHex(s.replace(/\s+/g, ""));

describe("fixed format sense (SPC-4 4.5.3) golden vectors", () => {
  it("NOT READY, MEDIUM NOT PRESENT - TRAY OPEN", () => {
    const s = decodeSense(
      h(`70          -- VALID=0, response code 70h (current, fixed)
         00          -- obsolete
         02          -- FILEMARK/EOM/ILI=0, sense key 2 NOT READY
         00000000    -- INFORMATION (not valid)
         0a          -- additional sense length 10 -> 18 bytes
         00000000    -- COMMAND-SPECIFIC INFORMATION
         3a          -- ASC 3Ah MEDIUM NOT PRESENT
         02          -- ASCQ 02h TRAY OPEN
         00          -- FRU code none
         000000      -- SKSV=0`.replace(/--[^\n]*/g, "")),
    );
    expect(s).toMatchObject({
      format: "fixed",
      responseCode: 0x70,
      deferred: false,
      senseKey: 2,
      asc: 0x3a,
      ascq: 0x02,
      information: undefined,
      informationValid: false,
      commandSpecific: 0,
      fru: 0,
      senseKeySpecific: undefined,
      filemark: false,
      endOfMedium: false,
      incorrectLength: false,
      length: 18,
      truncated: false,
    });
    expect(s.descriptors).toEqual([]);
    expect(s.additionalBytes.length).toBe(0);
  });

  it("NOT READY, FORMAT IN PROGRESS with progress indication 25%", () => {
    // 70 | 00 | key 2 | info 0 | len 0A | CSI 0 | 04/04 | FRU 0 | SKSV=1, progress 4000h
    const s = decodeSense(h("70 00 02 00000000 0a 00000000 04 04 00 80 4000"));
    expect(s.senseKey).toBe(2);
    expect([s.asc, s.ascq]).toEqual([0x04, 0x04]);
    expect(s.senseKeySpecific).toEqual({ kind: "progress", progress: 0x4000, fraction: 0.25 });
    expect(senseProgress(s)).toBe(0.25);
  });

  it("NO SENSE during an immediate BLANK (REQUEST SENSE polling), progress 50%", () => {
    // 70 | 00 | key 0 | info 0 | len 0A | CSI 0 | 04/07 OPERATION IN PROGRESS | FRU 0 | SKSV=1, 8000h
    const s = decodeSense(h("70 00 00 00000000 0a 00000000 04 07 00 80 8000"));
    expect(s.senseKey).toBe(0);
    expect(s.senseKeySpecific).toEqual({ kind: "progress", progress: 0x8000, fraction: 0.5 });
  });

  it("ILLEGAL REQUEST, INVALID FIELD IN CDB, field pointer byte 2 of the CDB", () => {
    // 70 | 00 | key 5 | info 0 | len 0A | CSI 0 | 24/00 | FRU 0 | SKSV=1 C/D=1 BPV=0, field 0002h
    const s = decodeSense(h("70 00 05 00000000 0a 00000000 24 00 00 c0 0002"));
    expect(s.senseKeySpecific).toEqual({ kind: "field-pointer", inCdb: true, bitPointer: undefined, fieldPointer: 2 });
  });

  it("ILLEGAL REQUEST, INVALID FIELD IN PARAMETER LIST, bit 7 of parameter byte 8", () => {
    // 70 | 00 | key 5 | info 0 | len 0A | CSI 0 | 26/00 | FRU 0 | SKSV=1 C/D=0 BPV=1 bit 7, field 0008h
    const s = decodeSense(h("70 00 05 00000000 0a 00000000 26 00 00 8f 0008"));
    expect(s.senseKeySpecific).toEqual({ kind: "field-pointer", inCdb: false, bitPointer: 7, fieldPointer: 8 });
  });

  it("MEDIUM ERROR, L-EC UNCORRECTABLE at LBA 12345h, 3 retries", () => {
    // F0: VALID=1, 70h | 00 | key 3 | INFORMATION 00012345h | len 0A | CSI 0 | 11/05 | FRU 0 | SKSV=1, retries 3
    const s = decodeSense(h("f0 00 03 00012345 0a 00000000 11 05 00 80 0003"));
    expect(s.informationValid).toBe(true);
    expect(s.information).toBe(0x12345);
    expect(toHex(s.informationBytes!)).toBe("00012345");
    expect(s.senseKeySpecific).toEqual({ kind: "actual-retry-count", count: 3 });
  });

  it("deferred MEDIUM ERROR, WRITE ERROR - LOSS OF STREAMING (after SYNCHRONIZE CACHE)", () => {
    // F1: VALID=1, 71h deferred | 00 | key 3 | INFORMATION 4567h | len 0A | CSI 0 | 0C/09 | FRU 0 | no SKS
    const s = decodeSense(h("f1 00 03 00004567 0a 00000000 0c 09 00 000000"));
    expect(s.deferred).toBe(true);
    expect(s.responseCode).toBe(0x71);
    expect(s.information).toBe(0x4567);
    expect([s.senseKey, s.asc, s.ascq]).toEqual([3, 0x0c, 0x09]);
  });

  it("UNIT ATTENTION with ILI/EOM/FILEMARK bits, FRU and 6 additional bytes", () => {
    // 70 | 00 | E6: FILEMARK EOM ILI, key 6 | info 0 | len 10h -> 24 bytes | CSI DEADBEEF | 28/00 | FRU 7
    // | SKSV=1 overflow=1 | additional bytes 010203040506
    const s = decodeSense(h("70 00 e6 00000000 10 deadbeef 28 00 07 810000 010203040506"));
    expect(s).toMatchObject({ filemark: true, endOfMedium: true, incorrectLength: true, senseKey: 6, commandSpecific: 0xdeadbeef, fru: 7, length: 24, truncated: false });
    expect(s.senseKeySpecific).toEqual({ kind: "unit-attention-overflow", overflow: true });
    expect(toHex(s.additionalBytes)).toBe("010203040506");
  });

  it("ignores bytes past the declared length (transport buffers are often 32 or 96 bytes)", () => {
    const s = decodeSense(h("70 00 02 00000000 0a 00000000 3a 00 00 000000 ffffffffffffffffffffffffff"));
    expect(s.length).toBe(18);
    expect(s.additionalBytes.length).toBe(0);
    expect(s.truncated).toBe(false);
  });

  it("short fixed sense (14 bytes, drive cut it at ASCQ) is a partial value", () => {
    // 70 | 00 | key 2 | info 0 | len 0A (claims 18) | CSI 0 | 3A/00 -- ends here
    const s = decodeSense(h("70 00 02 00000000 0a 00000000 3a 00"));
    expect(s).toMatchObject({ senseKey: 2, asc: 0x3a, ascq: 0, fru: undefined, senseKeySpecific: undefined, truncated: true, length: 14 });
  });

  it("declared length shorter than 18 keeps the fields it covers", () => {
    // len 07 -> 15 bytes: through FRU, no SKS
    const s = decodeSense(h("70 00 05 00000000 07 00000000 20 00 05 c00000"));
    expect(s).toMatchObject({ asc: 0x20, ascq: 0, fru: 5, senseKeySpecific: undefined, length: 15, truncated: true });
  });

  it("rejects sense too short for ASC/ASCQ, empty, unknown or vendor response codes", () => {
    for (const bad of ["", "70", "700002", "70 00 02 00000000 0a 00000000 3a", "70 00 02 00000000 04 00000000 3a 00 00 00", "00 00 02 00000000 0a 00000000 3a 00 00 000000", "7f 00 02 00000000 0a 00000000 3a 00 00 000000", "72 05 24"]) {
      expect(() => decodeSense(h(bad)), bad).toThrow(MalformedDataError);
    }
  });
});

describe("descriptor format sense (SPC-4 4.5.2) golden vectors", () => {
  it("ILLEGAL REQUEST 24/00 with a sense-key specific descriptor", () => {
    const s = decodeSense(
      h(`72        -- response code 72h (current, descriptor)
         05        -- sense key 5 ILLEGAL REQUEST
         24 00     -- ASC/ASCQ INVALID FIELD IN CDB
         000000    -- reserved
         08        -- additional sense length 8
         02 06     -- descriptor 02h sense key specific, length 6
         0000      -- reserved
         cb 000a   -- SKSV=1 C/D=1 BPV=1 bit 3, field pointer 000Ah
         00        -- reserved`.replace(/--[^\n]*/g, "")),
    );
    expect(s).toMatchObject({ format: "descriptor", responseCode: 0x72, deferred: false, senseKey: 5, asc: 0x24, ascq: 0, length: 16, truncated: false });
    expect(s.senseKeySpecific).toEqual({ kind: "field-pointer", inCdb: true, bitPointer: 3, fieldPointer: 10 });
    expect(s.descriptors.map((d) => d.kind)).toEqual(["sense-key-specific"]);
  });

  it("deferred MEDIUM ERROR with information, command-specific, FRU, stream and progress descriptors", () => {
    const s = decodeSense(
      h(`73 03 0c 09 000000 28   -- 73h deferred, key 3, 0C/09, additional length 40
         00 0a 80 00 0000000000abcdef   -- information: VALID, 8-byte value ABCDEFh
         01 0a 0000 0000000000000010     -- command-specific information 10h
         03 02 00 2a                     -- FRU 2Ah
         04 02 00 a0                     -- stream: FILEMARK, ILI
         0a 06 02 04 04 00 c000          -- another progress: NOT READY 04/04, 75%`.replace(/--[^\n]*/g, "")),
    );
    expect(s).toMatchObject({
      deferred: true,
      senseKey: 3,
      asc: 0x0c,
      ascq: 0x09,
      information: 0xabcdef,
      informationValid: true,
      commandSpecific: 0x10,
      fru: 0x2a,
      filemark: true,
      endOfMedium: false,
      incorrectLength: true,
      truncated: false,
      length: 48,
    });
    expect(s.descriptors.map((d) => d.type)).toEqual([0x00, 0x01, 0x03, 0x04, 0x0a]);
    expect(senseProgress(s)).toBe(0.75);
  });

  it("keeps unknown and vendor descriptors raw and flags a descriptor cut off by the buffer end", () => {
    const s = decodeSense(
      h(`72 04 44 00 000000 10
         80 03 112233        -- vendor specific descriptor, kept raw
         00 08 8000 00000000 0000  -- information with the wrong length (8): kept raw as "other"
         05 02`.replace(/--[^\n]*/g, "")), // block commands descriptor missing its 2 data bytes
    );
    expect(s.truncated).toBe(true);
    expect(s.descriptors).toHaveLength(2);
    expect(s.descriptors[0]).toMatchObject({ type: 0x80, kind: "other" });
    expect(toHex(s.descriptors[0]!.raw)).toBe("8003112233");
    expect(s.descriptors[1]).toMatchObject({ type: 0x00, kind: "other" });
    expect(s.information).toBeUndefined();
  });

  it("an information descriptor above 2^53-1 keeps its raw bytes", () => {
    const s = decodeSense(h("72 03 11 00 000000 0c 00 0a 80 00 ffffffffffffffff"));
    expect(s.informationValid).toBe(true);
    expect(s.information).toBeUndefined();
    expect(toHex(s.informationBytes!)).toBe("ffffffffffffffff");
  });

  it("a 4-byte descriptor sense (cut after ASCQ) is a partial value", () => {
    // 72 | key 6 | 29/00 -- bytes 4-7 (and the additional length) missing
    const s = decodeSense(h("72 06 29 00"));
    expect(s).toMatchObject({ senseKey: 6, asc: 0x29, ascq: 0, descriptors: [], truncated: true, length: 4 });
    // The same with its 8-byte header and no descriptors is complete.
    expect(decodeSense(h("72 06 29 00 000000 00"))).toMatchObject({ truncated: false, length: 8 });
  });
});

describe("encoders", () => {
  it("encodeFixedSense golden bytes", () => {
    expect(toHex(encodeFixedSense({ key: 2, asc: 0x3a, ascq: 0x02 }))).toBe("700002000000000a000000003a0200000000");
    expect(toHex(encodeFixedSense({ key: 2, asc: 0x04, ascq: 0x04, sks: { progress: 0x4000 } }))).toBe("700002000000000a0000000004040080" + "4000");
    expect(toHex(encodeFixedSense({ key: 5, asc: 0x24, ascq: 0, sks: { fieldPointer: 2, inCdb: true } }))).toBe("700005000000000a00000000240000c00002");
    expect(toHex(encodeFixedSense({ key: 3, asc: 0x0c, ascq: 0x09, deferred: true, information: 0x4567 }))).toBe("f10003000045670a000000000c0900000000");
  });

  it("encodeDescriptorSense golden bytes", () => {
    expect(toHex(encodeDescriptorSense({ key: 5, asc: 0x24, ascq: 0, sks: { fieldPointer: 10, inCdb: true, bitPointer: 3 } }))).toBe("72052400000000080206" + "0000cb000a00");
    expect(toHex(encodeDescriptorSense({ key: 6, asc: 0x28, ascq: 0 }))).toBe("7206280000000000");
  });

  it("validates its input", () => {
    expect(() => encodeFixedSense({ key: 16, asc: 0, ascq: 0 })).toThrow(InvalidArgumentError);
    expect(() => encodeFixedSense({ key: 2, asc: 256, ascq: 0 })).toThrow(InvalidArgumentError);
    expect(() => encodeFixedSense({ key: 2, asc: 4, ascq: 4, sks: { progress: 65536 } })).toThrow(InvalidArgumentError);
    expect(() => encodeFixedSense({ key: 2, asc: 4, ascq: 4, information: 2 ** 32 })).toThrow(InvalidArgumentError);
    expect(() => encodeDescriptorSense({ key: 2, asc: 4, ascq: 4, extraDescriptors: [Uint8Array.of(0x80, 5, 1)] })).toThrow(InvalidArgumentError);
    expect(() => progressFromFraction(1.5)).toThrow(InvalidArgumentError);
    expect(progressFromFraction(0)).toBe(0);
    expect(progressFromFraction(0.5)).toBe(0x8000);
    expect(progressFromFraction(1)).toBe(0xffff);
  });

  const sksFor = (key: number): fc.Arbitrary<SenseKeySpecificInput | undefined> => {
    switch (key) {
      case 5:
        return fc.option(fc.record({ fieldPointer: fc.integer({ min: 0, max: 0xffff }), inCdb: fc.boolean(), bitPointer: fc.integer({ min: 0, max: 7 }) }), { nil: undefined });
      case 0:
      case 2:
        return fc.option(fc.record({ progress: fc.integer({ min: 0, max: 0xffff }) }), { nil: undefined });
      case 1:
      case 3:
      case 4:
        return fc.option(fc.record({ actualRetryCount: fc.integer({ min: 0, max: 0xffff }) }), { nil: undefined });
      case 0xa:
        return fc.option(fc.record({ segmentPointer: fc.integer({ min: 0, max: 0xffff }), inSegmentDescriptor: fc.boolean(), bitPointer: fc.integer({ min: 0, max: 7 }) }), { nil: undefined });
      case 6:
        return fc.option(fc.record({ overflow: fc.boolean() }), { nil: undefined });
      default:
        return fc.constant(undefined);
    }
  };
  const input = (maxInfo: number) =>
    fc.integer({ min: 0, max: 15 }).chain((key) =>
      fc.record({
        key: fc.constant(key),
        asc: fc.integer({ min: 0, max: 255 }),
        ascq: fc.integer({ min: 0, max: 255 }),
        deferred: fc.boolean(),
        information: fc.option(fc.integer({ min: 0, max: maxInfo }), { nil: undefined }),
        commandSpecific: fc.option(fc.integer({ min: 0, max: maxInfo }), { nil: undefined }),
        fru: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
        sks: sksFor(key),
        filemark: fc.boolean(),
        endOfMedium: fc.boolean(),
        incorrectLength: fc.boolean(),
      }),
    );

  const expectSksRoundTrip = (sks: SenseKeySpecificInput | undefined, decoded: unknown) => {
    if (sks === undefined) return expect(decoded).toBeUndefined();
    if ("fieldPointer" in sks) return expect(decoded).toEqual({ kind: "field-pointer", inCdb: sks.inCdb, bitPointer: sks.bitPointer, fieldPointer: sks.fieldPointer });
    if ("progress" in sks) return expect(decoded).toEqual({ kind: "progress", progress: sks.progress, fraction: sks.progress / 65536 });
    if ("actualRetryCount" in sks) return expect(decoded).toEqual({ kind: "actual-retry-count", count: sks.actualRetryCount });
    if ("segmentPointer" in sks) return expect(decoded).toEqual({ kind: "segment-pointer", inSegmentDescriptor: sks.inSegmentDescriptor, bitPointer: sks.bitPointer, fieldPointer: sks.segmentPointer });
    return expect(decoded).toEqual({ kind: "unit-attention-overflow", overflow: sks.overflow });
  };

  it("fixed: encode -> decode round-trips every field", () => {
    fc.assert(
      fc.property(input(0xffffffff), (i) => {
        const s = decodeSense(encodeFixedSense(i));
        expect(s).toMatchObject({ format: "fixed", deferred: i.deferred, senseKey: i.key, asc: i.asc, ascq: i.ascq, information: i.information, informationValid: i.information !== undefined, commandSpecific: i.commandSpecific ?? 0, fru: i.fru ?? 0, filemark: i.filemark, endOfMedium: i.endOfMedium, incorrectLength: i.incorrectLength, truncated: false, length: 18 });
        expectSksRoundTrip(i.sks, s.senseKeySpecific);
      }),
      { numRuns: 2000 },
    );
  });

  it("descriptor: encode -> decode round-trips every field", () => {
    fc.assert(
      fc.property(input(Number.MAX_SAFE_INTEGER), fc.array(fc.record({ senseKey: fc.integer({ min: 0, max: 15 }), asc: fc.integer({ min: 0, max: 255 }), ascq: fc.integer({ min: 0, max: 255 }), progress: fc.integer({ min: 0, max: 0xffff }) }), { maxLength: 3 }), (i, otherProgress) => {
        const bytes = encodeDescriptorSense({ ...i, otherProgress });
        const s = decodeSense(bytes);
        const streamBits = i.filemark || i.endOfMedium || i.incorrectLength;
        expect(s).toMatchObject({ format: "descriptor", deferred: i.deferred, senseKey: i.key, asc: i.asc, ascq: i.ascq, information: i.information, commandSpecific: i.commandSpecific, fru: i.fru, filemark: streamBits && i.filemark, endOfMedium: streamBits && i.endOfMedium, incorrectLength: streamBits && i.incorrectLength, truncated: false, length: bytes.length });
        expectSksRoundTrip(i.sks, s.senseKeySpecific);
        expect(s.descriptors.filter((d) => d.kind === "another-progress").map((d) => (d.kind === "another-progress" ? d.value : undefined))).toEqual(otherProgress.map((p) => ({ ...p, fraction: p.progress / 65536 })));
      }),
      { numRuns: 2000 },
    );
  });
});
