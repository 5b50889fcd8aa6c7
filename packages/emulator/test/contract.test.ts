import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { describeTransportContract } from "@discforge/transport/contract";
import { EmulatedDrive, VirtualClock, VirtualDisc, openVirtualDisc } from "../src/index.js";

describeTransportContract("emulated drive (DVD+R in memory)", () => new EmulatedDrive({ disc: VirtualDisc.blank("dvd+r"), clock: new VirtualClock() }));
describeTransportContract("emulated drive (empty, real clock)", () => new EmulatedDrive());

const dir = mkdtempSync(join(tmpdir(), "emu-contract-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
describeTransportContract("emulated drive (file-backed BD-R)", () => openVirtualDisc(`emu:${join(dir, `disc${n++}.img`)}`, { media: "bd-r", clock: new VirtualClock() }));
