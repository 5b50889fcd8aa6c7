/** READ CD / READ CD MSF: selections, raw Mode 1 sectors, C2, sub-channel, sector type checks. */
import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "@discforge/bytes";
import { buildReadCd, buildReadCdMsf, buildWrite10, type ReadCdParams } from "@discforge/mmc";
import { PERSONALITIES } from "../src/index.js";
import { cdMode1Sector } from "../src/cd/sector.js";
import { blocks, fails, ok, rig, senseOf } from "./harness.js";

const W = (lba: number, n: number) => ({ ...buildWrite10({ lba, transferLength: n }, blocks(lba, n)), dataOut: blocks(lba, n) });

async function cdWith(n: number) {
  const r = await rig("cd-r", { personality: PERSONALITIES["cd-rw-drive"] });
  await ok(r.drive, W(0, n));
  return r;
}

const fieldPointer = (sense: Uint8Array) => ({ sksv: (sense[15]! & 0x80) !== 0, cd: (sense[15]! & 0x40) !== 0, byte: (sense[16]! << 8) | sense[17]! });

describe("READ CD main channel", () => {
  it("user data only: the recorded 2048-byte blocks", async () => {
    const { drive } = await cdWith(4);
    // Expected sector type mode 1, LBA 1, 2 sectors, user data only.
    const data = await ok(drive, { cdb: fromHex("be08" + "00000001" + "000002" + "10" + "0000"), direction: "in", dataInLength: 4096 });
    expect(data).toEqual(blocks(1, 2));
  });

  it("sync + header + user data + EDC/ECC (F8h): the whole ECMA-130 sector", async () => {
    const { drive } = await cdWith(3);
    const data = await ok(drive, { cdb: fromHex("be00" + "00000001" + "000002" + "f8" + "0000"), direction: "in", dataInLength: 2 * 2352 });
    expect(data.length).toBe(2 * 2352);
    expect(toHex(data.subarray(0, 16))).toBe("00ffffffffffffffffffff00" + "000201" + "01"); // sync, MSF 00:02:01, mode 1
    expect(toHex(data.subarray(0, 2352))).toBe(toHex(cdMode1Sector(1, blocks(1, 1))));
    expect(toHex(data.subarray(2352))).toBe(toHex(cdMode1Sector(2, blocks(2, 1))));
  });

  it("partial selections cut the right parts of the sector", async () => {
    const { drive } = await cdWith(1);
    const raw = cdMode1Sector(0, blocks(0, 1));
    const cases: [string, number, Uint8Array][] = [
      ["20", 4, raw.subarray(12, 16)], // header only
      ["30", 2052, raw.subarray(12, 2064)], // header + user data
      ["18", 2336, raw.subarray(16, 2352)], // user data + EDC/ECC
      ["a0", 16, raw.subarray(0, 16)], // sync + header
      ["b8", 2352, raw], // sync, header, user data, EDC/ECC
      ["78", 2340, raw.subarray(12)], // all headers (Mode 1 has no subheader)
      ["00", 0, new Uint8Array(0)],
    ];
    for (const [byte9, len, want] of cases) {
      const data = await ok(drive, { cdb: fromHex("be08" + "00000000" + "000001" + byte9 + "0000"), direction: "in", dataInLength: 4000 });
      expect(data.length, byte9).toBe(len);
      expect(toHex(data), byte9).toBe(toHex(want));
    }
  });

  it("illegal selections are 24/00 pointing at CDB byte 9", async () => {
    const { drive } = await cdWith(1);
    for (const [byte9, bit] of [["80", 7], ["90", 7], ["08", 3], ["28", 3], ["a8", 3]] as const) {
      const f = await fails(drive, { cdb: fromHex("be00" + "00000000" + "000001" + byte9 + "0000"), direction: "in", dataInLength: 2352 });
      expect(senseOf(f), byte9).toBe("05/24/00");
      expect(fieldPointer(f.sense), byte9).toEqual({ sksv: true, cd: true, byte: 9 });
      expect(f.sense[15]! & 0x0f, byte9).toBe(0x08 | bit); // BPV + bit pointer
    }
  });

  it("an expected sector type other than Mode 1 is 64/00 on a data track", async () => {
    const { drive } = await cdWith(1);
    for (const type of ["cdda", "mode2Formless", "mode2Form1", "mode2Form2"] as const) {
      const req = buildReadCd({ lba: 0, transferLength: 1, expectedSectorType: type, userData: true }, { bytesPerSector: 2352 });
      expect(senseOf(await fails(drive, req)), type).toBe("05/64/00");
    }
    await ok(drive, buildReadCd({ lba: 0, transferLength: 1, expectedSectorType: "mode1" }));
  });

  it("C2 error information is zero and sized 294 / 296", async () => {
    const { drive } = await cdWith(1);
    for (const [c2, extra] of [["c2", 294], ["c2AndBlockErrors", 296]] as const) {
      const data = await ok(drive, buildReadCd({ lba: 0, transferLength: 1, expectedSectorType: "mode1", userData: true, c2ErrorInfo: c2 }));
      expect(data.length).toBe(2048 + extra);
      expect(data.subarray(2048).every((b) => b === 0)).toBe(true);
    }
  });

  it("unrecorded sectors are refused as READ(10) refuses them", async () => {
    const { drive } = await cdWith(2);
    expect(senseOf(await fails(drive, buildReadCd({ lba: 1, transferLength: 2, expectedSectorType: "mode1" })))).toBe("05/21/00");
  });

  it("the host buffer limits the sectors transferred", async () => {
    const { drive } = await cdWith(4);
    const r = buildReadCd({ lba: 0, transferLength: 4, sync: true, headerCodes: "header", userData: true, edcEcc: true, expectedSectorType: "mode1" });
    const data = await ok(drive, { ...r, dataInLength: 2 * 2352 });
    expect(data.length).toBe(2 * 2352);
  });
});

describe("READ CD sub-channel", () => {
  const q = (p: Partial<ReadCdParams>) => buildReadCd({ lba: 0, transferLength: 1, expectedSectorType: "mode1", userData: false, ...p });

  it("formatted Q: control/ADR, track, index, relative and absolute MSF in BCD, CRC", async () => {
    const { drive } = await cdWith(200);
    const data = await ok(drive, q({ lba: 151, subchannel: "q" }));
    expect(data.length).toBe(16);
    expect(toHex(data)).toBe(
      "41" + // CONTROL 4 (data), ADR 1
        "01" + // TNO 1
        "01" + // INDEX 1
        "000201" + // relative 00:02:01 (151 frames into the track)
        "00" + // ZERO
        "000401" + // absolute 00:04:01 (LBA 151 + 150)
        toHex(qCrc(fromHex("41010100020100000401"))) + // CRC-16, inverted
        "000000" + // reserved
        "00", // P bit clear
    );
  });

  it("raw P-W carries the same Q bits in bit 6; R-W de-interleaved is 96 zero bytes", async () => {
    const { drive } = await cdWith(2);
    const formatted = await ok(drive, q({ lba: 1, subchannel: "q" }));
    const raw = await ok(drive, q({ lba: 1, subchannel: "raw" }));
    expect(raw.length).toBe(96);
    const bits = new Uint8Array(12);
    raw.forEach((b, i) => {
      expect(b & 0xbf).toBe(0); // P and R-W clear
      bits[i >> 3]! |= ((b >> 6) & 1) << (7 - (i & 7));
    });
    expect(toHex(bits)).toBe(toHex(formatted.subarray(0, 12)));
    const rw = await ok(drive, q({ lba: 1, subchannel: "rw" }));
    expect(rw).toEqual(new Uint8Array(96));
  });

  it("sub-channel follows the main channel in each sector", async () => {
    const { drive } = await cdWith(2);
    const data = await ok(drive, buildReadCd({ lba: 0, transferLength: 2, expectedSectorType: "mode1", userData: true, subchannel: "q" }));
    expect(data.length).toBe(2 * (2048 + 16));
    expect(data.subarray(0, 2048)).toEqual(blocks(0, 1));
    expect(toHex(data.subarray(2048, 2048 + 10))).toBe("41010100000000000200");
    expect(toHex(data.subarray(2064 + 2048, 2064 + 2048 + 10))).toBe("41010100000100000201");
  });
});

describe("READ CD MSF", () => {
  it("reads the frames from the start MSF up to (not including) the end MSF", async () => {
    const { drive } = await cdWith(3);
    const data = await ok(drive, buildReadCdMsf({ start: { minute: 0, second: 2, frame: 1 }, end: { minute: 0, second: 2, frame: 3 }, expectedSectorType: "mode1", sync: true, headerCodes: "header", userData: true, edcEcc: true }));
    expect(toHex(data)).toBe(toHex(cdMode1Sector(1, blocks(1, 1))) + toHex(cdMode1Sector(2, blocks(2, 1))));
  });

  it("a DVD is 30/02 (cannot read medium, incompatible format)", async () => {
    const { drive } = await rig("dvd+r", { personality: PERSONALITIES["dvd-rw-drive"] });
    await ok(drive, W(0, 16));
    expect(senseOf(await fails(drive, buildReadCd({ lba: 0, transferLength: 1, expectedSectorType: "mode1" })))).toBe("05/30/02");
  });
});

/** CRC-16 CCITT over the Q bits, inverted (bitwise, independent of the drive's table). */
function qCrc(bytes: Uint8Array): Uint8Array {
  let crc = 0;
  for (const b of bytes) {
    for (let i = 7; i >= 0; i--) {
      const top = ((crc >> 15) & 1) ^ ((b >> i) & 1);
      crc = (crc << 1) & 0xffff;
      if (top) crc ^= 0x1021;
    }
  }
  crc = ~crc & 0xffff;
  return Uint8Array.of(crc >> 8, crc & 0xff);
}
