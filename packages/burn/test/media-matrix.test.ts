/**
 * Every writable medium against the emulated drive: blank burn, appendable burn (a new session on
 * sequential media, growing in place on overwritable media), closed disc refused, write protected
 * refused, no media refused, simulate (disc stays blank) or refused, eject after burn; the virtual
 * disc read back equals the source.
 */
import { describe, expect, it } from "vitest";
import { BurnError, DataWriter, bytesSource, type BurnResult } from "../src/index.js";
import type { BlankMediaId } from "@discforge/emulator";
import { discBytes, pattern, rig } from "./helpers.js";

const SEQUENTIAL: readonly BlankMediaId[] = ["cd-r", "cd-rw", "dvd-r", "dvd-rw", "dvd+r", "dvd+r-dl", "bd-r"];
const OVERWRITABLE: readonly BlankMediaId[] = ["dvd+rw", "dvd-ram", "bd-re"];
const SIMULATES: ReadonlySet<BlankMediaId> = new Set(["cd-r", "cd-rw", "dvd-r", "dvd-rw"]);

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

async function expectBurnError(p: Promise<unknown>, imapi: string): Promise<BurnError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e, `expected ${imapi}`).toBeInstanceOf(BurnError);
  expect((e as BurnError).imapiCode.name).toBe(imapi);
  return e as BurnError;
}

function writesSent(r: ReturnType<typeof rig>): number {
  return r.drive.trace.all.filter((e) => e.opcode === 0x2a || e.opcode === 0xaa).length;
}

describe.each([...SEQUENTIAL, ...OVERWRITABLE])("%s", (media) => {
  const sequential = SEQUENTIAL.includes(media);

  it("burns a blank disc and reads back the source (full verify)", async () => {
    const r = rig(media);
    const data = pattern(300);
    const result = await new DataWriter(r.recorder).write(bytesSource(data), { verify: "full" });
    expect(result.verification).toMatchObject({ mode: "full", sectorsChecked: 300, passed: true, differingSectors: [] });
    expect(result.startLba).toBe(0);
    expect(same(discBytes(r.disc, 0, 300), data)).toBe(true);
    if (sequential) {
      expect(result.discState.status).toBe("appendable");
      expect(result.closed).toBe("session");
    }
  });

  it("appends (new session at the NWA, or grown in place with LBA 16 written last)", async () => {
    const r = rig(media);
    const first = pattern(200, 1);
    const w = new DataWriter(r.recorder);
    const a = await w.write(bytesSource(first), { verify: "quick" });
    if (sequential) {
      const nwa = a.discState.nextWritableAddress!;
      expect(nwa).toBeGreaterThan(200);
      const second = pattern(150, 2);
      const b = await w.write(bytesSource(second, { startLba: nwa }), { verify: "full" });
      expect(b.startLba).toBe(nwa);
      expect(b.discState.sessions).toBeGreaterThanOrEqual(2);
      expect(same(discBytes(r.disc, nwa, 150), second)).toBe(true);
      expect(same(discBytes(r.disc, 0, 200), first)).toBe(true);
    } else {
      // The grown image: old sectors kept, new data after them, new descriptors at 16..31.
      const grown = new Uint8Array(320 * 2048);
      grown.set(first);
      const vd = pattern(16, 9);
      grown.set(vd, 16 * 2048);
      grown.set(pattern(120, 3), 200 * 2048);
      const before = r.drive.trace.all.length;
      const b = await w.write(bytesSource(grown, { changedRanges: [{ start: 16, length: 16 }, { start: 200, length: 120 }] }), { verify: "full" });
      expect(b.sectorsWritten).toBe(136);
      expect(same(discBytes(r.disc, 0, 320), grown)).toBe(true);
      const writes = r.drive.trace.all.slice(before).filter((e) => e.opcode === 0x2a);
      const lbas = writes.map((e) => new DataView(e.cdb.buffer, e.cdb.byteOffset).getUint32(2));
      expect(lbas.at(-1)).toBe(16); // volume descriptors last
      expect(lbas.every((l) => l === 16 || l >= 200)).toBe(true);
    }
  });

  if (sequential) {
    it("refuses a closed disc before writing", async () => {
      const r = rig(media);
      const w = new DataWriter(r.recorder);
      const first = await w.write(bytesSource(pattern(64)), { close: true, verify: "quick" });
      expect(first.discState.status).toBe("complete");
      const writes = writesSent(r);
      const e = await expectBurnError(w.write(bytesSource(pattern(16))), "E_IMAPI_DF2DATA_INVALID_MEDIA_STATE");
      expect(e.detail.writeStarted).toBe(false);
      expect(e.message).toMatch(/closed/);
      expect(writesSent(r)).toBe(writes);
    });
  }

  it("refuses a write-protected disc and records nothing", async () => {
    const r = rig(media);
    r.disc.state.writeProtected = true;
    const e = await expectBurnError(new DataWriter(r.recorder).write(bytesSource(pattern(16))), "E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED");
    expect(e.detail.sectorsWritten).toBe(0);
    expect(r.disc.store.read(0, 16).some((b) => b !== 0)).toBe(false);
    if (sequential) expect(r.disc.model.discStatus()).toBe("blank");
  });

  it("sees write protection at preflight (WP bit of the mode parameter header), before any WRITE or FORMAT", async () => {
    const r = rig(media);
    r.disc.state.writeProtected = true;
    await expectBurnError(new DataWriter(r.recorder).write(bytesSource(pattern(16))), "E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED");
    expect(writesSent(r)).toBe(0);
    expect(r.drive.trace.all.some((t) => t.opcode === 0x04)).toBe(false);
  });

  it("refuses when there is no disc", async () => {
    const r = rig(media);
    r.drive.remove();
    r.drive.closeTray();
    const e = await expectBurnError(new DataWriter(r.recorder).write(bytesSource(pattern(16))), "E_IMAPI_RECORDER_MEDIA_NO_MEDIA");
    expect(e.detail.discState).toMatchObject({ known: true, presence: "no-media" });
  });

  if (SIMULATES.has(media)) {
    it("simulates: the whole burn runs with Test Write and the disc stays blank", async () => {
      const r = rig(media);
      const result: BurnResult = await new DataWriter(r.recorder).write(bytesSource(pattern(100)), { simulate: true, verify: "full" });
      expect(result.simulated).toBe(true);
      expect(result.verification.mode).toBe("simulated");
      expect(writesSent(r)).toBeGreaterThan(0);
      expect(result.discState.status).toBe("blank");
      expect(r.disc.model.discStatus()).toBe("blank");
      expect(r.disc.store.read(0, 1).some((b) => b !== 0)).toBe(false);
    });
  } else {
    it("refuses to simulate before writing anything", async () => {
      const r = rig(media);
      const e = await expectBurnError(new DataWriter(r.recorder).write(bytesSource(pattern(16)), { simulate: true }), "E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED");
      expect(e.message).toMatch(/simulate/);
      expect(writesSent(r)).toBe(0);
    });
  }

  it("ejects after the burn", async () => {
    const r = rig(media);
    const result = await new DataWriter(r.recorder).write(bytesSource(pattern(40)), { ejectAfterBurn: true });
    expect(result.ejected).toBe(true);
    expect(r.drive.trayOpen).toBe(true);
  });
});
