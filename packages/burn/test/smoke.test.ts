import { describe, expect, it } from "vitest";
import { DataWriter, bytesSource } from "../src/index.js";
import { discBytes, pattern, rig } from "./helpers.js";

describe("smoke", () => {
  it("burns a DVD+R", async () => {
    const r = rig("dvd+r");
    const data = pattern(100);
    const events: string[] = [];
    const result = await new DataWriter(r.recorder).write(bytesSource(data), { verify: "full", onEvent: (e) => events.push(e.type === "phase" ? e.phase : e.type) });
    console.log(result, events.join(" "));
    expect(Buffer.from(discBytes(r.disc, 0, 100)).equals(Buffer.from(data))).toBe(true);
  });
});
