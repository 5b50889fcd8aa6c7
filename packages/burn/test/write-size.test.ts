/**
 * WRITE size and pacing by default on a real drive (a transport that is not the emulator's):
 * 256 KiB WRITE(10)s, cut to the device's transfer limit and aligned to the ECC block, and one
 * READ BUFFER CAPACITY per about 1 MiB written.
 */
import { describe, expect, it } from "vitest";
import { Recorder } from "@discforge/drive";
import type { ScsiCommand, ScsiTransport } from "@discforge/transport";
import { DataWriter, bytesSource } from "../src/index.js";
import { discBytes, pattern, rig } from "./helpers.js";

/** The emulated drive seen as a device node with a transfer limit, recording every CDB. */
function asDevice(drive: ScsiTransport, maxTransferBytes: number): { transport: ScsiTransport; cdbs: Uint8Array[] } {
  const cdbs: Uint8Array[] = [];
  const transport = new Proxy(drive, {
    get(target, key) {
      if (key === "description") return "/dev/sr9";
      if (key === "maxTransferBytes") return maxTransferBytes;
      if (key === "execute") return (c: ScsiCommand) => (cdbs.push(c.cdb), target.execute(c));
      const v: unknown = Reflect.get(target, key);
      return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { transport, cdbs };
}

const writes = (cdbs: readonly Uint8Array[]) => cdbs.filter((c) => c[0] === 0x2a).map((c) => (c[7]! << 8) | c[8]!);
const bufferQueries = (cdbs: readonly Uint8Array[]) => cdbs.filter((c) => c[0] === 0x5c).length;

describe("default WRITE size and pacing on a drive", () => {
  it.each([
    // [device limit, sectors per WRITE, writes between READ BUFFER CAPACITY]
    [1024 * 1024, 128, 4], // 256 KiB; 1 MiB between checks
    [120 * 1024, 48, 11], // a USB bridge's 120 KiB: 60 sectors, down to the 16-sector ECC block
    [64 * 1024, 32, 16], // 64 KiB devices keep 16 writes per check
  ])("limit %i bytes: %i-sector WRITE(10)s, READ BUFFER CAPACITY every %i", async (limit, blocks, every) => {
    const r = rig("dvd+r");
    const dev = asDevice(r.drive, limit);
    const sectors = 4000; // not a multiple of any WRITE size: the last one is shorter
    const data = pattern(sectors);
    const result = await new DataWriter(new Recorder(dev.transport)).write(bytesSource(data), { verify: "none", keepAwake: false });
    expect(result.sectors).toBe(sectors);
    const sizes = writes(dev.cdbs);
    const padded = Math.ceil(sectors / 16) * 16;
    expect(sizes.slice(0, -1).every((n) => n === blocks)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(padded);
    expect(sizes).toHaveLength(Math.ceil(padded / blocks));
    expect(bufferQueries(dev.cdbs)).toBe(Math.floor(sizes.length / every));
    expect(Buffer.compare(discBytes(r.disc, 0, sectors), data)).toBe(0);
  });
});
