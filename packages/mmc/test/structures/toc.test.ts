import { describe, expect, it } from "vitest";
import {
  atipCodec,
  cdTextCodec,
  cdTextPackCrc,
  formattedTocCodec,
  formattedTocMsfCodec,
  interpretQPoint,
  multiSessionInfoCodec,
  multiSessionInfoMsfCodec,
  pmaCodec,
  rawTocCodec,
  type QDescriptor,
} from "../../src/structures/index.js";
import { ascii, checkGolden, concat, expectMalformed, hex } from "./golden.js";

describe("READ TOC format 0 (MMC-6 6.26.3.2)", () => {
  const tracks = [
    { adr: 1, control: 4, trackNumber: 1 },
    { adr: 1, control: 0, trackNumber: 2 },
    { adr: 1, control: 0, trackNumber: 0xaa },
  ];

  it("LBA form: data track, audio track, lead-out", () => {
    checkGolden(
      formattedTocCodec,
      `
      00 1a        # TOC data length 26
      01 02        # first track 1, last track 2
      00 14 01 00 00 00 00 00  # ADR 1 / CONTROL 4 (data), track 1, LBA 0
      00 10 02 00 00 00 2e e0  # ADR 1 / CONTROL 0 (audio), track 2, LBA 12000
      00 10 aa 00 00 00 5d c0  # lead-out, LBA 24000
      `,
      {
        firstTrackNumber: 1,
        lastTrackNumber: 2,
        descriptors: [
          { ...tracks[0]!, address: 0 },
          { ...tracks[1]!, address: 12000 },
          { ...tracks[2]!, address: 24000 },
        ],
      },
    );
  });

  it("MSF form of the same TOC", () => {
    checkGolden(
      formattedTocMsfCodec,
      `
      00 1a 01 02  # length 26, tracks 1..2
      00 14 01 00 00 00 02 00  # track 1 at 00:02:00
      00 10 02 00 00 02 2a 00  # track 2 at 02:42:00
      00 10 aa 00 00 05 16 00  # lead-out at 05:22:00
      `,
      {
        firstTrackNumber: 1,
        lastTrackNumber: 2,
        descriptors: [
          { ...tracks[0]!, address: { minute: 0, second: 2, frame: 0 } },
          { ...tracks[1]!, address: { minute: 2, second: 42, frame: 0 } },
          { ...tracks[2]!, address: { minute: 5, second: 22, frame: 0 } },
        ],
      },
    );
  });

  it("negative LBA (pre-gap) round trips as signed", () => {
    const value = { firstTrackNumber: 1, lastTrackNumber: 1, descriptors: [{ adr: 1, control: 0, trackNumber: 1, address: -150 }] };
    expect(formattedTocCodec.decode(formattedTocCodec.encode(value))).toEqual(value);
  });

  it("cut short: complete descriptors only, truncation stated", () => {
    const full = hex("00 1a 01 02 00 14 01 00 00 00 00 00 00 10 02 00 00 00 2e e0 00 10 aa 00 00 00 5d c0");
    const cut = formattedTocCodec.decode(full.subarray(0, 15));
    expect(cut.descriptors).toHaveLength(1);
    expect(cut.truncated).toEqual({ declaredLength: 28, availableLength: 15 });
    expectMalformed(() => formattedTocCodec.decode(full.subarray(0, 3)), "READ TOC format 0 (formatted TOC, LBA)");
  });
});

describe("READ TOC format 1 (MMC-6 6.26.3.3)", () => {
  it("LBA and MSF", () => {
    const common = { firstCompleteSession: 1, lastCompleteSession: 2, adr: 1, control: 4, firstTrackInLastSession: 2 };
    checkGolden(
      multiSessionInfoCodec,
      `
      00 0a        # data length 10
      01 02        # first/last complete session
      00 14        # reserved, ADR 1 / CONTROL 4
      02 00        # first track in last complete session 2, reserved
      00 00 ea 60  # its start, LBA 60000
      `,
      { ...common, startAddress: 60000 },
    );
    checkGolden(multiSessionInfoMsfCodec, "00 0a 01 02 00 14 02 00  00 0d 22 00  # start at 13:34:00", {
      ...common,
      startAddress: { minute: 13, second: 34, frame: 0 },
    });
  });
});

const q = (d: Partial<QDescriptor>): QDescriptor => ({
  sessionNumber: 1,
  adr: 1,
  control: 4,
  tno: 0,
  point: 0,
  min: 0,
  sec: 0,
  frame: 0,
  zero: 0,
  pmin: 0,
  psec: 0,
  pframe: 0,
  ...d,
});

describe("READ TOC format 2 raw TOC (MMC-6 6.26.3.4) and format 3 PMA", () => {
  const descriptors = [
    q({ point: 0xa0, pmin: 1, psec: 0x20 }),
    q({ point: 0xa1, pmin: 1 }),
    q({ point: 0xa2, pmin: 5, psec: 22 }),
    q({ point: 1, psec: 2 }),
    q({ adr: 5, point: 0xb0, min: 7, sec: 22, zero: 2, pmin: 79, psec: 59, pframe: 74 }),
    q({ adr: 5, point: 0xc0, min: 0xa0, pmin: 97, psec: 34, pframe: 60 }),
  ];

  it("session 1 of a multi-session CD-R, with A0/A1/A2/B0/C0", () => {
    checkGolden(
      rawTocCodec,
      `
      00 44        # data length 68 (6 descriptors)
      01 01        # first/last complete session
      # sess ADR/CTL TNO POINT MIN SEC FRAME ZERO PMIN PSEC PFRAME
      01 14 00 a0 00 00 00 00 01 20 00  # A0: first track 1, disc type 20h
      01 14 00 a1 00 00 00 00 01 00 00  # A1: last track 1
      01 14 00 a2 00 00 00 00 05 16 00  # A2: lead-out at 05:22:00
      01 14 00 01 00 00 00 00 00 02 00  # track 1 at 00:02:00
      01 54 00 b0 07 16 00 02 4f 3b 4a  # B0 (ADR 5): next program area 07:22:00, 2 pointers, max lead-out 79:59:74
      01 54 00 c0 a0 00 00 00 61 22 3c  # C0 (ADR 5): optimum recording power A0h, first lead-in 97:34:60
      `,
      { firstCompleteSession: 1, lastCompleteSession: 1, descriptors },
    );
  });

  it("recognises the points", () => {
    expect(descriptors.map((d) => interpretQPoint(d))).toEqual([
      { kind: "firstTrack", track: 1, discType: 0x20 },
      { kind: "lastTrack", track: 1 },
      { kind: "leadOut", start: { minute: 5, second: 22, frame: 0 } },
      { kind: "track", track: 1, start: { minute: 0, second: 2, frame: 0 } },
      { kind: "nextProgramArea", start: { minute: 7, second: 22, frame: 0 }, lastPossibleLeadOut: { minute: 79, second: 59, frame: 74 }, pointers: 2 },
      { kind: "firstLeadIn", optimumRecordingPower: 0xa0, start: { minute: 97, second: 34, frame: 60 } },
    ]);
    expect(interpretQPoint(q({ adr: 5, point: 0xb1 }))).toEqual({ kind: "other", point: 0xb1 });
  });

  it("PMA", () => {
    checkGolden(
      pmaCodec,
      `
      00 0d 00 00  # data length 13, reserved
      00 14 00 01 00 00 00 00 00 02 00  # track 1 start 00:02:00
      `,
      { descriptors: [q({ sessionNumber: 0, point: 1, psec: 2 })] },
    );
  });
});

describe("READ TOC format 4 ATIP (MMC-6 6.26.3.6)", () => {
  it("CD-R with A1 valid", () => {
    checkGolden(
      atipCodec,
      `
      00 1a 00 00  # data length 26, reserved
      d2           # 1, indicative target writing power 5, DDCD 0, reference speed 2
      00           # 0, URU 0
      84           # 1, disc type 0 (CD-R), sub-type 0, A1 valid
      00           # reserved
      61 22 3c 00  # start of lead-in 97:34:60
      4f 3b 4a 00  # last possible lead-out start 79:59:74
      12 34 56 00  # A1 values
      00 00 00 00  # A2 values
      00 00 00 00  # A3 values
      `,
      {
        indicativeTargetWritingPower: 5,
        ddcd: false,
        referenceSpeed: 2,
        uru: false,
        discType: 0,
        discSubType: 0,
        a1Valid: true,
        a2Valid: false,
        a3Valid: false,
        leadInStart: { minute: 97, second: 34, frame: 60 },
        lastPossibleLeadOutStart: { minute: 79, second: 59, frame: 74 },
        a1: hex("12 34 56"),
        a2: hex("00 00 00"),
        a3: hex("00 00 00"),
      },
    );
  });

  it("short ATIP without A values; too short is malformed", () => {
    const atip = atipCodec.decode(hex("00 0e 00 00 d2 40 c0 00 61 22 3c 00 4f 3b 4a 00"));
    expect(atip.uru).toBe(true);
    expect(atip.discType).toBe(1);
    expect(atip.a1).toBeUndefined();
    expectMalformed(() => atipCodec.decode(hex("00 0e 00 00 d2 40 c0 00 61 22 3c 00")), "READ TOC format 4 (ATIP)");
  });
});

/** Bitwise CRC-16/CCITT, an independent check on the table-driven one the codec uses. */
function bitwiseCrc(bytes: Uint8Array): number {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

describe("READ TOC format 5 CD-TEXT (MMC-6 6.26.3.7)", () => {
  it("title packs with their CRC", () => {
    const text = ascii("Discforge\0Tr");
    const body = concat(hex("80 00 00 00  # title, track 0, sequence 0, block 0 / char 0"), text);
    const crc = ~bitwiseCrc(body) & 0xffff;
    const pack = { packType: 0x80, trackNumber: 0, sequenceNumber: 0, blockCharacter: 0, text, crc };
    expect(cdTextPackCrc(pack)).toBe(crc);
    checkGolden(
      cdTextCodec,
      concat(hex("00 14 00 00  # data length 20, reserved"), body, Uint8Array.of(crc >>> 8, crc & 0xff)),
      { packs: [pack] },
    );
  });
});
