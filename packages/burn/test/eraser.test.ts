import { describe, expect, it } from "vitest";
import { BurnError, DataWriter, Eraser, bytesSource, type BurnEvent } from "../src/index.js";
import type { BlankMediaId } from "@discforge/emulator";
import { pattern, rig } from "./helpers.js";

describe("Eraser", () => {
  it.each<[BlankMediaId, boolean, string]>([
    ["cd-rw", false, "blank-minimal"],
    ["cd-rw", true, "blank-full"],
    ["dvd-rw", false, "blank-minimal"],
    ["dvd-rw", true, "blank-full"],
  ])("%s (full=%s) is blank again after %s, with progress from the drive", async (media, full, method) => {
    const r = rig(media, { throttle: true });
    await new DataWriter(r.recorder).write(bytesSource(pattern(320)), { clock: r.clock, verify: "none" });
    expect(r.disc.model.discStatus()).toBe("incomplete");
    const events: BurnEvent[] = [];
    const result = await new Eraser(r.recorder).erase({ full, clock: r.clock, onEvent: (e) => events.push(e) });
    expect(result.method).toBe(method);
    expect(result.discState.status).toBe("blank");
    expect(r.disc.model.discStatus()).toBe("blank");
    const progress = events.filter((e) => e.type === "progress").map((e) => (e.type === "progress" ? e.sectorsDone : 0));
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.some((p) => p > 0 && p < 1000)).toBe(true);
    expect(r.drive.trace.all.some((t) => t.opcode === 0xa1 && (t.cdb[1]! & 0x07) === (full ? 0 : 1) && (t.cdb[1]! & 0x10) !== 0)).toBe(true);
  });

  it("formats BD-RE (quick certification) and DVD-RAM", async () => {
    for (const media of ["bd-re", "dvd-ram"] as const) {
      const r = rig(media);
      const result = await new Eraser(r.recorder).erase();
      expect(result.method).toBe("format-quick");
      expect(r.drive.trace.all.some((t) => t.opcode === 0x04)).toBe(true);
    }
  });

  it("quick-erases DVD+RW by clearing the first and last 2 MiB; full erase reformats", async () => {
    const r = rig("dvd+rw");
    await new DataWriter(r.recorder).write(bytesSource(pattern(2048)), { verify: "none" });
    expect(r.disc.store.read(16, 1).some((b) => b !== 0)).toBe(true);
    const quick = await new Eraser(r.recorder).erase();
    expect(quick.method).toBe("overwrite-ends");
    expect(r.disc.store.read(0, 1024).some((b) => b !== 0)).toBe(false);
    expect(await r.recorder.heuristicallyBlank()).toBe(true);
    const full = await new Eraser(r.recorder).erase({ full: true });
    expect(full.method).toBe("format-full");
  });

  it("refuses write-once media", async () => {
    for (const media of ["cd-r", "dvd-r", "dvd+r", "bd-r"] as const) {
      const r = rig(media);
      const e = await new Eraser(r.recorder).erase().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(BurnError);
      expect((e as BurnError).imapiCode.name).toBe("E_IMAPI_ERASE_MEDIA_IS_NOT_ERASABLE");
      expect(r.drive.trace.all.some((t) => t.opcode === 0xa1 || t.opcode === 0x04)).toBe(false);
    }
  });

  it("refuses when there is no disc and when the disc is write protected", async () => {
    const r = rig("cd-rw");
    r.drive.remove();
    r.drive.closeTray();
    await expect(new Eraser(r.recorder).erase()).rejects.toMatchObject({ imapiCode: { name: "E_IMAPI_RECORDER_MEDIA_NO_MEDIA" } });
    const w = rig("cd-rw");
    w.disc.state.writeProtected = true;
    const e = (await new Eraser(w.recorder).erase().catch((x: unknown) => x)) as BurnError;
    expect(e.imapiCode.name).toBe("E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED");
  });

  it("cancel while a BLANK runs says the drive finishes on its own and reports the state", async () => {
    const r = rig("cd-rw", { throttle: true });
    await new DataWriter(r.recorder).write(bytesSource(pattern(64)), { clock: r.clock, verify: "none" });
    const abort = new AbortController();
    const e = await new Eraser(r.recorder)
      .erase({ full: true, clock: r.clock, signal: abort.signal, onEvent: (ev) => ev.type === "progress" && ev.sectorsDone > 100 && abort.abort() })
      .catch((x: unknown) => x);
    expect((e as BurnError).imapiCode.name).toBe("E_IMAPI_REQUEST_CANCELLED");
  });
});
