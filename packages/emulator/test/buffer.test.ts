/** The drive buffer on the virtual clock: exact fill, drain, waits and underruns. */
import { describe, expect, it } from "vitest";
import {
  buildModeSelect10,
  buildModeSense10,
  buildReadBufferCapacity,
  buildReadTrackInformation,
  buildSynchronizeCache,
  buildTestUnitReady,
  buildWrite10,
  bufferCapacityBytesCodec,
  encodeModeSelectParameterList,
  modePageBytes,
  modeParameterList10Codec,
  rawModePage,
  trackInformationCodec,
  writeParametersPageCodec,
} from "@discforge/mmc";
import { PERSONALITIES, type EmulatedDrive } from "../src/index.js";
import { blocks, fails, ok, rig, senseOf } from "./harness.js";

const MIB = 1024 * 1024;
/** DVD 16x in the DVD±RW drive: 22,160 kB/s, i.e. 16 × 1,385,000 B/s of user data. */
const RATE = 22_160_000;

async function bufe(drive: EmulatedDrive, on: boolean): Promise<void> {
  const list = modeParameterList10Codec.decode(await ok(drive, buildModeSense10({ pageCode: 0x05, allocationLength: 255 })));
  const page = writeParametersPageCodec.decode(modePageBytes(list.pages[0]!));
  const data = encodeModeSelectParameterList({ mediumType: 0, writeProtected: false, deviceSpecificParameter: 0, longLba: false, blockDescriptors: [], pages: [rawModePage(writeParametersPageCodec.encode({ ...page, bufe: on, ps: false }))] }, 10);
  await ok(drive, { ...buildModeSelect10({ pf: true, parameterListLength: data.length }, data), dataOut: data });
}

async function blank(drive: EmulatedDrive): Promise<number> {
  return bufferCapacityBytesCodec.decode(await ok(drive, buildReadBufferCapacity())).blankLengthOfBuffer;
}

const write = (drive: EmulatedDrive, lba: number, n: number) => ok(drive, { ...buildWrite10({ lba, transferLength: n }, blocks(lba, n)), dataOut: blocks(lba, n) });

describe("drive buffer", () => {
  it("fills from WRITE and drains at the write speed once recording starts", async () => {
    const { drive, clock } = await rig("dvd+r", { personality: PERSONALITIES["dvd-rw-drive"] });
    expect(await blank(drive)).toBe(2 * MIB);
    await write(drive, 0, 256); // 512 KiB: below the start threshold, nothing drains
    clock.advance(50);
    expect(await blank(drive)).toBe(2 * MIB - 512 * 1024);
    await write(drive, 256, 256); // 1 MiB: recording starts
    clock.advance(10);
    expect(await blank(drive)).toBe(Math.floor(MIB + RATE * 0.01));
  });

  it("a full buffer makes WRITE wait exactly until the data fits", async () => {
    const { drive } = await rig("dvd+r", { personality: PERSONALITIES["dvd-rw-drive"] });
    await write(drive, 0, 512);
    await write(drive, 512, 512);
    expect(await blank(drive)).toBe(0);
    await write(drive, 1024, 256);
    const last = drive.trace.all.filter((e) => e.name === "WRITE(10)").at(-1)!;
    expect(last.durationMs).toBeCloseTo(((512 * 1024) / RATE) * 1000, 9);
    expect(await blank(drive)).toBe(0);
  });

  it("running dry with BUFE off: 03/0C/09 loss of streaming and a damaged track", async () => {
    const { drive, clock, disc } = await rig("dvd+r", { personality: PERSONALITIES["dvd-rw-drive"] });
    await bufe(drive, false);
    await write(drive, 0, 512);
    clock.advance(100); // 1 MiB drains in 47 ms; the host is late
    const s = await fails(drive, { ...buildWrite10({ lba: 512, transferLength: 16 }, blocks(512, 16)), dataOut: blocks(512, 16) });
    expect(senseOf(s)).toBe("03/0c/09");
    const ti = trackInformationCodec.decode(await ok(drive, buildReadTrackInformation({ addressType: "track", address: 1 })));
    expect(ti.damage).toBe(true);
    expect(ti.nwaV).toBe(false);
    expect(disc.state.tracks[0]!.damaged).toBe(true);
    expect(senseOf(await fails(drive, { ...buildWrite10({ lba: 512, transferLength: 16 }, blocks(512, 16)), dataOut: blocks(512, 16) }))).toBe("05/21/02");
  });

  it("running dry with BUFE on: the drive links, carries on and counts it", async () => {
    const { drive, clock, disc } = await rig("dvd+r", { personality: PERSONALITIES["dvd-rw-drive"] });
    await bufe(drive, true);
    await write(drive, 0, 512);
    clock.advance(100);
    await write(drive, 512, 16);
    clock.advance(1);
    await write(drive, 528, 16);
    expect(disc.state.links).toBe(1);
    expect(disc.state.tracks[0]).toMatchObject({ damaged: false, nwa: 544 });
  });

  it("keeping the buffer fed never underruns", async () => {
    const { drive, clock, disc } = await rig("dvd+r", { personality: PERSONALITIES["dvd-rw-drive"] });
    await bufe(drive, false);
    // 64 KiB every 2.5 ms is 26 MB/s: faster than the 22 MB/s the medium takes.
    for (let lba = 0; lba < 32 * 400; lba += 32) {
      await write(drive, lba, 32);
      clock.advance(2.5);
    }
    expect(disc.state.links).toBe(0);
    expect(disc.state.tracks[0]!.damaged).toBe(false);
  });

  it("SYNCHRONIZE CACHE takes the time the buffered data needs; IMMED reports 02/04/08 meanwhile", async () => {
    const { drive, clock } = await rig("dvd+r", { personality: PERSONALITIES["dvd-rw-drive"] });
    await write(drive, 0, 512);
    await ok(drive, buildSynchronizeCache());
    const sync = drive.trace.all.at(-1)!;
    expect(sync.durationMs).toBeCloseTo((MIB / RATE) * 1000, 9);
    await write(drive, 512, 512);
    await ok(drive, buildSynchronizeCache({ immed: true }));
    expect(senseOf(await fails(drive, buildTestUnitReady()))).toBe("02/04/08");
    clock.advance((MIB / RATE) * 1000);
    await ok(drive, buildTestUnitReady());
    expect(await blank(drive)).toBe(2 * MIB);
  });
});
