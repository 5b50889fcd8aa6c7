/** DVD-RW in restricted overwrite (profile 0013h) and DVD+R DL finalizing. */
import { describe, expect, it } from "vitest";
import { buildFormatUnit, formatUnitParametersCodec } from "@discforge/mmc";
import { DataWriter, Eraser, bytesSource } from "../src/index.js";
import { discBytes, pattern, rig } from "./helpers.js";

describe("DVD-RW restricted overwrite", () => {
  it("is written in place, grown with LBA 16 last, and blanked back to sequential", async () => {
    const r = rig("dvd-rw");
    const list = formatUnitParametersCodec.encode({ fov: false, dpry: false, dcrt: false, stpf: false, tryOut: false, immed: false, vs: false, descriptor: { numberOfBlocks: 2297888, formatType: 0x15, formatSubType: 0, typeDependentParameter: 16 } });
    await r.recorder.run(buildFormatUnit({}, list));
    expect((await r.recorder.media({ refresh: true })).profile).toBe(0x13);
    const w = new DataWriter(r.recorder);
    const first = pattern(100, 1);
    await w.write(bytesSource(first), { verify: "full" });
    const grown = new Uint8Array(160 * 2048);
    grown.set(first);
    grown.set(pattern(16, 5), 16 * 2048);
    grown.set(pattern(60, 6), 100 * 2048);
    const result = await w.write(bytesSource(grown, { changedRanges: [{ start: 16, length: 16 }, { start: 100, length: 60 }] }), { verify: "full" });
    expect(result.sectorsWritten).toBe(76);
    expect(Buffer.from(discBytes(r.disc, 0, 160)).equals(Buffer.from(grown))).toBe(true);
    const erased = await new Eraser(r.recorder).erase();
    expect(erased.method).toBe("blank-minimal");
    expect((await r.recorder.media({ refresh: true })).profile).toBe(0x14);
  });
});

describe("DVD+R DL", () => {
  it("appends a session, then finalizes with close function 110b", async () => {
    const r = rig("dvd+r-dl");
    const w = new DataWriter(r.recorder);
    const a = await w.write(bytesSource(pattern(64)));
    const b = await w.write(bytesSource(pattern(64, 2), { startLba: a.discState.nextWritableAddress! }), { close: true });
    expect(b.discState.status).toBe("complete");
    expect(b.closed).toBe("disc");
    const fns = r.drive.trace.all.filter((t) => t.opcode === 0x5b).map((t) => t.cdb[2]! & 7);
    expect(fns).toEqual([1, 2, 1, 6]);
  });
});
