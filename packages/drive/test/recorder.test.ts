/**
 * Recorder reports against the emulated drive, for every medium and state: what `info` shows
 * must match what the drive was made to hold.
 */
import { describe, it, expect } from "vitest";
import { EmulatedDrive, VirtualDisc, DiscModel, MemoryStore, blankDiscState, romDiscState, BLANK_MEDIA_IDS, type BlankMediaId } from "@discforge/emulator";
import {
  MULTI_SESSION,
  WRITE_TYPE,
  ScsiCheckConditionError,
  buildCloseTrackSession,
  buildModeSelect10,
  buildStartStopUnit,
  buildSynchronizeCache,
  buildWrite10,
  defaultWriteParameters,
  encodeModeSelectParameterList,
  rawModePage,
  writeParametersPageCodec,
} from "@discforge/mmc";
import type { ScsiTransport } from "@discforge/transport";
import { DiscMaster, NoSuchDriveError, NotAnOpticalDriveError, Recorder, RecorderLockedError, type DriveProvider } from "../src/index.js";

function recorderWith(disc: VirtualDisc | undefined): Recorder {
  const drive = new EmulatedDrive({ ...(disc ? { disc } : {}), throttle: false });
  return new Recorder(drive);
}

function blank(media: BlankMediaId): VirtualDisc {
  return new VirtualDisc(new DiscModel(blankDiscState(media)), new MemoryStore());
}

/** Writes `blocks` blocks of a pattern at the NWA, then closes track and session (or finalizes). */
async function writeSession(rec: Recorder, blocks: number, close: "session" | "finalize"): Promise<void> {
  const m = await rec.media({ refresh: true });
  if (m.family === "CD" || m.profile === 0x11) {
    // CD and DVD-R leave the disc open for another session only when the write parameters say so.
    const page = writeParametersPageCodec.encode(
      defaultWriteParameters({ writeType: m.family === "CD" ? WRITE_TYPE.trackAtOnce : WRITE_TYPE.packetIncremental, multiSession: close === "session" ? MULTI_SESSION.open : MULTI_SESSION.closed, bufe: true }),
    );
    const list = encodeModeSelectParameterList({ mediumType: 0, writeProtected: false, deviceSpecificParameter: 0, longLba: false, blockDescriptors: [], pages: [rawModePage(page)] });
    await rec.run(buildModeSelect10({ pf: true, parameterListLength: list.length }, list));
  }
  const nwa = m.nextWritableAddress!;
  const data = new Uint8Array(blocks * 2048).map((_, i) => (i * 7 + nwa) & 0xff);
  await rec.run(buildWrite10({ lba: nwa, transferLength: blocks }, data));
  await rec.run(buildSynchronizeCache({}));
  const track = m.sessions.at(-1)!.tracks.at(-1)!.number;
  await rec.run(buildCloseTrackSession({ closeFunction: "closeTrack", trackNumber: track }));
  // CD and DVD-R close (or finalize) the session per the write parameters; DVD+R and BD-R have a finalize function.
  const fn = close === "finalize" && (m.profile === 0x1b || m.profile === 0x41) ? "finalize" : "closeSession";
  await rec.run(buildCloseTrackSession({ closeFunction: fn, trackNumber: 0 }));
}

const CAPACITY: Record<BlankMediaId, number> = {
  "cd-r": 359_847,
  "cd-rw": 359_847,
  "dvd-r": 2_298_496,
  "dvd-rw": 2_297_888,
  "dvd+r": 2_295_104,
  "dvd+r-dl": 4_173_824,
  "dvd+rw": 2_295_104,
  "dvd-ram": 2_236_704,
  "bd-r": 12_219_392,
  "bd-re": 12_219_392,
};
const PROFILE: Record<BlankMediaId, number> = {
  "cd-r": 0x09,
  "cd-rw": 0x0a,
  "dvd-r": 0x11,
  "dvd-rw": 0x14,
  "dvd+r": 0x1b,
  "dvd+r-dl": 0x2b,
  "dvd+rw": 0x1a,
  "dvd-ram": 0x12,
  "bd-r": 0x41,
  "bd-re": 0x43,
};

describe("Recorder on the emulated drive", () => {
  it.each(BLANK_MEDIA_IDS)("reports a blank %s with its profile, capacity and writability", async (media) => {
    const rec = recorderWith(blank(media));
    const m = await rec.media();
    expect(m.presence).toBe("present");
    expect(m.profile).toBe(PROFILE[media]);
    expect(m.writable).toBe(true);
    expect(m.writeProtected).toBe(false);
    if (m.recording === "sequential") {
      expect(m.status).toBe("blank");
      expect(m.capacityBlocks).toBe(CAPACITY[media]);
      expect(m.freeBlocks).toBe(CAPACITY[media]);
      expect(m.nextWritableAddress).toBe(0);
      expect(m.sessions[0]!.tracks[0]!.state).toBe("invisible");
    } else {
      expect(m.capacityBlocks).toBeGreaterThan(0);
      expect(m.capacityBlocks).toBeLessThanOrEqual(CAPACITY[media]);
    }
    expect(m.testWriteSupported).toBe(["cd-r", "cd-rw", "dvd-r", "dvd-rw"].includes(media));
    expect(m.erasable).toBe(["cd-rw", "dvd-rw", "dvd+rw", "dvd-ram", "bd-re"].includes(media));
    await rec.close();
  });

  it.each(["cd-r", "dvd+r", "dvd-r", "bd-r"] as const)("reports an appendable %s after one closed session, then a complete one", async (media) => {
    const rec = recorderWith(blank(media));
    await writeSession(rec, 64, "session");
    const m = await rec.media({ refresh: true });
    expect(m.status).toBe("appendable");
    expect(m.sessions.length).toBe(2);
    const first = m.sessions[0]!.tracks[0]!;
    expect(first.state).toBe("complete");
    expect(first.start).toBe(0);
    expect(first.size).toBeGreaterThanOrEqual(64);
    expect(m.nextWritableAddress).toBeGreaterThan(first.start + first.size - 1);
    expect(m.lastSessionStart).toBe(m.sessions[1]!.start);
    expect(m.freeBlocks + m.nextWritableAddress!).toBe(m.capacityBlocks);
    expect(m.writable).toBe(true);

    await writeSession(rec, 32, "finalize");
    const done = await rec.media({ refresh: true });
    expect(done.status).toBe("complete");
    expect(done.writable).toBe(false);
    expect(done.freeBlocks).toBe(0);
    await rec.close();
  });

  it("reports a pressed DVD-ROM as complete, read-only and write protected", async () => {
    const rec = recorderWith(new VirtualDisc(new DiscModel(romDiscState("dvd-rom", 1000)), new MemoryStore()));
    const m = await rec.media();
    expect(m.profile).toBe(0x10);
    expect(m.kind).toBe("rom");
    expect(m.status).toBe("complete");
    expect(m.writable).toBe(false);
    expect(m.capacityBlocks).toBe(1000);
  });

  it("reports a write-protected blank disc as not writable", async () => {
    const disc = blank("dvd+r");
    disc.state.writeProtected = true;
    const rec = recorderWith(disc);
    const m = await rec.media();
    expect(m.writeProtected).toBe(true);
    expect(m.writable).toBe(false);
  });

  it("reports no media and an open tray, and a disc again after load", async () => {
    const empty = recorderWith(undefined);
    expect((await empty.media()).presence).toBe("no-media");
    expect((await empty.media()).status).toBe("none");

    const rec = recorderWith(blank("cd-r"));
    await rec.eject();
    const open = await rec.media({ refresh: true });
    expect(open.presence).toBe("tray-open");
    expect(open.writable).toBe(false);
    await rec.load();
    expect((await rec.media({ refresh: true })).presence).toBe("present");
  });

  it("refuses eject while medium removal is prevented, with the drive's sense", async () => {
    const rec = recorderWith(blank("cd-r"));
    await rec.lock();
    const err = await rec.run(buildStartStopUnit({ loej: true, start: false })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScsiCheckConditionError);
    expect((err as ScsiCheckConditionError).asc).toBe(0x53);
    await rec.unlock();
    await rec.eject();
  });

  it("reads identity, serial number and the profile list with the current profile marked", async () => {
    const rec = recorderWith(blank("dvd+r"));
    const id = await rec.identity();
    expect(id.isMmc).toBe(true);
    expect(id.vendorId).toBe("DISCFRGE");
    expect(id.serialNumber).toMatch(/^EMU/);
    const p = await rec.profiles();
    expect(p.current).toBe(0x1b);
    expect(p.supported.filter((x) => x.current).map((x) => x.code)).toEqual([0x1b]);
    const caps = await rec.capabilities();
    expect(caps.writableProfiles.map((w) => w.profile)).toContain(0x1b);
    expect(caps.bufe).toBe(true);
    expect(await rec.supportedModePages()).toEqual(expect.arrayContaining([0x01, 0x05, 0x2a]));
  });

  it("offers write speeds for writable media and none for pressed discs", async () => {
    const rec = recorderWith(blank("bd-r"));
    const m = await rec.media();
    expect(m.writeSpeeds.length).toBeGreaterThan(0);
    expect(m.writeSpeeds.every((s) => s.kbps > 0 && s.x >= 1)).toBe(true);
  });

  it("finds a rewritable disc heuristically blank until data is written", async () => {
    const disc = blank("dvd+rw");
    const rec = recorderWith(disc);
    await rec.run({ ...buildStartStopUnit({ start: true }) });
    expect(await rec.heuristicallyBlank()).toBe(true);
  });

  it("keeps exclusive access between recorders of the same drive and names the owner", async () => {
    const disc = blank("cd-r");
    const a = new Recorder(new EmulatedDrive({ disc, throttle: false, description: "emu:shared-test" }));
    const b = new Recorder(new EmulatedDrive({ disc, throttle: false, description: "emu:shared-test" }));
    await a.acquireExclusiveAccess("burner A");
    await expect(b.acquireExclusiveAccess("burner B")).rejects.toBeInstanceOf(RecorderLockedError);
    expect((await b.exclusiveAccessOwner())?.clientName).toBe("burner A");
    await a.releaseExclusiveAccess();
    await b.acquireExclusiveAccess("burner B");
    expect((await a.exclusiveAccessOwner())?.clientName).toBe("burner B");
    await b.releaseExclusiveAccess();
  });

  it("notifies media arrival and removal (MCN)", async () => {
    const rec = recorderWith(blank("cd-r"));
    const seen: string[] = [];
    const stop = rec.enableMcn((e) => seen.push(e.kind));
    // Drive the watcher by hand: eject, poll, load, poll.
    const watcher = (rec as unknown as { mcn: { poll(): Promise<void> } }).mcn;
    await watcher.poll(); // the "new media" event of the initial load
    await rec.eject();
    await watcher.poll();
    await rec.load();
    await watcher.poll();
    stop();
    expect(seen).toContain("media-removed");
    expect(seen.at(-1)).toBe("media-arrived");
  });
});

describe("DiscMaster.open", () => {
  /** A provider whose one device answers INQUIRY as a disk (type 00h) and records what it was sent. */
  function diskProvider(sent: number[]): DriveProvider {
    const transport: ScsiTransport = {
      description: "/dev/sgX",
      maxTransferBytes: 65536,
      async execute(cmd) {
        sent.push(cmd.cdb[0]!);
        const inquiry = new Uint8Array(36);
        inquiry[0] = 0x00; // direct access block device
        inquiry[4] = 31;
        return cmd.cdb[0] === 0x12 ? { kind: "good", data: inquiry.subarray(0, cmd.dataInLength), residual: 0, durationMs: 0 } : { kind: "good", data: new Uint8Array(0), residual: 0, durationMs: 0 };
      },
      async close() {},
    };
    return {
      name: "fake",
      available: () => true,
      enumerate: async () => ({ drives: [], notes: [] }),
      claims: (n) => n === "/dev/sgX",
      open: async () => ({ transport }),
    };
  }

  it("refuses a device that is not an optical drive after one INQUIRY, naming what it is", async () => {
    const sent: number[] = [];
    const err = await new DiscMaster([diskProvider(sent)]).open("/dev/sgX").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotAnOpticalDriveError);
    expect((err as Error).message).toMatch(/not an optical drive: it reports itself as direct access block device \(peripheral device type 00h/);
    expect(sent).toEqual([0x12]);
  });

  it("opens it anyway for low-level diagnostics when asked", async () => {
    const rec = await new DiscMaster([diskProvider([])]).open("/dev/sgX", { allowNonOptical: true });
    expect((await rec.inquiry()).peripheralDeviceType).toBe(0);
  });

  it("names the known drives when a name matches none", async () => {
    await expect(new DiscMaster([diskProvider([])]).open("linux:1:2:3:4")).rejects.toBeInstanceOf(NoSuchDriveError);
  });
});
