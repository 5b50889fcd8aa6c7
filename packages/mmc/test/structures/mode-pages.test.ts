import { InvalidArgumentError } from "@discforge/errors";
import { describe, expect, it } from "vitest";
import {
  capabilitiesPageCodec,
  defaultWriteParameters,
  errorRecoveryPageCodec,
  kbpsToX,
  LOADING_MECHANISM,
  MULTI_SESSION,
  powerConditionPageCodec,
  timeoutProtectPageCodec,
  WRITE_TYPE,
  writeParametersPageCodec,
  type CapabilitiesPage,
  type WriteParametersPage,
} from "../../src/structures/index.js";
import { ascii, checkGolden, concat, expectMalformed, hex } from "./golden.js";

describe("mode page 01h Read/Write Error Recovery (MMC-6 7.3)", () => {
  it("10-byte form", () => {
    checkGolden(
      errorRecoveryPageCodec,
      `
      81 0a        # PS, page 01h, length 10
      c5           # AWRE, ARRE, PER, DCR
      20           # read retry count 32
      00 00 00     # obsolete
      02           # EMCDR 10b
      0c           # write retry count 12
      00           # reserved
      0b b8        # recovery time limit 3000 ms
      `,
      { ps: true, awre: true, arre: true, tb: false, rc: false, per: true, dte: false, dcr: true, readRetryCount: 32, emcdr: 2, writeRetryCount: 12, recoveryTimeLimit: 3000 },
    );
  });

  it("MMC-1 6-byte form has no write retry count or time limit", () => {
    checkGolden(
      errorRecoveryPageCodec,
      `
      01 06        # page 01h, length 6
      30           # TB, RC
      05           # read retry count 5
      00 00 00 00  # obsolete, EMCDR 0
      `,
      { ps: false, awre: false, arre: false, tb: true, rc: true, per: false, dte: false, dcr: false, readRetryCount: 5, emcdr: 0 },
    );
  });

  it("wrong page code or SPF is malformed", () => {
    expectMalformed(() => errorRecoveryPageCodec.decode(hex("05 06 00 00 00 00 00 00")), "mode page 01h (Read/Write Error Recovery)");
    expectMalformed(() => errorRecoveryPageCodec.decode(hex("41 06 00 00 00 00 00 00")));
    expect(expectMalformed(() => errorRecoveryPageCodec.decode(hex("01 04 00 00 00 00"))).offset).toBe(1);
    expect(expectMalformed(() => errorRecoveryPageCodec.decode(hex("01 0a 00 00 00 00"))).offset).toBe(6);
  });
});

const taoMultisession: WriteParametersPage = {
  ps: false,
  bufe: true,
  lsV: false,
  testWrite: false,
  writeType: WRITE_TYPE.trackAtOnce,
  multiSession: MULTI_SESSION.open,
  fp: false,
  copy: false,
  trackMode: 4,
  dataBlockType: 8,
  linkSize: 0,
  hostApplicationCode: 0,
  sessionFormat: 0x20,
  packetSize: 0,
  audioPauseLength: 150,
  mediaCatalogNumber: undefined,
  mcnAframe: 0,
  isrc: undefined,
  isrcAframe: 0,
  subHeader: new Uint8Array(4),
  vendorSpecific: new Uint8Array(0),
};

describe("mode page 05h Write Parameters (MMC-6 7.5)", () => {
  it("TAO CD data track, multi-session 11b, BUFE", () => {
    checkGolden(
      writeParametersPageCodec,
      `
      05 32        # page 05h, length 50
      41           # BUFE, LS_V 0, Test Write 0, write type 1 (TAO)
      c4           # multi-session 11b, FP 0, copy 0, track mode 4
      08           # data block type 8 (mode 1, 2048)
      00           # link size
      00           # reserved
      00           # host application code
      20           # session format 20h (CD-ROM XA)
      00           # reserved
      00 00 00 00  # packet size
      00 96        # audio pause length 150
      00 00000000000000000000000000 00 00  # MCN: MCVAL 0, N1..N13, zero, AFRAME
      00 000000000000000000000000 00 00 00 # ISRC: TCVAL 0, I1..I12, zero, AFRAME, reserved
      00 00 00 00  # sub-header
      `,
      taoMultisession,
    );
  });

  it("SAO audio with MCN, ISRC, test write and the vendor-specific tail", () => {
    const bytes = concat(
      hex(`
        05 36        # page 05h, length 54 (vendor-specific bytes present)
        12           # Test Write, write type 2 (SAO)
        00           # multi-session 00b, track mode 0 (audio)
        00           # data block type 0 (raw 2352)
        00 00 00     # link size, reserved, host application code
        00 00        # session format 00h, reserved
        00 00 00 00  # packet size
        00 96        # audio pause 150
        80           # MCVAL
      `),
      ascii("0123456789012"), // N1..N13
      hex(`00 07       # zero, AFRAME 7
           80          # TCVAL`),
      ascii("USRC17607839"), // I1..I12
      hex(`00 05 00    # zero, AFRAME 5, reserved
           00 00 00 00 # sub-header
           de ad be ef # vendor specific`),
    );
    checkGolden(writeParametersPageCodec, bytes, {
      ...taoMultisession,
      bufe: false,
      testWrite: true,
      writeType: WRITE_TYPE.sessionAtOnce,
      multiSession: MULTI_SESSION.closed,
      trackMode: 0,
      dataBlockType: 0,
      sessionFormat: 0,
      mediaCatalogNumber: "0123456789012",
      mcnAframe: 7,
      isrc: "USRC17607839",
      isrcAframe: 5,
      vendorSpecific: hex("de ad be ef"),
    });
  });

  it("defaults and invalid MCN/ISRC", () => {
    expect(defaultWriteParameters({ multiSession: 3, sessionFormat: 0x20, bufe: true })).toEqual(taoMultisession);
    expect(() => writeParametersPageCodec.encode({ ...taoMultisession, mediaCatalogNumber: "12345" })).toThrow(InvalidArgumentError);
    expect(() => writeParametersPageCodec.encode({ ...taoMultisession, isrc: "us-rc1760783" })).toThrow(InvalidArgumentError);
    expect(() => writeParametersPageCodec.encode({ ...taoMultisession, writeType: 16 })).toThrow(InvalidArgumentError);
  });

  it("a page cut short of its 50 parameter bytes is malformed, not half-read", () => {
    const full = writeParametersPageCodec.encode(taoMultisession);
    expectMalformed(() => writeParametersPageCodec.decode(full.subarray(0, 40)), "mode page 05h (Write Parameters)");
  });
});

describe("mode page 1Ah Power Condition and 1Dh Timeout and Protect", () => {
  it("1Ah MMC form", () => {
    checkGolden(
      powerConditionPageCodec,
      `
      1a 0a        # page 1Ah, length 10
      00           # reserved
      03           # Idle, Standby
      00 00 0b b8  # idle condition timer 3000 x 100 ms
      00 00 17 70  # standby condition timer 6000 x 100 ms
      `,
      { ps: false, byte2: 0, idle: true, standby: true, idleConditionTimer: 3000, standbyConditionTimer: 6000, otherConditionBits: 0, extension: new Uint8Array(0) },
    );
  });

  it("1Dh", () => {
    checkGolden(
      timeoutProtectPageCodec,
      `
      9d 0a        # PS, page 1Dh, length 10
      00 00        # reserved
      0d           # G3Enable, TMOE, SWPP
      00           # reserved
      00 0a        # group 1 minimum timeout 10 s
      00 3c        # group 2 minimum timeout 60 s
      00 78        # group 3 timeout 120 s
      `,
      { ps: true, g3Enable: true, tmoe: true, disp: false, swpp: true, group1MinimumTimeout: 10, group2MinimumTimeout: 60, group3Timeout: 120 },
    );
  });
});

const dvdWriterPage = `
  2a 2e        # page 2Ah, length 46 (4 write speed descriptors)
  3f           # reads DVD-RAM, DVD-R, DVD-ROM, method 2, CD-RW, CD-R
  37           # writes DVD-RAM, DVD-R, test write, CD-RW, CD-R
  f1           # BUF, multi-session, mode 2 form 2, mode 2 form 1, audio play
  77           # UPC, ISRC, C2 pointers, R-W supported, CD-DA accurate, CD-DA commands
  29           # loading mechanism 001b (tray), eject, lock
  03           # separate channel mute, separate volume levels
  1b 90        # maximum read speed 7056 kB/s (obsolete)
  01 00        # 256 volume levels
  08 00        # buffer 2048 KB
  1b 90        # current read speed 7056 kB/s (obsolete)
  00           # reserved
  00           # digital output format
  21 13        # maximum write speed 8467 kB/s (obsolete)
  21 13        # current write speed 8467 kB/s (obsolete)
  00 01        # copy management revision 1
  00 00 00     # reserved
  00           # rotation control selected: CLV
  56 90        # current write speed selected 22160 kB/s
  00 04        # 4 write speed performance descriptors
  00 00 56 90  # CLV, 22160 kB/s (16x DVD)
  00 00 40 ec  # CLV, 16620 kB/s (12x)
  00 00 2b 48  # CLV, 11080 kB/s (8x)
  00 01 15 a4  # CAV, 5540 kB/s (4x)
`;

const dvdWriter: CapabilitiesPage = {
  ps: false,
  dvdRamRead: true,
  dvdRRead: true,
  dvdRomRead: true,
  method2: true,
  cdRwRead: true,
  cdRRead: true,
  dvdRamWrite: true,
  dvdRWrite: true,
  testWrite: true,
  cdRwWrite: true,
  cdRWrite: true,
  buf: true,
  multiSession: true,
  mode2Form2: true,
  mode2Form1: true,
  digitalPort2: false,
  digitalPort1: false,
  composite: false,
  audioPlay: true,
  readBarCode: false,
  upc: true,
  isrc: true,
  c2PointersSupported: true,
  rwDeinterleavedCorrected: false,
  rwSupported: true,
  cdDaStreamAccurate: true,
  cdDaCommandsSupported: true,
  loadingMechanismType: LOADING_MECHANISM.tray,
  eject: true,
  preventJumper: false,
  lockState: false,
  lock: true,
  rwInLeadIn: false,
  sideChangeCapable: false,
  softwareSlotSelection: false,
  changerSupportsDiscPresent: false,
  separateChannelMute: true,
  separateVolumeLevels: true,
  maximumReadSpeed: 7056,
  numberOfVolumeLevels: 256,
  bufferSize: 2048,
  currentReadSpeed: 7056,
  digitalOutputFormat: 0,
  maximumWriteSpeed: 8467,
  currentWriteSpeedObsolete: 8467,
  copyManagementRevision: 1,
  rotationControlSelected: 0,
  currentWriteSpeed: 22160,
  writeSpeedDescriptors: [
    { rotationControl: 0, writeSpeed: 22160 },
    { rotationControl: 0, writeSpeed: 16620 },
    { rotationControl: 0, writeSpeed: 11080 },
    { rotationControl: 1, writeSpeed: 5540 },
  ],
  reserved: new Uint8Array(4),
};

describe("mode page 2Ah MM Capabilities and Mechanical Status (MMC-3 layout)", () => {
  it("a typical DVD writer, both ways", () => {
    checkGolden(capabilitiesPageCodec, dvdWriterPage, dvdWriter);
    expect(dvdWriter.writeSpeedDescriptors!.map((d) => kbpsToX(d.writeSpeed, "dvd"))).toEqual([16, 12, 8, 4]);
  });

  it("MMC-2 page without the MMC-3 tail", () => {
    const short = hex(dvdWriterPage).slice(0, 22);
    short[1] = 0x14;
    const page = capabilitiesPageCodec.decode(short);
    expect(page.copyManagementRevision).toBeUndefined();
    expect(page.currentWriteSpeed).toBeUndefined();
    expect(page.writeSpeedDescriptors).toBeUndefined();
    expect(page.bufferSize).toBe(2048);
    expect(capabilitiesPageCodec.encode(page)).toEqual(short);
  });

  it("cut by the allocation length: descriptors that are there, and the truncation", () => {
    const bytes = hex(dvdWriterPage).subarray(0, 40);
    const page = capabilitiesPageCodec.decode(bytes);
    expect(page.truncated).toEqual({ declaredLength: 48, availableLength: 40 });
    expect(page.writeSpeedDescriptors).toEqual(dvdWriter.writeSpeedDescriptors!.slice(0, 2));
  });

  it("a descriptor count larger than the page is reported as truncation", () => {
    const bytes = hex(dvdWriterPage);
    bytes[31] = 9;
    const page = capabilitiesPageCodec.decode(bytes);
    expect(page.writeSpeedDescriptors).toHaveLength(4);
    expect(page.truncated).toEqual({ declaredLength: 32 + 36, availableLength: 48 });
  });
});
