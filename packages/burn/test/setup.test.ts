/**
 * Write setup per medium (mode page 05h as the drive holds it after the burn), retries of what
 * the drive says will pass, the command sequence against growisofs's for DVD+R, the host ring,
 * and keep-awake.
 */
import { describe, expect, it } from "vitest";
import { DataWriter, HostRing, bytesSource, keepAwake } from "../src/index.js";
import type { BlankMediaId } from "@discforge/emulator";
import { discBytes, pattern, rig } from "./helpers.js";

describe("mode page 05h per medium", () => {
  it.each<[BlankMediaId, boolean, number | undefined, number]>([
    ["cd-r", false, 1, 3], // TAO, next session allowed
    ["cd-r", true, 1, 0], // TAO, disc closed
    ["cd-rw", false, 1, 3],
    ["dvd-r", false, 0, 3], // incremental, border leaves the disc appendable
    ["dvd-rw", true, 0, 0],
  ])("%s close=%s: write type %s, multi-session %s, BUFE on, Test Write off", async (media, close, writeType, multiSession) => {
    const r = rig(media);
    await new DataWriter(r.recorder).write(bytesSource(pattern(32)), { close, verify: "none" });
    const wp = r.drive.writeParameters();
    expect(wp.writeType).toBe(writeType);
    expect(wp.multiSession).toBe(multiSession);
    expect(wp.bufe).toBe(true);
    expect(wp.testWrite).toBe(false);
    if (media.startsWith("cd")) expect(wp.dataBlockType).toBe(8);
  });

  it("BUFE off when asked; DVD+R and BD-R keep their write type", async () => {
    for (const media of ["dvd+r", "bd-r"] as const) {
      const r = rig(media);
      await new DataWriter(r.recorder).write(bytesSource(pattern(32)), { bufe: false, verify: "none" });
      expect(r.drive.writeParameters().bufe).toBe(false);
      expect(r.drive.writeParameters().writeType).toBe(0);
    }
  });
});

describe("retries", () => {
  it("a transient 'long write in progress' and 'becoming ready' mid-write are waited out; the burn succeeds", async () => {
    const r = rig("dvd+r", {
      faults: {
        faults: [
          { when: { lba: 512 }, opcode: 0x2a, action: { sense: [2, 0x04, 0x08] } },
          { when: { lba: 1024 }, opcode: 0x2a, action: { notReadyMs: 300 } },
        ],
      },
    });
    const data = pattern(2048);
    const result = await new DataWriter(r.recorder).write(bytesSource(data), { writeBlocks: 64, verify: "full" });
    expect(result.verification.passed).toBe(true);
    expect(Buffer.from(discBytes(r.disc, 0, 2048)).equals(Buffer.from(data))).toBe(true);
    const retried = r.drive.trace.all.filter((t) => t.opcode === 0x2a && t.sense);
    expect(retried.length).toBeGreaterThanOrEqual(2);
  });

  it("a medium error on WRITE is never retried", async () => {
    const r = rig("dvd+r", { faults: { faults: [{ when: { lba: 512 }, opcode: 0x2a, action: { sense: [3, 0x0c, 0x00] } }] } });
    await expect(new DataWriter(r.recorder).write(bytesSource(pattern(2048)), { writeBlocks: 64 })).rejects.toMatchObject({ detail: { writeStarted: true } });
    const at512 = r.drive.trace.all.filter((t) => t.opcode === 0x2a && new DataView(t.cdb.buffer, t.cdb.byteOffset).getUint32(2) === 512);
    expect(at512).toHaveLength(1);
  });
});

describe("command sequence", () => {
  it("DVD+R finalized and ejected follows growisofs's order", async () => {
    const r = rig("dvd+r");
    await new DataWriter(r.recorder).write(bytesSource(pattern(16 * 200)), { writeBlocks: 16, paceEveryWrites: 64, close: true, ejectAfterBurn: true, verify: "none" });
    const ops = r.drive.trace.all.map((t) => t.opcode);
    const order = [0x46, 0x51, 0x52, 0x5a, 0x55, 0xac, 0x2a, 0x35, 0x5b, 0x5b, 0x1b];
    let at = 0;
    for (const op of ops) if (op === order[at]) at++;
    expect(at, `sequence ${ops.map((o) => o.toString(16)).join(" ")}`).toBe(order.length);
    const writes = r.drive.trace.all.filter((t) => t.opcode === 0x2a);
    expect(writes).toHaveLength(200);
    expect(writes.every((t) => t.cdb[8] === 16)).toBe(true);
    const closes = r.drive.trace.all.filter((t) => t.opcode === 0x5b).map((t) => [t.cdb[2]! & 7, (t.cdb[4]! << 8) | t.cdb[5]!]);
    expect(closes).toEqual([
      [1, 1],
      [6, 0],
    ]);
    const rbc = r.drive.trace.all.filter((t) => t.opcode === 0x5c).length;
    expect(rbc).toBeGreaterThanOrEqual(3);
  });
});

describe("host ring", () => {
  it("hands out exact pieces across chunk boundaries, as views where a chunk holds them", async () => {
    const ring = new HostRing(4096 * 4, 6 * 2048);
    async function* gen() {
      yield Uint8Array.from({ length: 2048 * 3 }, (_, i) => i & 0xff);
      yield Uint8Array.from({ length: 2048 * 3 }, (_, i) => (i + 3 * 2048) & 0xff);
    }
    const pump = ring.pump(gen());
    await pump;
    const a = ring.take(2048 * 2);
    const b = ring.take(2048 * 2);
    const c = ring.take(2048 * 2);
    const all = new Uint8Array([...a, ...b, ...c]);
    expect(all.every((v, i) => v === (i & 0xff))).toBe(true);
    expect(ring.done).toBe(true);
  });

  it("a stream longer or shorter than declared is an error", async () => {
    for (const [declared, actual] of [
      [2048, 4096],
      [8192, 4096],
    ] as const) {
      const ring = new HostRing(65536, declared);
      async function* gen() {
        yield new Uint8Array(actual);
      }
      await ring.pump(gen());
      expect(() => ring.take(declared)).toThrow(/declared/);
    }
  });
});

describe("keep awake", () => {
  it("takes a logind inhibitor or says why it cannot", async () => {
    const h = await keepAwake("discforge test");
    if (h.active) expect(h.reason).toBeUndefined();
    else expect(h.reason).toMatch(/systemd-inhibit|logind|support/);
    h.release();
  });

  it("a burn on a real-looking drive reports when the machine cannot be kept awake", async () => {
    const r = rig("dvd+r");
    const warnings: string[] = [];
    await new DataWriter(r.recorder).write(bytesSource(pattern(16)), { keepAwake: true, verify: "none", onEvent: (e) => e.type === "warning" && warnings.push(e.code) });
    const h = await keepAwake("probe");
    h.release();
    expect(warnings.includes("keep-awake")).toBe(!h.active);
  });
});
