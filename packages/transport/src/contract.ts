/**
 * The transport contract suite: any ScsiTransport that claims to be one runs through this.
 * It sends only read-class commands (TEST UNIT READY, INQUIRY, REQUEST SENSE, an unsupported
 * opcode), so it is safe on any MMC device, real or emulated.
 *
 * Usage (in a vitest file):
 *   describeTransportContract("emulator", () => createEmulatedTransport(...));
 */
import { describe, it, expect, beforeEach, afterEach } from "vitest";
import { InvalidArgumentError } from "@discforge/errors";
import type { ScsiResult, ScsiTransport } from "./types.js";

export interface ContractOptions {
  /** Time budget per command; real devices under emulation can be slow. */
  readonly timeoutMs?: number;
  /** Expected INQUIRY peripheral device type (05h for MMC). */
  readonly peripheralType?: number;
}

const INQUIRY = (alloc: number) => new Uint8Array([0x12, 0, 0, (alloc >> 8) & 0xff, alloc & 0xff, 0]);
const TEST_UNIT_READY = new Uint8Array(6);
const REQUEST_SENSE = new Uint8Array([0x03, 0, 0, 0, 252, 0]);

/** Sense key from fixed (70h/71h) or descriptor (72h/73h) sense bytes. */
export function senseKeyOf(sense: Uint8Array): number | undefined {
  const code = (sense[0] ?? 0) & 0x7f;
  if ((code === 0x70 || code === 0x71) && sense.length > 2) return sense[2]! & 0x0f;
  if ((code === 0x72 || code === 0x73) && sense.length > 1) return sense[1]! & 0x0f;
  return undefined;
}

function describeResult(r: ScsiResult): string {
  return r.kind === "check-condition" ? `check-condition sense=${Buffer.from(r.sense).toString("hex")}` : JSON.stringify(r);
}

export function describeTransportContract(name: string, open: () => Promise<ScsiTransport> | ScsiTransport, options: ContractOptions = {}): void {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const peripheralType = options.peripheralType ?? 0x05;

  describe(`ScsiTransport contract: ${name}`, () => {
    let t: ScsiTransport;
    beforeEach(async () => {
      t = await open();
    });
    afterEach(async () => {
      await t.close();
    });

    it("answers TEST UNIT READY with good or check condition, never a throw", async () => {
      // The first command after open may report a unit attention; the second must not throw either.
      for (let i = 0; i < 3; i++) {
        const r = await t.execute({ cdb: TEST_UNIT_READY, direction: "none", timeoutMs });
        expect(["good", "check-condition"], describeResult(r)).toContain(r.kind);
        if (r.kind === "check-condition") expect(senseKeyOf(r.sense)).toBeDefined();
      }
    });

    it("returns standard INQUIRY data of the expected device type with a consistent residual", async () => {
      let r = await t.execute({ cdb: INQUIRY(96), direction: "in", dataInLength: 96, timeoutMs });
      if (r.kind === "check-condition") r = await t.execute({ cdb: INQUIRY(96), direction: "in", dataInLength: 96, timeoutMs });
      expect(r.kind, describeResult(r)).toBe("good");
      if (r.kind !== "good") return;
      expect(r.data.length).toBeGreaterThanOrEqual(36);
      expect(r.data.length + r.residual).toBe(96);
      expect(r.data[0]! & 0x1f).toBe(peripheralType);
      // The transport must deliver at least what the device says it has. Some devices (tgt behind
      // QEMU's iSCSI pass-through) pad to the allocation length without a residual; that is the
      // device's answer, which the transport reports faithfully.
      const additional = r.data[4]! + 5;
      expect(r.data.length).toBeGreaterThanOrEqual(Math.min(96, additional));
    });

    it("never returns more data than the allocation length", async () => {
      const r = await t.execute({ cdb: INQUIRY(5), direction: "in", dataInLength: 5, timeoutMs });
      expect(r.kind, describeResult(r)).toBe("good");
      if (r.kind !== "good") return;
      expect(r.data.length).toBeLessThanOrEqual(5);
      expect(r.data.length + r.residual).toBe(5);
    });

    it("reports an unsupported opcode as CHECK CONDITION with ILLEGAL REQUEST", async () => {
      // Opcode 0xFF is vendor specific; MMC devices do not implement it.
      const r = await t.execute({ cdb: new Uint8Array([0xff, 0, 0, 0, 0, 0]), direction: "none", timeoutMs });
      expect(r.kind, describeResult(r)).toBe("check-condition");
      if (r.kind !== "check-condition") return;
      expect(senseKeyOf(r.sense)).toBe(0x05);
    });

    it("answers REQUEST SENSE with sense data", async () => {
      const r = await t.execute({ cdb: REQUEST_SENSE, direction: "in", dataInLength: 252, timeoutMs });
      expect(r.kind, describeResult(r)).toBe("good");
      if (r.kind !== "good") return;
      expect(r.data.length).toBeGreaterThanOrEqual(8);
      expect([0x70, 0x71, 0x72, 0x73]).toContain(r.data[0]! & 0x7f);
    });

    it("rejects malformed requests with InvalidArgumentError before sending", async () => {
      await expect(t.execute({ cdb: new Uint8Array(5), direction: "none", timeoutMs })).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(t.execute({ cdb: new Uint8Array(17), direction: "none", timeoutMs })).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(t.execute({ cdb: INQUIRY(36), direction: "in", timeoutMs })).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(t.execute({ cdb: TEST_UNIT_READY, direction: "out", timeoutMs })).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(t.execute({ cdb: TEST_UNIT_READY, direction: "none", timeoutMs: 0 })).rejects.toBeInstanceOf(InvalidArgumentError);
    });

    it("does not send a command whose signal is already aborted", async () => {
      const r = await t.execute({ cdb: INQUIRY(36), direction: "in", dataInLength: 36, timeoutMs, signal: AbortSignal.abort() });
      expect(r).toMatchObject({ kind: "transport-error", reason: "aborted" });
    });

    it("runs overlapping calls one at a time, each with its own answer", async () => {
      const lengths = [36, 8, 64, 5, 96];
      const results = await Promise.all(
        lengths.map((n) => t.execute({ cdb: INQUIRY(n), direction: "in", dataInLength: n, timeoutMs })),
      );
      results.forEach((r, i) => {
        expect(r.kind, describeResult(r)).toBe("good");
        if (r.kind === "good") expect(r.data.length + r.residual).toBe(lengths[i]);
      });
    });

    it("answers 'closed' after close, and close is idempotent", async () => {
      await t.close();
      await t.close();
      const r = await t.execute({ cdb: TEST_UNIT_READY, direction: "none", timeoutMs });
      expect(r).toMatchObject({ kind: "transport-error", reason: "closed" });
    });
  });
}
