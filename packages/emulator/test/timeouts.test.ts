/** Mode page 1Dh: advertised group timeouts and the drive's own Group 3 limit (TMOE + G3Enable). */
import { describe, expect, it } from "vitest";
import { buildBlank, buildModeSense10, buildTestUnitReady, modePageBytes, modeParameterList10Codec, timeoutProtectPageCodec } from "@discforge/mmc";
import { PERSONALITIES, type Personality } from "../src/index.js";
import { exec, fails, ok, rig, senseOf } from "./harness.js";

const select10 = (list: Uint8Array) => ({ cdb: Uint8Array.of(0x55, 0x10, 0, 0, 0, 0, 0, list.length >> 8, list.length & 0xff, 0), direction: "out" as const, dataOut: list });

/** MODE SELECT(10) list with page 1Dh: flags byte 4, Group 3 Timeout in seconds, groups 1/2 as reported. */
function page1d(flags: number, group3: number, g1 = 60, g2 = 600): Uint8Array {
  const l = new Uint8Array(8 + 12);
  l.set([0x1d, 0x0a, 0, 0, flags, 0, g1 >> 8, g1 & 0xff, g2 >> 8, g2 & 0xff, group3 >> 8, group3 & 0xff], 8);
  return l;
}

const slow: Personality = { ...PERSONALITIES["cd-rw-drive"], id: "slow", timeouts: { group1Seconds: 20, group2Seconds: 120, group3Seconds: 900 } };

describe("mode page 1Dh", () => {
  it("reports the personality's group timeouts; Group 3 and the enable bits are changeable, groups 1/2 are not", async () => {
    const { drive } = await rig("cd-rw", { personality: slow });
    const read = async (pc: "current" | "changeable") =>
      timeoutProtectPageCodec.decode(modePageBytes(modeParameterList10Codec.decode(await ok(drive, buildModeSense10({ pageCode: 0x1d, pageControl: pc, allocationLength: 64 }))).pages[0]!));
    expect(await read("current")).toMatchObject({ tmoe: false, g3Enable: false, group1MinimumTimeout: 20, group2MinimumTimeout: 120, group3Timeout: 900 });
    expect(await read("changeable")).toMatchObject({ tmoe: true, g3Enable: true, group1MinimumTimeout: 0, group2MinimumTimeout: 0, group3Timeout: 0xffff });
    // Changing a drive minimum is refused: 26/00 on the Group 1 field.
    const bad = await fails(drive, select10(page1d(0x0c, 30, 5)));
    expect(senseOf(bad)).toBe("05/26/00");
    expect((bad.sense[16]! << 8) | bad.sense[17]!).toBe(8 + 7);
    await ok(drive, select10(page1d(0x0c, 30, 20, 120)));
    expect(await read("current")).toMatchObject({ tmoe: true, g3Enable: true, group3Timeout: 30 });
  });
});

describe("Group 3 limit on long operations without IMMED", () => {
  it("TMOE + G3Enable: a full BLANK longer than the Group 3 Timeout ends with 0B/2E/02 at the limit and carries on", async () => {
    const { drive, clock } = await rig("cd-rw", { personality: slow });
    await ok(drive, select10(page1d(0x0c, 30, 20, 120)));
    const start = clock.now();
    const r = await exec(drive, buildBlank({ blankingType: "full", immed: false }), 24 * 3600_000);
    expect(r.kind).toBe("check-condition");
    if (r.kind === "check-condition") expect(senseOf({ key: r.sense[2]! & 0x0f, asc: r.sense[12]!, ascq: r.sense[13]!, sense: r.sense })).toBe("0b/2e/02");
    expect(clock.now() - start).toBe(30_000);
    // Still blanking: NOT READY, operation in progress, with progress in the sense-key specific bytes.
    const busy = await fails(drive, buildTestUnitReady());
    expect(senseOf(busy)).toBe("02/04/07");
    expect(busy.sense[15]! & 0x80).toBe(0x80);
    clock.advance(24 * 3600_000);
    await ok(drive, buildTestUnitReady());
  });

  it("TMOE without G3Enable, or TMOE off: the drive takes the time the medium needs", async () => {
    for (const flags of [0x04, 0x00]) {
      const { drive, clock } = await rig("cd-rw", { personality: slow });
      await ok(drive, select10(page1d(flags, 30, 20, 120)));
      const start = clock.now();
      const r = await exec(drive, buildBlank({ blankingType: "full", immed: false }), 24 * 3600_000);
      expect(r.kind).toBe("good");
      expect(clock.now() - start).toBeGreaterThan(30_000);
    }
  });

  it("IMMED returns at once whatever the limit", async () => {
    const { drive, clock } = await rig("cd-rw", { personality: slow });
    await ok(drive, select10(page1d(0x0c, 30, 20, 120)));
    const start = clock.now();
    await ok(drive, buildBlank({ blankingType: "full", immed: true }));
    expect(clock.now()).toBe(start);
    expect(senseOf(await fails(drive, buildTestUnitReady()))).toBe("02/04/07");
  });

  it("a limit the operation fits in changes nothing (minimal BLANK within 30 s at 24x)", async () => {
    const { drive } = await rig("cd-rw", { personality: slow });
    await ok(drive, select10(page1d(0x0c, 30, 20, 120)));
    await ok(drive, buildBlank({ blankingType: "minimal", immed: false }));
    await ok(drive, buildTestUnitReady());
  });
});
