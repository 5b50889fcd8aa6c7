/**
 * The ScsiTransport contract suite against real kernel SCSI devices, run inside the lane guest.
 * DISCFORGE_SG_DEVICES names the device nodes (comma-separated); the lane sets it to the sg and
 * sr nodes of QEMU's scsi-cd and of the tgt DVD+R. Without it this file fails: it exists to run
 * against devices.
 */
import { describe, it, expect } from "vitest";
import { describeTransportContract } from "@discforge/transport/contract";
import { openLinuxTransport } from "../../src/index.js";

const devices = (process.env["DISCFORGE_SG_DEVICES"] ?? "").split(",").map((s) => s.trim()).filter(Boolean);

describe("lane devices", () => {
  it("names at least one device in DISCFORGE_SG_DEVICES", () => {
    expect(devices.length, "set DISCFORGE_SG_DEVICES=/dev/sg0,/dev/sr0,... (scripts/lane/run.sh does)").toBeGreaterThan(0);
  });
});

for (const device of devices) {
  describeTransportContract(`linux SG_IO ${device}`, () => openLinuxTransport(device), { timeoutMs: 30_000 });
}
