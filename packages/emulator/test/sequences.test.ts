/**
 * Burns as established burners send them, checked on the resulting disc bytes and state. The
 * commands are built with the mmc package's CDB builders and the answers decoded with its
 * decoders, so the emulator is checked against an independent codec.
 */
import { describe, expect, it } from "vitest";
import {
  buildCloseTrackSession,
  buildGetConfiguration,
  buildGetPerformance,
  buildModeSelect10,
  buildModeSense10,
  buildRead10,
  buildReadBufferCapacity,
  buildReadDiscInformation,
  buildReadToc,
  buildReadTrackInformation,
  buildStartStopUnit,
  buildSynchronizeCache,
  buildWrite10,
  configurationCodec,
  discInformationCodec,
  trackInformationCodec,
  modeParameterList10Codec,
  modePageBytes,
  writeParametersPageCodec,
  encodeModeSelectParameterList,
  rawModePage,
  writeSpeedPerformanceCodec,
  bufferCapacityBytesCodec,
  formattedTocCodec,
  multiSessionInfoCodec,
  rawTocCodec,
  atipCodec,
  buildSendCueSheet,
  buildReadCd,
  cueSheetCodec,
} from "@discforge/mmc";
import { cdMode1Sector } from "../src/cd/sector.js";
import { PERSONALITIES, CD_SESSION_GAP_FIRST, CD_TRACK_GAP, type EmulatedDrive } from "../src/index.js";
import { blocks, ok, rig } from "./harness.js";

async function writeParameters(drive: EmulatedDrive, change: (p: ReturnType<typeof writeParametersPageCodec.decode>) => Parameters<typeof writeParametersPageCodec.encode>[0]): Promise<void> {
  const sense = await ok(drive, buildModeSense10({ pageCode: 0x05, allocationLength: 255 }));
  const list = modeParameterList10Codec.decode(sense);
  const page = writeParametersPageCodec.decode(modePageBytes(list.pages[0]!));
  const next = writeParametersPageCodec.encode({ ...change(page), ps: false });
  const data = encodeModeSelectParameterList({ mediumType: 0, writeProtected: false, deviceSpecificParameter: 0, longLba: false, blockDescriptors: [], pages: [rawModePage(next)] }, 10);
  await ok(drive, buildModeSelect10({ pf: true, parameterListLength: data.length }, data), data);
}

describe("DVD+R burn as growisofs sends it", () => {
  it("records the image at LBA 0, finalizes, and the disc reads back exactly", async () => {
    const { drive, disc } = await rig("dvd+r", { personality: PERSONALITIES["dvd-rw-drive"] });
    drive.trace.clear();
    const config = configurationCodec.decode(await ok(drive, buildGetConfiguration({ allocationLength: 65530 })));
    expect(config.currentProfile).toBe(0x001b);
    const di = discInformationCodec.decode(await ok(drive, buildReadDiscInformation()));
    expect(di.discStatus).toBe(0); // blank
    expect(di.erasable).toBe(false);
    const ti = trackInformationCodec.decode(await ok(drive, buildReadTrackInformation({ addressType: "track", address: 1 })));
    expect(ti).toMatchObject({ trackNumber: 1, nwaV: true, nextWritableAddress: 0, freeBlocks: 2_295_104, blank: true });
    await ok(drive, buildModeSense10({ pageCode: 0x05, allocationLength: 255 }));
    await ok(drive, buildModeSense10({ pageCode: 0x2a, allocationLength: 255 }));
    await writeParameters(drive, (p) => ({ ...p, bufe: true, writeType: 0, trackMode: 5 }));
    const speeds = writeSpeedPerformanceCodec.decode(await ok(drive, buildGetPerformance({ type: "writeSpeed", maxDescriptors: 16 })));
    expect(speeds.descriptors.map((d) => d.writeSpeed)).toEqual([22160, 11080, 5540]); // 16x, 8x, 4x

    const writes = 320;
    let lba = 0;
    for (let i = 0; i < writes; i++) {
      await ok(drive, buildWrite10({ lba, transferLength: 16 }, blocks(lba, 16)), blocks(lba, 16));
      lba += 16;
      if ((i + 1) % 64 === 0) {
        const cap = bufferCapacityBytesCodec.decode(await ok(drive, buildReadBufferCapacity()));
        expect(cap.lengthOfBuffer).toBe(2 * 1024 * 1024);
        expect(cap.blankLengthOfBuffer).toBeLessThanOrEqual(cap.lengthOfBuffer);
      }
    }
    await ok(drive, buildSynchronizeCache());
    await ok(drive, buildCloseTrackSession({ closeFunction: "closeTrack", trackNumber: 1 }));
    await ok(drive, buildCloseTrackSession({ closeFunction: "finalize", trackNumber: 0 }));
    const after = discInformationCodec.decode(await ok(drive, buildReadDiscInformation()));
    expect(after.discStatus).toBe(2); // complete
    expect(after.stateOfLastSession).toBe(3);
    await ok(drive, buildStartStopUnit({ loej: true, start: false }));

    expect(drive.trace.summary()).toEqual([
      "GET CONFIGURATION",
      "READ DISC INFORMATION",
      "READ TRACK INFORMATION",
      "MODE SENSE(10) ×3",
      "MODE SELECT(10)",
      "GET PERFORMANCE",
      ...Array.from({ length: 5 }, () => ["WRITE(10) ×64", "READ BUFFER CAPACITY"]).flat(),
      "SYNCHRONIZE CACHE",
      "CLOSE TRACK/SESSION ×2",
      "READ DISC INFORMATION",
      "START STOP UNIT",
    ]);
    expect(drive.trace.all.every((e) => e.result === "good")).toBe(true);
    // The disc: one closed track of exactly the data, padded to nothing (5120 blocks is ECC aligned).
    expect(disc.state.finalized).toBe(true);
    expect(disc.state.tracks).toEqual([{ number: 1, session: 1, start: 0, size: 5120, nwa: 5120, reserved: false, closed: true, damaged: false }]);
    expect(disc.store.sizeBlocks).toBe(5120);
    expect(Buffer.from(disc.store.read(0, 5120)).equals(Buffer.from(blocks(0, 5120)))).toBe(true);
    expect(drive.internalErrors).toEqual([]);
    // Buffer pacing ran on the virtual clock: 10 MiB at 16x DVD takes about 0.47 s of drive time.
    const writeTime = drive.trace.all.filter((e) => e.name === "WRITE(10)").reduce((n, e) => n + e.durationMs, 0);
    expect(writeTime).toBeGreaterThan(300);
    expect(writeTime).toBeLessThan(500);
  });
});

describe("CD-R TAO multisession burn as cdrecord -multi sends it", () => {
  it("writes two sessions; the TOC, session info and raw TOC describe them", async () => {
    const { drive, disc } = await rig("cd-r", { personality: PERSONALITIES["cd-rw-drive"] });
    const sizes = [300, 200];
    const starts: number[] = [];
    for (const [n, size] of sizes.entries()) {
      const config = configurationCodec.decode(await ok(drive, buildGetConfiguration({ allocationLength: 65530 })));
      expect(config.currentProfile).toBe(0x0009);
      const di = discInformationCodec.decode(await ok(drive, buildReadDiscInformation()));
      expect(di.discStatus).toBe(n === 0 ? 0 : 1);
      await writeParameters(drive, (p) => ({ ...p, bufe: true, writeType: 1, multiSession: 3, trackMode: 4, dataBlockType: 8 }));
      const ti = trackInformationCodec.decode(await ok(drive, buildReadTrackInformation({ addressType: "track", address: 0xff })));
      expect(ti.nwaV).toBe(true);
      const start = ti.nextWritableAddress;
      starts.push(start);
      for (let at = start; at < start + size; at += 25) {
        const count = Math.min(25, start + size - at);
        await ok(drive, buildWrite10({ lba: at, transferLength: count }, blocks(at, count, n)), blocks(at, count, n));
      }
      await ok(drive, buildSynchronizeCache());
      await ok(drive, buildCloseTrackSession({ closeFunction: "closeTrack", trackNumber: ti.trackNumber }));
      await ok(drive, buildCloseTrackSession({ closeFunction: "closeSession", trackNumber: 0 }));
    }
    // Second session starts after the first session's lead-out, the next lead-in and pregap.
    expect(starts).toEqual([0, 300 + CD_SESSION_GAP_FIRST]);
    const di = discInformationCodec.decode(await ok(drive, buildReadDiscInformation()));
    expect(di).toMatchObject({ discStatus: 1, numberOfSessions: 3, stateOfLastSession: 0 });
    const toc = formattedTocCodec.decode(await ok(drive, buildReadToc({ format: "toc", allocationLength: 2048 })));
    expect(toc.descriptors.map((d) => [d.trackNumber, d.address])).toEqual([
      [1, 0],
      [2, starts[1]],
      [0xaa, starts[1]! + 200],
    ]);
    const ms = multiSessionInfoCodec.decode(await ok(drive, buildReadToc({ format: "sessionInfo", allocationLength: 12 })));
    expect(ms).toMatchObject({ firstCompleteSession: 1, lastCompleteSession: 2 });
    expect(ms).toMatchObject({ firstTrackInLastSession: 2, startAddress: starts[1] });
    const raw = rawTocCodec.decode(await ok(drive, buildReadToc({ format: "fullToc", allocationLength: 4096 })));
    expect(raw.descriptors.filter((d) => d.point === 0xb0).length).toBe(2);
    // The data: each session where the drive said, the rest of the file a hole.
    expect(Buffer.from(disc.store.read(0, 300)).equals(Buffer.from(blocks(0, 300, 0)))).toBe(true);
    expect(Buffer.from(disc.store.read(starts[1]!, 200)).equals(Buffer.from(blocks(starts[1]!, 200, 1)))).toBe(true);
    const back = await ok(drive, buildRead10({ lba: starts[1]!, transferLength: 2 }));
    expect(Buffer.from(back).equals(Buffer.from(blocks(starts[1]!, 2, 1)))).toBe(true);
    expect(CD_TRACK_GAP).toBe(152);
    expect(drive.internalErrors).toEqual([]);
  });
});

describe("CD-R session-at-once burn as cdrecord -sao sends it", () => {
  it("sends the cue sheet, writes from the pregap at LBA -150, and the disc is finalized with one track", async () => {
    const { drive, disc } = await rig("cd-r", { personality: PERSONALITIES["cd-rw-drive"] });
    const size = 400;
    expect(configurationCodec.decode(await ok(drive, buildGetConfiguration({ allocationLength: 65530 }))).currentProfile).toBe(0x0009);
    expect(discInformationCodec.decode(await ok(drive, buildReadDiscInformation())).discStatus).toBe(0);
    const atip = atipCodec.decode(await ok(drive, buildReadToc({ format: "atip", allocationLength: 28 })));
    expect(atip.leadInStart.minute).toBe(97);
    await ok(drive, buildModeSense10({ pageCode: 0x2a, allocationLength: 255 }));
    await writeParameters(drive, (p) => ({ ...p, bufe: true, writeType: 2, multiSession: 0, trackMode: 4, dataBlockType: 8 }));
    // Lead-in, track 1 index 0 at 00:00:00 and index 1 at 00:02:00 (Mode 1, 2048 bytes from the host), lead-out.
    const end = size + 150;
    const cue = cueSheetCodec.encode({
      entries: [
        { kind: "position", control: 4, adr: 1, tno: 0, index: 0, subChannelDataForm: 0, mainDataForm: 0x14, scms: false, time: { minute: 0, second: 0, frame: 0 } },
        { kind: "position", control: 4, adr: 1, tno: 1, index: 0, subChannelDataForm: 0, mainDataForm: 0x10, scms: false, time: { minute: 0, second: 0, frame: 0 } },
        { kind: "position", control: 4, adr: 1, tno: 1, index: 1, subChannelDataForm: 0, mainDataForm: 0x10, scms: false, time: { minute: 0, second: 2, frame: 0 } },
        { kind: "position", control: 4, adr: 1, tno: 0xaa, index: 1, subChannelDataForm: 0, mainDataForm: 0x14, scms: false, time: { minute: Math.floor(end / 4500), second: Math.floor(end / 75) % 60, frame: end % 75 } },
      ],
    });
    await ok(drive, buildSendCueSheet({ cueSheetSize: cue.length }, cue), cue);
    let writes = 0;
    for (let at = -150; at < size; at += 31) {
      const count = Math.min(31, size - at);
      const data = at < 0 ? new Uint8Array(Math.min(count, -at) * 2048) : blocks(at, count);
      const n = data.length / 2048;
      const cdb = buildWrite10({ lba: at >>> 0, transferLength: n }, data);
      await ok(drive, cdb, data);
      if (at < 0 && n < count) at -= count - n; // the pregap chunk ended at LBA 0
      if (++writes % 8 === 0) bufferCapacityBytesCodec.decode(await ok(drive, buildReadBufferCapacity({ allocationLength: 12 })));
    }
    await ok(drive, buildSynchronizeCache());
    expect(disc.state.finalized).toBe(true);
    expect(discInformationCodec.decode(await ok(drive, buildReadDiscInformation())).discStatus).toBe(2);
    const toc = formattedTocCodec.decode(await ok(drive, buildReadToc({ format: "toc", allocationLength: 2048 })));
    expect(toc.descriptors.map((d) => [d.trackNumber, d.control, d.address])).toEqual([
      [1, 4, 0],
      [0xaa, 4, size],
    ]);
    expect(Buffer.from(disc.store.read(0, size)).equals(Buffer.from(blocks(0, size)))).toBe(true);
    const raw = await ok(drive, buildReadCd({ lba: 16, transferLength: 1, expectedSectorType: "mode1", sync: true, headerCodes: "header", userData: true, edcEcc: true }));
    expect(Buffer.from(raw).equals(Buffer.from(cdMode1Sector(16, blocks(16, 1))))).toBe(true);
    expect(drive.internalErrors).toEqual([]);
  });
});

describe("BD-R burn", () => {
  it("writes 32-block units, closes the track and finalizes", async () => {
    const { drive, disc } = await rig("bd-r", { personality: PERSONALITIES["bd-writer"] });
    const config = configurationCodec.decode(await ok(drive, buildGetConfiguration({ allocationLength: 65530 })));
    expect(config.currentProfile).toBe(0x0041);
    const ti = trackInformationCodec.decode(await ok(drive, buildReadTrackInformation({ addressType: "track", address: 1 })));
    expect(ti.freeBlocks).toBe(12_219_392);
    await writeParameters(drive, (p) => ({ ...p, bufe: true, writeType: 0 }));
    for (let lba = 0; lba < 100 * 32; lba += 32) await ok(drive, buildWrite10({ lba, transferLength: 32 }, blocks(lba, 32)), blocks(lba, 32));
    // A write away from the NWA is refused with 21/02 and changes nothing.
    const r = await drive.execute({ ...buildWrite10({ lba: 0, transferLength: 1 }, blocks(0, 1)), dataOut: blocks(0, 1), timeoutMs: 1000 });
    expect(r.kind === "check-condition" ? [r.sense[2]! & 15, r.sense[12], r.sense[13]] : r).toEqual([5, 0x21, 0x02]);
    await ok(drive, buildSynchronizeCache());
    await ok(drive, buildCloseTrackSession({ closeFunction: "closeTrack", trackNumber: 1 }));
    await ok(drive, buildCloseTrackSession({ closeFunction: "finalize", trackNumber: 0 }));
    const di = discInformationCodec.decode(await ok(drive, buildReadDiscInformation()));
    expect(di.discStatus).toBe(2);
    expect(disc.state.tracks[0]).toMatchObject({ size: 3200, closed: true });
    expect(Buffer.from(disc.store.read(3199, 1)).equals(Buffer.from(blocks(3199, 1)))).toBe(true);
  });
});
