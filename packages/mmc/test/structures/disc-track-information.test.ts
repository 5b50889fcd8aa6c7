import { describe, expect, it } from "vitest";
import {
  DISC_STATUS,
  discInfoAddressToMsf,
  discInformationCodec,
  msfToDiscInfoAddress,
  powResourcesCodec,
  SESSION_STATE,
  trackInformationCodec,
  trackResourcesCodec,
  type DiscInformation,
  type TrackInformation,
} from "../../src/structures/index.js";
import { checkGolden, expectMalformed, hex } from "./golden.js";

const blankDiscInfo: DiscInformation = {
  erasable: false,
  stateOfLastSession: SESSION_STATE.empty,
  discStatus: DISC_STATUS.empty,
  firstTrackNumber: 1,
  numberOfSessions: 1,
  firstTrackInLastSession: 1,
  lastTrackInLastSession: 1,
  didV: false,
  dbcV: false,
  uru: false,
  dacV: false,
  legacy: false,
  bgFormatStatus: 0,
  discType: 0,
  discIdentification: 0,
  lastSessionLeadInStartAddress: 0,
  lastPossibleLeadOutStartAddress: 2295104,
  discBarCode: new Uint8Array(8),
  discApplicationCode: 0,
  opcTable: [],
};

describe("READ DISC INFORMATION (MMC-6 6.22.3)", () => {
  it("blank DVD+R", () => {
    checkGolden(
      discInformationCodec,
      `
      00 20        # disc information length 32
      00           # data type 000b, not erasable, last session empty, disc empty
      01           # first track 1
      01 01 01     # sessions, first/last track in last session (LSB)
      00           # DID_V 0, DBC_V 0, URU 0, DAC_V 0, BG format 0
      00           # disc type
      00 00 00     # MSBs
      00 00 00 00  # disc identification
      00 00 00 00  # last session lead-in start
      00 23 05 40  # last possible lead-out start LBA 2295104
      00 00 00 00 00 00 00 00  # disc bar code
      00           # disc application code
      00           # no OPC tables
      `,
      blankDiscInfo,
    );
  });

  it("appendable CD-R, two closed sessions and an empty third, one OPC entry", () => {
    const value: DiscInformation = {
      ...blankDiscInfo,
      stateOfLastSession: SESSION_STATE.empty,
      discStatus: DISC_STATUS.incomplete,
      numberOfSessions: 3,
      firstTrackInLastSession: 3,
      lastTrackInLastSession: 3,
      uru: true,
      discType: 0x20,
      lastSessionLeadInStartAddress: msfToDiscInfoAddress({ minute: 26, second: 12, frame: 0 }),
      lastPossibleLeadOutStartAddress: msfToDiscInfoAddress({ minute: 79, second: 59, frame: 74 }),
      opcTable: [{ speed: 7056, opcValue: hex("01 02 03 04 05 06") }],
    };
    checkGolden(
      discInformationCodec,
      `
      00 28        # length 40
      01           # last session empty, disc incomplete (appendable)
      01           # first track 1
      03 03 03     # 3 sessions (third empty), its first/last track 3
      20           # URU
      20           # disc type 20h (CD-ROM XA)
      00 00 00     # MSBs
      00 00 00 00  # disc identification
      00 1a 0c 00  # next session lead-in at 26:12:00 (MSF)
      00 4f 3b 4a  # last possible lead-out 79:59:74
      00 00 00 00 00 00 00 00  # bar code
      00           # disc application code
      01           # 1 OPC table entry
      1b 90 01 02 03 04 05 06  # 7056 kB/s, OPC values
      `,
      value,
    );
    expect(discInfoAddressToMsf(value.lastSessionLeadInStartAddress)).toEqual({ minute: 26, second: 12, frame: 0 });
  });

  it("complete DVD-ROM", () => {
    checkGolden(
      discInformationCodec,
      `
      00 20        # length 32
      0e           # last session complete, disc complete
      01 01 01 01  # first track, sessions, first/last in last session
      00 00        # flags, disc type
      00 00 00     # MSBs
      00 00 00 00  # disc identification
      ff ff ff ff  # lead-in start: none
      ff ff ff ff  # lead-out start: none
      00 00 00 00 00 00 00 00  # bar code
      00 00        # application code, OPC tables
      `,
      {
        ...blankDiscInfo,
        stateOfLastSession: SESSION_STATE.complete,
        discStatus: DISC_STATUS.complete,
        lastSessionLeadInStartAddress: 0xffffffff,
        lastPossibleLeadOutStartAddress: 0xffffffff,
      },
    );
  });

  it("16-bit session and track numbers combine MSB and LSB", () => {
    const bytes = discInformationCodec.encode({ ...blankDiscInfo, numberOfSessions: 0x0102, lastTrackInLastSession: 0x0304 });
    expect([bytes[4], bytes[9], bytes[6], bytes[11]]).toEqual([0x02, 0x01, 0x04, 0x03]);
  });

  it("cut short: OPC entries present, truncation stated; below the fixed part is malformed", () => {
    const full = discInformationCodec.encode({ ...blankDiscInfo, opcTable: [{ speed: 1, opcValue: new Uint8Array(6) }, { speed: 2, opcValue: new Uint8Array(6) }] });
    const cut = discInformationCodec.decode(full.subarray(0, 44));
    expect(cut.opcTable).toHaveLength(1);
    expect(cut.truncated).toEqual({ declaredLength: 50, availableLength: 44 });
    expectMalformed(() => discInformationCodec.decode(full.subarray(0, 32)), "READ DISC INFORMATION (standard disc information)");
    const otherType = full.slice();
    otherType[2] = 0x20;
    expectMalformed(() => discInformationCodec.decode(otherType));
  });

  it("data type 001b track resources and 010b POW resources", () => {
    checkGolden(
      trackResourcesCodec,
      `
      00 0a        # length 10
      20 00        # data type 001b, reserved
      00 63        # maximum possible tracks on disc 99
      00 02        # assigned tracks on disc 2
      00 62        # maximum tracks in appendable session 98
      00 01        # assigned tracks in appendable session 1
      `,
      { maximumTracksOnDisc: 99, assignedTracksOnDisc: 2, maximumTracksInAppendableSession: 98, assignedTracksInAppendableSession: 1 },
    );
    checkGolden(
      powResourcesCodec,
      `
      00 0e        # length 14
      40 00        # data type 010b, reserved
      00 00 10 00  # remaining POW replacements 4096
      00 00 00 80  # remaining reallocation map entries 128
      00 00 00 10  # remaining POW updates 16
      `,
      { remainingPowReplacements: 4096, remainingPowReallocationMapEntries: 128, remainingPowUpdates: 16 },
    );
  });
});

const invisibleTrack: TrackInformation = {
  trackNumber: 3,
  sessionNumber: 3,
  ljrs: 0,
  damage: false,
  copy: false,
  trackMode: 4,
  rt: false,
  blank: true,
  packetIncremental: false,
  fp: false,
  dataMode: 1,
  lraV: false,
  nwaV: true,
  trackStartAddress: 75000,
  nextWritableAddress: 75000,
  freeBlocks: 282248,
  fixedPacketSize: 0,
  trackSize: 282248,
  lastRecordedAddress: 0,
  readCompatibilityLba: 0,
  nextLayerJumpAddress: 0,
  lastLayerJumpAddress: 0,
};

describe("READ TRACK INFORMATION (MMC-6 6.27.3)", () => {
  it("the invisible track of an appendable disc, with NWA", () => {
    checkGolden(
      trackInformationCodec,
      `
      00 2e        # data length 46
      03           # track number 3 (LSB)
      03           # session number 3 (LSB)
      00           # reserved
      04           # LJRS 0, not damaged, copy 0, track mode 4
      41           # RT 0, blank, packet/inc 0, FP 0, data mode 1
      01           # LRA_V 0, NWA_V 1
      00 01 24 f8  # track start 75000
      00 01 24 f8  # next writable address 75000
      00 04 4e 88  # free blocks 282248
      00 00 00 00  # fixed packet size
      00 04 4e 88  # track size 282248
      00 00 00 00  # last recorded address
      00 00        # track/session number MSB
      00 00        # reserved
      00 00 00 00  # read compatibility LBA
      00 00 00 00  # next layer jump address
      00 00 00 00  # last layer jump address
      `,
      invisibleTrack,
    );
  });

  it("DVD-R DL layer jump track with 16-bit numbers", () => {
    const value = { ...invisibleTrack, trackNumber: 0x0105, sessionNumber: 0x0102, ljrs: 2, blank: false, packetIncremental: true, lraV: true, lastRecordedAddress: 1000, nextLayerJumpAddress: 2086912, lastLayerJumpAddress: 1 };
    const bytes = trackInformationCodec.encode(value);
    expect([bytes[2], bytes[32], bytes[3], bytes[33], bytes[5]]).toEqual([0x05, 0x01, 0x02, 0x01, 0x84]);
    expect(trackInformationCodec.decode(bytes)).toEqual(value);
  });

  it("older 28- and 36-byte forms decode with the later fields absent", () => {
    const full = trackInformationCodec.encode(invisibleTrack);
    const old = full.slice(0, 28);
    old[1] = 26;
    const decoded = trackInformationCodec.decode(old);
    expect(decoded.lastRecordedAddress).toBeUndefined();
    expect(decoded.readCompatibilityLba).toBeUndefined();
    expect(decoded.truncated).toBeUndefined();
    expect(decoded.freeBlocks).toBe(282248);
    const cut = trackInformationCodec.decode(full.subarray(0, 40));
    expect(cut.truncated).toEqual({ declaredLength: 48, availableLength: 40 });
    expect(cut.readCompatibilityLba).toBe(0);
    expect(cut.nextLayerJumpAddress).toBeUndefined();
    expectMalformed(() => trackInformationCodec.decode(full.subarray(0, 27)), "READ TRACK INFORMATION response");
  });
});
