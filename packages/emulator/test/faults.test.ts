/** Fault plans: every trigger and action, from objects and from JSON text. */
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "@discforge/errors";
import { buildReadTrackInformation, buildTestUnitReady, buildWrite10, buildInquiry, trackInformationCodec } from "@discforge/mmc";
import { EmulatedDrive, PERSONALITIES, VirtualClock, VirtualDisc, parseFaultPlan, type FaultPlan } from "../src/index.js";
import { blocks, exec, fails, ok, senseOf } from "./harness.js";

const W = (lba: number, n: number) => ({ ...buildWrite10({ lba, transferLength: n }, blocks(lba, n)), dataOut: blocks(lba, n) });

async function drive(plan: FaultPlan, media: "dvd+r" | "cd-r" = "dvd+r") {
  const clock = new VirtualClock();
  const disc = VirtualDisc.blank(media);
  const d = new EmulatedDrive({ clock, disc, faults: plan, personality: PERSONALITIES["dvd-rw-drive"] });
  return { d, clock, disc };
}

describe("fault plans", () => {
  it("at command N: a given sense, once", async () => {
    const { d } = await drive({ faults: [{ when: { command: 2 }, action: { sense: [0x04, 0x44, 0x00] } }] });
    expect(senseOf(await fails(d, buildTestUnitReady()))).toBe("06/29/00");
    expect(senseOf(await fails(d, buildTestUnitReady()))).toBe("04/44/00");
    await ok(d, buildTestUnitReady());
  });

  it("sticky sense on every WRITE(10) from the 5th command on", async () => {
    const { d } = await drive({ faults: [{ when: { command: 5 }, opcode: "0x2a", action: { sense: [0x03, 0x0c, 0x00] }, sticky: true }] });
    await exec(d, buildTestUnitReady());
    await ok(d, W(0, 16));
    await ok(d, buildInquiry());
    await ok(d, buildInquiry());
    expect(senseOf(await fails(d, W(16, 16)))).toBe("03/0c/00");
    expect(senseOf(await fails(d, W(16, 16)))).toBe("03/0c/00");
    await ok(d, buildInquiry());
  });

  it("at LBA X: the write that covers it fails; state unchanged", async () => {
    const { d, disc } = await drive({ faults: [{ when: { lba: 40 }, action: { sense: [0x03, 0x0c, 0x00] } }] });
    await exec(d, buildTestUnitReady());
    await ok(d, W(0, 32));
    expect(senseOf(await fails(d, W(32, 16)))).toBe("03/0c/00");
    expect(disc.state.tracks[0]!.nwa).toBe(32);
    await ok(d, W(32, 16));
  });

  it("delay past the timeout: a transport timeout after exactly the timeout", async () => {
    const { d, clock } = await drive({ faults: [{ when: { command: 2 }, action: { delayMs: 120_000 } }] });
    await exec(d, buildTestUnitReady());
    const t0 = clock.now();
    const r = await exec(d, buildTestUnitReady(), 30_000);
    expect(r).toMatchObject({ kind: "transport-error", reason: "timeout" });
    expect(clock.now() - t0).toBe(30_000);
  });

  it("not ready for a while: 02/04/01, then ready", async () => {
    const { d, clock } = await drive({ faults: [{ when: { timeMs: 1000 }, action: { notReadyMs: 5000 } }] });
    await exec(d, buildTestUnitReady());
    await ok(d, buildTestUnitReady());
    clock.advance(1000);
    expect(senseOf(await fails(d, buildTestUnitReady()))).toBe("02/04/01");
    clock.advance(4999);
    expect(senseOf(await fails(d, buildTestUnitReady()))).toBe("02/04/01");
    clock.advance(1);
    await ok(d, buildTestUnitReady());
  });

  it("remove media and write protect", async () => {
    const a = await drive({ faults: [{ when: { command: 3 }, action: { removeMedia: true } }] });
    await exec(a.d, buildTestUnitReady());
    await ok(a.d, buildTestUnitReady());
    expect(senseOf(await fails(a.d, buildTestUnitReady()))).toBe("02/3a/02");
    const b = await drive({ faults: [{ when: { command: 2 }, action: { writeProtect: true } }] });
    await exec(b.d, buildTestUnitReady());
    await ok(b.d, buildTestUnitReady());
    expect(senseOf(await fails(b.d, W(0, 16)))).toBe("07/27/00");
  });

  it("unreadable medium: 03/30/01 until it is taken out", async () => {
    const { d } = await drive({ faults: [{ when: { command: 2 }, action: { unreadableMedia: true } }] });
    await exec(d, buildTestUnitReady());
    expect(senseOf(await fails(d, buildTestUnitReady()))).toBe("03/30/01");
    expect(senseOf(await fails(d, buildTestUnitReady()))).toBe("03/30/01");
    d.openTray();
    d.closeTray();
    expect(senseOf(await fails(d, buildTestUnitReady()))).toBe("06/28/00");
    await ok(d, buildTestUnitReady());
  });

  it("power loss after B bytes: recording stops where the medium was, 29/00, an incomplete track", async () => {
    const MIB = 1024 * 1024;
    const { d, disc, clock } = await drive({ faults: [{ when: { bytes: 2 * MIB }, opcode: 0x2a, action: { powerLoss: true } }] });
    await exec(d, buildTestUnitReady());
    await ok(d, W(0, 512)); // 1 MiB: recording starts
    clock.advance(10); // 221,600 bytes reach the medium
    await ok(d, W(512, 512));
    const r = await exec(d, W(1024, 16));
    expect(r).toMatchObject({ kind: "transport-error", reason: "reset" });
    expect(senseOf(await fails(d, buildTestUnitReady()))).toBe("06/29/00");
    // Only what was recorded survives: 221,600 bytes → 108 whole blocks.
    const ti = trackInformationCodec.decode(await ok(d, buildReadTrackInformation({ addressType: "track", address: 1 })));
    expect(ti).toMatchObject({ nwaV: true, nextWritableAddress: 108, blank: false });
    expect(disc.model.discStatus()).toBe("incomplete");
    expect(disc.store.read(107, 1)).toEqual(blocks(107, 1));
    expect(disc.store.read(108, 1)).toEqual(new Uint8Array(2048));
    await ok(d, W(108, 16)); // the host can carry on at the new NWA
  });

  it("plans parse from JSON text and bad plans are refused with InvalidArgumentError", () => {
    const plan = parseFaultPlan('{"faults":[{"when":{"lba":16},"opcode":"0x28","action":{"sense":[3,17,0]},"sticky":true}]}');
    expect(plan.faults[0]).toEqual({ when: { lba: 16 }, opcode: 0x28, action: { sense: [3, 17, 0] }, sticky: true });
    for (const bad of ['{"faults":[{"when":{},"action":{"powerLoss":true}}]}', '{"faults":[{"when":{"command":1,"lba":2},"action":{"powerLoss":true}}]}', '{"faults":[{"when":{"command":1},"action":{"explode":true}}]}', '{"faults":[{"when":{"command":1},"action":{"sense":[16,0,0]}}]}', "[1]", "{}"]) {
      expect(() => parseFaultPlan(bad), bad).toThrow(InvalidArgumentError);
    }
  });
});
