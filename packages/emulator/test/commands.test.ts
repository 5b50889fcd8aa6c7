/** Per-command behaviour not covered by the burn sequences. */
import { describe, expect, it } from "vitest";
import { fromHex } from "@discforge/bytes";
import {
  buildCloseTrackSession,
  buildGetEventStatusNotification,
  buildMechanismStatus,
  buildModeSense10,
  buildSetCdSpeed,
  buildSendCueSheet,
  buildSynchronizeCache,
  buildWrite10,
  eventStatusCodec,
  mechanismStatusCodec,
  modeParameterList10Codec,
  modePageBytes,
  capabilitiesPageCodec,
  buildPreventAllowMediumRemoval,
} from "@discforge/mmc";
import { PERSONALITIES } from "../src/index.js";
import { blocks, exec, fails, ok, rig, senseOf } from "./harness.js";

const W = (lba: number, n: number) => ({ ...buildWrite10({ lba, transferLength: n }, blocks(lba, n)), dataOut: blocks(lba, n) });
const select10 = (list: Uint8Array) => ({ cdb: Uint8Array.of(0x55, 0x10, 0, 0, 0, 0, 0, list.length >> 8, list.length & 0xff, 0), direction: "out" as const, dataOut: list });

function page05(flags: number, mode = 0x04, dbt = 0x08): Uint8Array {
  const l = new Uint8Array(8 + 0x34);
  l.set([0x05, 0x32, flags, mode, dbt], 8);
  l[23] = 150; // audio pause length
  return l;
}

describe("MODE SELECT", () => {
  it("refuses unchangeable bits and bad lengths, changing nothing", async () => {
    const { drive } = await rig("cd-r", { personality: PERSONALITIES["cd-rw-drive"] });
    // Page 2Ah is not changeable: 26/00 pointing at its page code byte.
    const caps = new Uint8Array(8 + 4);
    caps.set([0x2a, 0x02], 8);
    const s = await fails(drive, select10(caps));
    expect(senseOf(s)).toBe("05/26/00");
    // Parameter list shorter than the CDB says: 1A/00.
    expect(senseOf(await fails(drive, { cdb: fromHex("55100000000000004000"), direction: "out", dataOut: new Uint8Array(8) }))).toBe("05/1a/00");
    // Data block type 0 (raw audio) is not accepted: 26/00 on byte 4 of the page.
    const bad = await fails(drive, select10(page05(0x01, 0x04, 0x00)));
    expect(senseOf(bad)).toBe("05/26/00");
    expect((bad.sense[16]! << 8) | bad.sense[17]!).toBe(8 + 4);
    // A good one takes effect.
    await ok(drive, select10(page05(0x41, 0xc4)));
    expect(drive.writeParameters()).toMatchObject({ bufe: true, writeType: 1, multiSession: 3 });
  });

  it("write type SAO on CD needs a cue sheet; with one, SYNCHRONIZE CACHE ends the session", async () => {
    const { drive, disc } = await rig("cd-r", { personality: PERSONALITIES["cd-rw-drive"] });
    await ok(drive, select10(page05(0x42, 0xc4)));
    expect(senseOf(await fails(drive, W(0, 10)))).toBe("05/2c/00");
    // Lead-in, track 1 pregap from 00:00:00 and data from 00:02:00 (Mode 1, 2048 bytes), lead-out at 00:02:10.
    const cue = fromHex("4100001400000000" + "4101001000000000" + "4101011000000200" + "41aa01140000020a");
    await ok(drive, { ...buildSendCueSheet({ cueSheetSize: cue.length }, cue), dataOut: cue });
    // The pregap first, at LBA -150 (FFFFFF6Ah), then the track's data from LBA 0.
    const pregap = new Uint8Array(150 * 2048);
    await ok(drive, { cdb: fromHex("2a00ffffff6a00009600"), direction: "out", dataOut: pregap });
    await ok(drive, W(0, 10));
    await ok(drive, buildSynchronizeCache());
    expect(disc.state.sessions[0]!.closed).toBe(true);
    expect(disc.state.tracks[0]).toMatchObject({ start: 0, size: 10 });
    expect(disc.state.finalized).toBe(false); // multi-session field 11b: appendable
  });

  it("SEND CUE SHEET on a DVD is a command sequence error", async () => {
    const { drive } = await rig("dvd-r", { personality: PERSONALITIES["dvd-rw-drive"] });
    const cue = new Uint8Array(8);
    expect(senseOf(await fails(drive, { ...buildSendCueSheet({ cueSheetSize: 8 }, cue), dataOut: cue }))).toBe("05/2c/00");
  });
});

describe("speeds", () => {
  it("SET CD SPEED picks the fastest supported speed not above the request; page 2Ah and the drain rate follow", async () => {
    const { drive } = await rig("dvd+r", { personality: PERSONALITIES["dvd-rw-drive"] });
    await ok(drive, buildSetCdSpeed({ readSpeed: 0xffff, writeSpeed: 12000 }));
    const list = modeParameterList10Codec.decode(await ok(drive, buildModeSense10({ pageCode: 0x2a, allocationLength: 255 })));
    expect(capabilitiesPageCodec.decode(modePageBytes(list.pages[0]!)).currentWriteSpeed).toBe(11080); // 8x
    expect(drive.writeRate).toBeCloseTo(8 * 1_385_000, 6);
  });
});

describe("close functions per medium", () => {
  it("DVD+R DL close function 4 closes the session and stays appendable", async () => {
    const { drive, disc } = await rig("dvd+r-dl", { personality: PERSONALITIES["dvd-rw-drive"] });
    await ok(drive, W(0, 32));
    await ok(drive, buildCloseTrackSession({ closeFunction: "dvdPlusRDlCloseSessionMinimalRadius", trackNumber: 0 }));
    expect(disc.state).toMatchObject({ finalized: false });
    expect(disc.state.sessions.length).toBe(2);
  });

  it("DVD+RW: quick stop of a running background format leaves it incomplete", async () => {
    const { drive, disc } = await rig("dvd+rw");
    await ok(drive, { cdb: fromHex("041100000000"), direction: "out", dataOut: fromHex("00000008ffffffff98000000") });
    await ok(drive, buildCloseTrackSession({ closeFunction: "stopBackgroundFormatQuick", trackNumber: 0 }));
    expect(disc.state.format).toBe("incomplete");
    // Finalizing formats the rest of the disc: minutes, so the host uses IMMED.
    await ok(drive, buildCloseTrackSession({ closeFunction: "dvdPlusRwFinalize", trackNumber: 0, immed: true }));
    expect(disc.state.format).toBe("formatted");
    expect(senseOf(await fails(drive, { cdb: new Uint8Array(6), direction: "none" }))).toBe("02/04/07");
  });
});

describe("events and mechanism", () => {
  it("the eject button: an eject request event; refused while prevented, the tray stays closed", async () => {
    const { drive } = await rig("dvd+r");
    await ok(drive, buildGetEventStatusNotification({ classes: { media: true }, allocationLength: 8 })); // consume "new media"
    await ok(drive, buildPreventAllowMediumRemoval({ prevent: true }));
    drive.pressEjectButton();
    const ev = eventStatusCodec.decode(await ok(drive, buildGetEventStatusNotification({ classes: { media: true }, allocationLength: 8 })));
    expect(ev.event).toMatchObject({ class: "media", eventCode: 1, mediaPresent: true, doorOpen: false });
    expect(mechanismStatusCodec.decode(await ok(drive, buildMechanismStatus({ allocationLength: 8 }))).doorOpen).toBe(false);
    await ok(drive, buildPreventAllowMediumRemoval({ prevent: false }));
    drive.pressEjectButton();
    expect(mechanismStatusCodec.decode(await ok(drive, buildMechanismStatus({ allocationLength: 8 }))).doorOpen).toBe(true);
    expect((await exec(drive, buildGetEventStatusNotification({ classes: { media: true }, allocationLength: 8 }))).kind).toBe("good");
  });
});
