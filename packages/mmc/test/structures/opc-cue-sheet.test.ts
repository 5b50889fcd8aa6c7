import { InvalidArgumentError } from "@discforge/errors";
import { describe, expect, it } from "vitest";
import {
  catalogNumberEntries,
  CUE_DATA_FORM,
  CUE_DATA_FORM_BLOCK_SIZE,
  cueSheetCodec,
  isrcEntries,
  opcParameterListCodec,
  type CuePositionEntry,
} from "../../src/structures/index.js";
import { checkGolden, expectMalformed, hex } from "./golden.js";

describe("SEND OPC INFORMATION parameter list (MMC-6 6.36.3)", () => {
  it("two OPC entries", () => {
    checkGolden(
      opcParameterListCodec,
      `
      1b 90 01 02 03 04 05 06  # 7056 kB/s, OPC values
      56 90 aa bb cc dd ee ff  # 22160 kB/s, OPC values
      `,
      { entries: [{ speed: 7056, opcValue: hex("01 02 03 04 05 06") }, { speed: 22160, opcValue: hex("aa bb cc dd ee ff") }] },
    );
    expectMalformed(() => opcParameterListCodec.decode(hex("1b 90 01")), "SEND OPC INFORMATION parameter list");
    expect(() => opcParameterListCodec.encode({ entries: [{ speed: 1, opcValue: new Uint8Array(5) }] })).toThrow(InvalidArgumentError);
  });
});

const pos = (e: Partial<CuePositionEntry>): CuePositionEntry => ({
  kind: "position",
  control: 0,
  adr: 1,
  tno: 0,
  index: 0,
  subChannelDataForm: 0,
  mainDataForm: CUE_DATA_FORM.cdDa,
  scms: false,
  time: { minute: 0, second: 0, frame: 0 },
  ...e,
});

describe("SEND CUE SHEET (MMC-6 6.33.3)", () => {
  it("one audio track with MCN and ISRC, lead-in, pre-gap, lead-out", () => {
    const entries = [
      ...catalogNumberEntries("0123456789012"),
      pos({ mainDataForm: CUE_DATA_FORM.cdDaGenerated }),
      ...isrcEntries(1, "USRC17607839"),
      pos({ tno: 1, index: 0, mainDataForm: CUE_DATA_FORM.cdDaGenerated }),
      pos({ tno: 1, index: 1, time: { minute: 0, second: 2, frame: 0 } }),
      pos({ tno: 0xaa, index: 1, mainDataForm: CUE_DATA_FORM.cdDaGenerated, time: { minute: 3, second: 2, frame: 0 } }),
    ];
    checkGolden(
      cueSheetCodec,
      `
      02 30 31 32 33 34 35 36  # ADR 2: catalog N1..N7
      02 37 38 39 30 31 32 00  # ADR 2: N8..N13, zero
      01 00 00 01 00 00 00 00  # lead-in: TNO 0, index 0, CD-DA generated, 00:00:00
      03 01 55 53 52 43 31 37  # ADR 3: track 1, ISRC I1..I6
      03 01 36 30 37 38 33 39  # ADR 3: track 1, ISRC I7..I12
      01 01 00 01 00 00 00 00  # track 1 index 0 (pre-gap), generated silence, 00:00:00
      01 01 01 00 00 00 02 00  # track 1 index 1, CD-DA 2352, 00:02:00
      01 aa 01 01 00 03 02 00  # lead-out, generated, 03:02:00
      `,
      { entries },
    );
  });

  it("data track entry with control 4, mode 1 2048, SCMS", () => {
    checkGolden(cueSheetCodec, "41 01 01 10 80 00 02 00  # CTL 4 / ADR 1, track 1 index 1, mode 1 (2048), SCMS, 00:02:00", {
      entries: [pos({ control: 4, tno: 1, index: 1, mainDataForm: CUE_DATA_FORM.mode1, scms: true, time: { minute: 0, second: 2, frame: 0 } })],
    });
    expect(CUE_DATA_FORM_BLOCK_SIZE[CUE_DATA_FORM.mode1]).toBe(2048);
    expect(CUE_DATA_FORM_BLOCK_SIZE[CUE_DATA_FORM.cdDaGenerated]).toBe(0);
  });

  it("validation", () => {
    expect(() => catalogNumberEntries("12345")).toThrow(InvalidArgumentError);
    expect(() => isrcEntries(1, "usrc17607839")).toThrow(InvalidArgumentError);
    expect(() => cueSheetCodec.encode({ entries: [pos({ time: { minute: 0, second: 60, frame: 0 } })] })).toThrow(InvalidArgumentError);
    expect(() => cueSheetCodec.encode({ entries: [pos({ adr: 2 })] })).toThrow(InvalidArgumentError);
    expectMalformed(() => cueSheetCodec.decode(new Uint8Array(12)), "SEND CUE SHEET data");
  });
});
