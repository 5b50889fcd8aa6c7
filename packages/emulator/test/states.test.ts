/** Media state machines, refusals, tray and unit attentions, test write, rewritable media. */
import { describe, expect, it } from "vitest";
import { fromHex } from "@discforge/bytes";
import {
  buildBlank,
  buildCloseTrackSession,
  buildFormatUnit,
  buildModeSelect10,
  buildModeSense10,
  buildPreventAllowMediumRemoval,
  buildRead10,
  buildReadDiscInformation,
  buildReadTrackInformation,
  buildReserveTrack,
  buildStartStopUnit,
  buildSynchronizeCache,
  buildTestUnitReady,
  buildWrite10,
  discInformationCodec,
  trackInformationCodec,
  modeParameterList10Codec,
  modePageBytes,
  writeParametersPageCodec,
  encodeModeSelectParameterList,
  rawModePage,
  type WriteParametersPage,
} from "@discforge/mmc";
import { EmulatedDrive, PERSONALITIES, VirtualClock, VirtualDisc } from "../src/index.js";

type WriteParametersPatch = Partial<WriteParametersPage>;
import { blocks, exec, fails, ok, rig, senseOf } from "./harness.js";

const W = (lba: number, n: number, tag = 0) => ({ ...buildWrite10({ lba, transferLength: n }, blocks(lba, n, tag)), dataOut: blocks(lba, n, tag) });

async function setWriteParameters(drive: EmulatedDrive, patch: WriteParametersPatch): Promise<ReturnType<typeof exec>> {
  const list = modeParameterList10Codec.decode(await ok(drive, buildModeSense10({ pageCode: 0x05, allocationLength: 255 })));
  const page = writeParametersPageCodec.decode(modePageBytes(list.pages[0]!));
  const next = writeParametersPageCodec.encode({ ...page, ...patch, ps: false });
  const data = encodeModeSelectParameterList({ mediumType: 0, writeProtected: false, deviceSpecificParameter: 0, longLba: false, blockDescriptors: [], pages: [rawModePage(next)] }, 10);
  return exec(drive, { ...buildModeSelect10({ pf: true, parameterListLength: data.length }, data), dataOut: data });
}

describe("sequential media", () => {
  it("RESERVE TRACK fixes the invisible track; writes fill it; the next track follows", async () => {
    const { drive, disc } = await rig("dvd-r", { personality: PERSONALITIES["dvd-rw-drive"] });
    await ok(drive, buildReserveTrack({ form: "size", reservationSize: 100 }));
    // Reserved size rounds up to the 16-sector ECC block.
    expect(disc.state.tracks.map((t) => [t.number, t.start, t.size, t.reserved])).toEqual([
      [1, 0, 112, true],
      [2, 112, null, false],
    ]);
    await ok(drive, W(0, 112));
    expect(senseOf(await fails(drive, W(112 - 1, 1)))).toBe("05/21/02");
    await ok(drive, W(112, 16, 1));
    const t2 = trackInformationCodec.decode(await ok(drive, buildReadTrackInformation({ addressType: "track", address: 2 })));
    expect(t2).toMatchObject({ trackStartAddress: 112, nextWritableAddress: 128 });
    // A second reservation needs a blank invisible track: 2C/00.
    expect(senseOf(await fails(drive, buildReserveTrack({ form: "size", reservationSize: 16 })))).toBe("05/2c/00");
  });

  it("reads of unrecorded areas are refused with 05/21/00; recorded ones read back", async () => {
    const { drive } = await rig("dvd+r");
    await ok(drive, W(0, 16));
    expect(senseOf(await fails(drive, buildRead10({ lba: 16, transferLength: 1 })))).toBe("05/21/00");
    expect(senseOf(await fails(drive, buildRead10({ lba: 10, transferLength: 8 })))).toBe("05/21/00");
    expect(await ok(drive, buildRead10({ lba: 15, transferLength: 1 }))).toEqual(blocks(15, 1));
  });

  it("a finalized disc refuses writes, reservations and closing again", async () => {
    const { drive } = await rig("dvd+r");
    await ok(drive, W(0, 16));
    await ok(drive, buildCloseTrackSession({ closeFunction: "finalize", trackNumber: 0 }));
    expect(senseOf(await fails(drive, W(16, 16)))).toBe("05/21/02");
    expect(senseOf(await fails(drive, buildReserveTrack({ form: "size", reservationSize: 16 })))).toBe("05/2c/00");
    expect(senseOf(await fails(drive, buildCloseTrackSession({ closeFunction: "closeSession", trackNumber: 0 })))).toBe("05/2c/00");
  });

  it("closing an empty session is a command sequence error; close functions are per medium", async () => {
    const { drive } = await rig("dvd+r");
    expect(senseOf(await fails(drive, buildCloseTrackSession({ closeFunction: "closeSession", trackNumber: 0 })))).toBe("05/2c/00");
    expect(senseOf(await fails(drive, buildCloseTrackSession({ closeFunction: "dvdPlusRwFinalize", trackNumber: 0 })))).toBe("05/24/00");
    const cd = await rig("cd-r", { personality: PERSONALITIES["cd-rw-drive"] });
    await ok(cd.drive, W(0, 10));
    expect(senseOf(await fails(cd.drive, buildCloseTrackSession({ closeFunction: "finalize", trackNumber: 0 })))).toBe("05/24/00");
  });

  it("DVD+R close session leaves the disc appendable; the next session starts after the closure", async () => {
    const { drive, disc } = await rig("dvd+r");
    await ok(drive, W(0, 32));
    await ok(drive, buildCloseTrackSession({ closeFunction: "closeSession", trackNumber: 0 }));
    const di = discInformationCodec.decode(await ok(drive, buildReadDiscInformation()));
    expect(di).toMatchObject({ discStatus: 1, numberOfSessions: 2, stateOfLastSession: 0 });
    const next = disc.state.tracks.at(-1)!;
    expect(next.start % 16).toBe(0);
    expect(next.start).toBeGreaterThan(32);
    await ok(drive, W(next.start, 16, 2));
  });

  it("CD-R without the multi-session field finalizes on close session", async () => {
    const { drive, disc } = await rig("cd-r", { personality: PERSONALITIES["cd-rw-drive"] });
    await ok(drive, W(0, 10));
    await ok(drive, buildCloseTrackSession({ closeFunction: "closeSession", trackNumber: 0 }));
    expect(disc.state.finalized).toBe(true);
  });

  it("DVD-R Disc-at-Once: writes need a reserved track; SYNCHRONIZE CACHE at its end finalizes", async () => {
    const { drive, disc } = await rig("dvd-r", { personality: PERSONALITIES["dvd-rw-drive"] });
    expect((await setWriteParameters(drive, { writeType: 2 })).kind).toBe("good");
    expect(senseOf(await fails(drive, W(0, 16)))).toBe("05/2c/00");
    await ok(drive, buildReserveTrack({ form: "size", reservationSize: 32 }));
    await ok(drive, W(0, 32));
    await ok(drive, buildSynchronizeCache());
    expect(disc.state.finalized).toBe(true);
  });
});

describe("test write", () => {
  it("CD-R: the whole burn runs, nothing is recorded", async () => {
    const { drive, disc } = await rig("cd-r", { personality: PERSONALITIES["cd-rw-drive"] });
    expect((await setWriteParameters(drive, { testWrite: true })).kind).toBe("good");
    await ok(drive, W(0, 50));
    const ti = trackInformationCodec.decode(await ok(drive, buildReadTrackInformation({ addressType: "track", address: 1 })));
    expect(ti.nextWritableAddress).toBe(50); // the drive plays the burn through
    await ok(drive, buildSynchronizeCache());
    await ok(drive, buildCloseTrackSession({ closeFunction: "closeTrack", trackNumber: 1 }));
    await ok(drive, buildCloseTrackSession({ closeFunction: "closeSession", trackNumber: 0 }));
    expect(disc.state.tracks).toEqual([{ number: 1, session: 1, start: 0, size: null, nwa: 0, reserved: false, closed: false, damaged: false }]);
    expect(disc.store.sizeBlocks).toBe(0);
    const di = discInformationCodec.decode(await ok(drive, buildReadDiscInformation()));
    expect(di.discStatus).toBe(0);
  });

  it("refused on DVD+R and BD-R with 05/26/00 pointing at the Test Write bit", async () => {
    for (const media of ["dvd+r", "bd-r"] as const) {
      const { drive } = await rig(media);
      const r = await setWriteParameters(drive, { testWrite: true });
      expect(r.kind).toBe("check-condition");
      if (r.kind !== "check-condition") continue;
      expect([r.sense[2]! & 15, r.sense[12], r.sense[13]]).toEqual([5, 0x26, 0]);
      expect([r.sense[15], (r.sense[16]! << 8) | r.sense[17]!]).toEqual([0x80 | 0x08 | 4, 8 + 2]); // SKSV, BPV bit 4; byte 10 of the list
    }
  });
});

describe("rewritable media", () => {
  it("CD-RW: full BLANK returns the disc to blank and erases data", async () => {
    const { drive, disc, clock } = await rig("cd-rw", { personality: PERSONALITIES["cd-rw-drive"] });
    await ok(drive, W(0, 20));
    await ok(drive, buildCloseTrackSession({ closeFunction: "closeSession", trackNumber: 0 }));
    expect(disc.state.finalized).toBe(true);
    // A full blank takes minutes (the whole disc at 24x): with IMMED the drive reports progress.
    await ok(drive, buildBlank({ blankingType: "full", immed: true }));
    expect(senseOf(await fails(drive, buildTestUnitReady()))).toBe("02/04/07");
    clock.advance(200_000);
    await ok(drive, buildTestUnitReady());
    expect(disc.model.discStatus()).toBe("blank");
    expect(disc.store.sizeBlocks).toBe(0);
    expect(senseOf(await fails(drive, buildRead10({ lba: 0, transferLength: 1 })))).toBe("05/21/00");
  });

  it("CD-RW: unclose last session makes a finalized disc appendable again", async () => {
    const { drive, disc } = await rig("cd-rw", { personality: PERSONALITIES["cd-rw-drive"] });
    await ok(drive, W(0, 20));
    await ok(drive, buildCloseTrackSession({ closeFunction: "closeSession", trackNumber: 0 }));
    await ok(drive, buildBlank({ blankingType: "uncloseSession" }));
    expect(disc.state.finalized).toBe(false);
    const nwa = disc.model.nextWritableAddress()!;
    expect(nwa).toBeGreaterThan(20);
    await ok(drive, W(nwa, 5));
  });

  it("CD-RW: blank the last track, un-reserve a reserved track, cut a track tail", async () => {
    const { drive, disc } = await rig("cd-rw", { personality: PERSONALITIES["cd-rw-drive"] });
    await ok(drive, W(0, 30));
    await ok(drive, buildCloseTrackSession({ closeFunction: "closeTrack", trackNumber: 1 }));
    const t2 = disc.model.nextWritableAddress()!;
    await ok(drive, W(t2, 10));
    await ok(drive, buildBlank({ blankingType: "trackTail", startAddress: t2 + 4 }));
    expect(disc.state.tracks[1]!.nwa).toBe(t2 + 4);
    await ok(drive, buildBlank({ blankingType: "track", startAddress: 2 }));
    expect(disc.state.tracks.map((t) => [t.number, t.nwa, t.closed])).toEqual([
      [1, 30, true],
      [2, t2, false],
    ]);
    expect(disc.store.sizeBlocks).toBe(30);
    await ok(drive, buildReserveTrack({ form: "size", reservationSize: 50 }));
    await ok(drive, buildBlank({ blankingType: "unreserveTrack" }));
    expect(disc.state.tracks.at(-1)).toMatchObject({ number: 2, size: null, reserved: false });
    expect(senseOf(await fails(drive, buildBlank({ blankingType: "unreserveTrack" })))).toBe("05/2c/00");
  });

  it("BLANK on CD-R is refused", async () => {
    const { drive } = await rig("cd-r", { personality: PERSONALITIES["cd-rw-drive"] });
    expect(senseOf(await fails(drive, buildBlank({ blankingType: "minimal" })))).toBe("05/30/06");
  });

  it("DVD+RW: unformatted refuses writes; background format allows them at once and finishes later", async () => {
    const { drive, disc, clock } = await rig("dvd+rw");
    expect(senseOf(await fails(drive, W(1000, 16)))).toBe("02/30/10");
    // Header: IMMED; descriptor: all blocks, format type 26h (DVD+RW background format).
    const params = fromHex("00020008" + "ffffffff" + "98000000");
    await ok(drive, { ...buildFormatUnit({}, params), dataOut: params });
    expect(disc.state.format).toBe("running");
    expect(senseOf(await fails(drive, buildTestUnitReady()))).toBe("02/04/04"); // lead-in being written
    clock.advance(1000);
    await ok(drive, W(1000, 16)); // random write while formatting in the background
    await ok(drive, W(0, 16));
    clock.advance(3_600_000);
    await ok(drive, buildTestUnitReady());
    expect(disc.state.format).toBe("formatted");
    expect(await ok(drive, buildRead10({ lba: 1000, transferLength: 16 }))).toEqual(blocks(1000, 16));
  });

  it("BD-RE: FORMAT UNIT type 31h gives the full capacity without spare; writes anywhere", async () => {
    const { drive, disc } = await rig("bd-re");
    const params = fromHex("00 00 00 08 00 ba 74 00 c4 00 00 00".replace(/ /g, ""));
    await ok(drive, { cdb: fromHex("04 11 00 00 00 00".replace(/ /g, "")), direction: "out", dataOut: params });
    expect(disc.state).toMatchObject({ format: "formatted", spare: false, capacity: 12_219_392 });
    await ok(drive, W(12_219_392 - 32, 32));
    expect(senseOf(await fails(drive, W(12_219_392 - 16, 32)))).toBe("05/21/00");
  });

  it("DVD-RW: FORMAT makes it restricted overwrite (profile 13h); BLANK makes it sequential again", async () => {
    const { drive, disc } = await rig("dvd-rw", { personality: PERSONALITIES["dvd-rw-drive"] });
    // Quick format (15h) to restricted overwrite, waiting for it to complete.
    const params = fromHex("00 00 00 08 00 23 10 a0 54 00 00 10".replace(/ /g, ""));
    await ok(drive, { cdb: fromHex("04 11 00 00 00 00".replace(/ /g, "")), direction: "out", dataOut: params });
    expect(disc.state.restrictedOverwrite).toBe(true);
    await ok(drive, W(5000, 16));
    await ok(drive, W(0, 16));
    await ok(drive, buildBlank({ blankingType: "minimal" }));
    expect(disc.state.restrictedOverwrite).toBe(false);
    expect(disc.model.discStatus()).toBe("blank");
  });

  it("FORMAT UNIT with a format type the medium does not have: 05/26/00", async () => {
    const { drive } = await rig("dvd+rw");
    const params = fromHex("00 00 00 08 00 00 00 00 c4 00 00 00".replace(/ /g, ""));
    expect(senseOf(await fails(drive, { cdb: fromHex("041100000000"), direction: "out" }, params))).toBe("05/26/00");
  });
});

describe("tray, lock and unit attentions", () => {
  it("29/00 after power-on, then 28/00 after a media change, once each", async () => {
    const clock = new VirtualClock();
    const drive = new EmulatedDrive({ clock, disc: VirtualDisc.blank("cd-r"), personality: PERSONALITIES["cd-rw-drive"] });
    expect(senseOf(await fails(drive, buildTestUnitReady()))).toBe("06/29/00");
    await ok(drive, buildTestUnitReady());
    await ok(drive, buildStartStopUnit({ loej: true, start: false }));
    expect(senseOf(await fails(drive, buildTestUnitReady()))).toBe("02/3a/02");
    drive.remove();
    drive.closeTray();
    expect(senseOf(await fails(drive, buildTestUnitReady()))).toBe("02/3a/01");
    drive.insert(VirtualDisc.blank("cd-rw"));
    await ok(drive, buildStartStopUnit({ loej: true, start: true }));
    expect(senseOf(await fails(drive, buildTestUnitReady()))).toBe("06/28/00");
    await ok(drive, buildTestUnitReady());
  });

  it("PREVENT refuses eject with 05/53/02 until ALLOW", async () => {
    const { drive } = await rig("dvd+r");
    await ok(drive, buildPreventAllowMediumRemoval({ prevent: true }));
    expect(senseOf(await fails(drive, buildStartStopUnit({ loej: true, start: false })))).toBe("05/53/02");
    await ok(drive, buildPreventAllowMediumRemoval({ prevent: false }));
    await ok(drive, buildStartStopUnit({ loej: true, start: false }));
    expect(drive.trayOpen).toBe(true);
  });

  it("spin-up: NOT READY 04/01 until the medium is ready", async () => {
    const clock = new VirtualClock();
    const personality = { ...PERSONALITIES["dvd-rw-drive"], spinUpMs: 2000 };
    const drive = new EmulatedDrive({ clock, personality });
    await exec(drive, buildTestUnitReady());
    drive.insert(VirtualDisc.blank("dvd+r"));
    drive.closeTray();
    expect(senseOf(await fails(drive, buildTestUnitReady()))).toBe("06/28/00");
    expect(senseOf(await fails(drive, buildTestUnitReady()))).toBe("02/04/01");
    clock.advance(2000);
    await ok(drive, buildTestUnitReady());
  });

  it("write protect: 07/27/00", async () => {
    const { drive, disc } = await rig("dvd+rw");
    disc.state.writeProtected = true;
    expect(senseOf(await fails(drive, W(0, 16)))).toBe("07/27/00");
  });

  it("a DVD in the CD-RW drive is an incompatible medium", async () => {
    const { drive } = await rig("dvd+r", { personality: PERSONALITIES["cd-rw-drive"] });
    expect(senseOf(await fails(drive, buildReadDiscInformation()))).toBe("05/30/02");
  });
});
