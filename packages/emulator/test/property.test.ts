/**
 * Random legal and illegal command sequences never corrupt the medium and never throw:
 * NWA never moves back on sequential media, recorded data on write-once media never changes,
 * a finalized disc rejects every write, and the emulator never hits an internal error.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { EmulatedDrive, PERSONALITIES, VirtualClock, VirtualDisc, type BlankMediaId } from "../src/index.js";
import { blocks } from "./harness.js";

type Step =
  | { op: "writeAtNwa"; n: number }
  | { op: "writeAt"; lba: number; n: number }
  | { op: "reserve"; size: number }
  | { op: "close"; fn: number; track: number; immed: boolean }
  | { op: "blank"; type: number }
  | { op: "format"; type: number }
  | { op: "page05"; flags: number; mode: number; dbt: number }
  | { op: "read"; lba: number; n: number }
  | { op: "sync"; immed: boolean }
  | { op: "tray"; load: boolean }
  | { op: "prevent"; on: boolean }
  | { op: "raw"; cdb: Uint8Array }
  | { op: "cue"; valid: boolean; a: number; b: number; bytes: Uint8Array }
  | { op: "readCd"; lba: number; n: number; b1: number; b9: number; b10: number; msf: boolean }
  | { op: "wait"; ms: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant("writeAtNwa" as const), n: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("writeAt" as const), lba: fc.integer({ min: 0, max: 20_000 }), n: fc.integer({ min: 0, max: 8 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("reserve" as const), size: fc.integer({ min: 0, max: 500 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("close" as const), fn: fc.integer({ min: 0, max: 7 }), track: fc.integer({ min: 0, max: 5 }), immed: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("blank" as const), type: fc.integer({ min: 0, max: 7 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("format" as const), type: fc.constantFrom(0x00, 0x15, 0x26, 0x30, 0x31, 0x3f) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("page05" as const), flags: fc.integer({ min: 0, max: 0x7f }), mode: fc.integer({ min: 0, max: 0xff }), dbt: fc.constantFrom(8, 10, 0, 13) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("read" as const), lba: fc.integer({ min: 0, max: 20_000 }), n: fc.integer({ min: 0, max: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("sync" as const), immed: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("tray" as const), load: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("prevent" as const), on: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("raw" as const), cdb: fc.uint8Array({ minLength: 6, maxLength: 16 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant("cue" as const),
      valid: fc.boolean(),
      a: fc.integer({ min: 1, max: 60 }),
      b: fc.integer({ min: 1, max: 60 }),
      bytes: fc.integer({ min: 1, max: 6 }).chain((n) => fc.uint8Array({ minLength: n * 8, maxLength: n * 8 })),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("readCd" as const),
      lba: fc.integer({ min: -200, max: 400 }),
      n: fc.integer({ min: 0, max: 3 }),
      b1: fc.integer({ min: 0, max: 0xff }),
      b9: fc.integer({ min: 0, max: 0xff }),
      b10: fc.integer({ min: 0, max: 7 }),
      msf: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("wait" as const), ms: fc.integer({ min: 0, max: 400_000 }) }) },
);

function be32(b: Uint8Array, at: number, v: number): void {
  new DataView(b.buffer, b.byteOffset).setUint32(at, v >>> 0);
}

async function apply(drive: EmulatedDrive, clock: VirtualClock, s: Step, tag: number): Promise<{ wrote?: { lba: number; n: number; good: boolean } }> {
  const x = (cdb: Uint8Array, extra: { direction?: "none" | "in" | "out"; dataOut?: Uint8Array; dataInLength?: number } = {}) =>
    drive.execute({ cdb, direction: extra.direction ?? "none", ...(extra.dataOut ? { dataOut: extra.dataOut } : {}), ...(extra.dataInLength !== undefined ? { dataInLength: extra.dataInLength } : {}), timeoutMs: 1_000_000 });
  const write = async (lba: number, n: number) => {
    const cdb = new Uint8Array(10);
    cdb[0] = 0x2a;
    be32(cdb, 2, lba);
    cdb[7] = n >> 8;
    cdb[8] = n & 0xff;
    const r = n === 0 ? await x(cdb) : await x(cdb, { direction: "out", dataOut: blocks(lba, n, tag) });
    return { wrote: { lba, n, good: r.kind === "good" } };
  };
  switch (s.op) {
    case "writeAtNwa": {
      const nwa = drive.view?.nextWritableAddress();
      return write(nwa ?? 0, s.n);
    }
    case "writeAt":
      return write(s.lba, s.n);
    case "reserve": {
      const cdb = new Uint8Array(10);
      cdb[0] = 0x53;
      be32(cdb, 5, s.size);
      await x(cdb);
      return {};
    }
    case "close":
      await x(Uint8Array.of(0x5b, s.immed ? 1 : 0, s.fn, 0, 0, s.track, 0, 0, 0, 0));
      return {};
    case "blank":
      await x(Uint8Array.of(0xa1, 0x10 | s.type, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
      return {};
    case "format":
      await x(Uint8Array.of(0x04, 0x11, 0, 0, 0, 0), { direction: "out", dataOut: Uint8Array.of(0, 2, 0, 8, 0, 0, 0x10, 0, s.type << 2, 0, 0, 0) });
      return {};
    case "page05": {
      const list = new Uint8Array(8 + 0x34);
      list[8] = 0x05;
      list[9] = 0x32;
      list[10] = s.flags;
      list[11] = s.mode;
      list[12] = s.dbt;
      list[22] = 0;
      list[23] = 150;
      await x(Uint8Array.of(0x55, 0x10, 0, 0, 0, 0, 0, 0, list.length, 0), { direction: "out", dataOut: list });
      return {};
    }
    case "read": {
      const cdb = new Uint8Array(10);
      cdb[0] = 0x28;
      be32(cdb, 2, s.lba);
      cdb[8] = s.n;
      await x(cdb, { direction: "in", dataInLength: s.n * 2048 });
      return {};
    }
    case "sync":
      await x(Uint8Array.of(0x35, s.immed ? 2 : 0, 0, 0, 0, 0, 0, 0, 0, 0));
      return {};
    case "tray":
      await x(Uint8Array.of(0x1b, 0, 0, 0, s.load ? 3 : 2, 0));
      return {};
    case "prevent":
      await x(Uint8Array.of(0x1e, 0, 0, 0, s.on ? 1 : 0, 0));
      return {};
    case "raw": {
      const r = await x(s.cdb, { direction: "in", dataInLength: 4096 });
      expect(["good", "check-condition", "transport-error"]).toContain(r.kind);
      if (r.kind === "good") expect(r.data.length).toBeLessThanOrEqual(4096);
      return {};
    }
    case "wait":
      clock.advance(s.ms);
      return {};
    case "cue": {
      // A valid session-at-once sheet (generated pregaps, Mode 1 data tracks) or random entries.
      const e = (ctl: number, tno: number, index: number, form: number, lba: number) => {
        const f = lba + 150;
        return [ctl << 4 | 1, tno, index, form, 0, Math.floor(f / 4500), Math.floor(f / 75) % 60, f % 75];
      };
      const bytes = s.valid
        ? Uint8Array.from([...e(4, 0, 0, 0x14, -150), ...e(4, 1, 0, 0x14, -150), ...e(4, 1, 1, 0x10, 0), ...e(4, 2, 1, 0x10, s.a), ...e(4, 0xaa, 1, 0x14, s.a + s.b)])
        : s.bytes;
      await x(Uint8Array.of(0x5d, 0, 0, 0, 0, 0, bytes.length >> 16, (bytes.length >> 8) & 0xff, bytes.length & 0xff, 0), { direction: "out", dataOut: bytes });
      return {};
    }
    case "readCd": {
      const cdb = new Uint8Array(12);
      cdb[1] = s.b1;
      cdb[9] = s.b9;
      cdb[10] = s.b10;
      if (s.msf) {
        const start = s.lba + 150 + 450_000;
        const end = start + s.n;
        cdb[0] = 0xb9;
        cdb.set([Math.floor(start / 4500) % 100, Math.floor(start / 75) % 60, start % 75, Math.floor(end / 4500) % 100, Math.floor(end / 75) % 60, end % 75], 3);
      } else {
        cdb[0] = 0xbe;
        be32(cdb, 2, s.lba);
        cdb[8] = s.n;
      }
      const r = await x(cdb, { direction: "in", dataInLength: 3 * 2448 });
      expect(["good", "check-condition"]).toContain(r.kind);
      if (r.kind === "good") expect(r.data.length).toBeLessThanOrEqual(3 * 2448);
      return {};
    }
  }
}

function check(media: BlankMediaId) {
  return fc.asyncProperty(fc.array(step, { maxLength: 45 }), async (steps) => {
    const clock = new VirtualClock();
    const disc = VirtualDisc.blank(media);
    const drive = new EmulatedDrive({ clock, disc, personality: PERSONALITIES["bd-writer"], traceLimit: 0 });
    const writeOnce = !disc.model.spec.rewritable;
    const recorded = new Map<number, number>(); // lba -> tag, on write-once media
    const nwaOf = new Map<number, number>(); // track number -> highest NWA seen
    let finalized = false;
    for (const [i, s] of steps.entries()) {
      const before = finalized;
      const { wrote } = await apply(drive, clock, s, i + 1);
      const state = disc.state;
      if (wrote && before && wrote.n > 0) expect(wrote.good, "a finalized disc took a write").toBe(false);
      if (wrote?.good && writeOnce && !drive.simulation) for (let k = 0; k < wrote.n; k++) {
        expect(recorded.has(wrote.lba + k), `LBA ${wrote.lba + k} written twice`).toBe(false);
        recorded.set(wrote.lba + k, i + 1);
      }
      if (disc.model.sequential && writeOnce) {
        for (const t of state.tracks) {
          const seen = nwaOf.get(t.number);
          if (seen !== undefined) expect(t.nwa, `track ${t.number} NWA went back`).toBeGreaterThanOrEqual(seen);
          nwaOf.set(t.number, t.nwa);
        }
        if (finalized) expect(state.finalized, "a write-once disc came back from finalized").toBe(true);
      }
      finalized = state.finalized;
      expect(drive.internalErrors).toEqual([]);
    }
    for (const [lba, tag] of recorded) {
      if (!Buffer.from(disc.store.read(lba, 1)).equals(Buffer.from(blocks(lba, 1, tag)))) expect.fail(`recorded block ${lba} changed`);
    }
  });
}

describe("random command sequences", () => {
  for (const media of ["dvd+r", "cd-r", "bd-r", "dvd-r"] as const) {
    it(`never corrupt a ${media}`, async () => {
      await fc.assert(check(media), { numRuns: 150 });
    });
  }
  for (const media of ["cd-rw", "dvd-rw", "dvd+rw", "bd-re", "dvd-ram"] as const) {
    it(`never throw or fail internally on a ${media}`, async () => {
      await fc.assert(check(media), { numRuns: 60 });
    });
  }
});
