/** Data handed to SG_IO in place must start on a page: an unaligned buffer needs one segment more. */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { pageAlignedBytes } from "../src/syscalls.js";

const koffi = createRequire(import.meta.url)("koffi") as { address(b: Uint8Array): bigint };

describe("page-aligned data buffers for SG_IO in place", () => {
  it("start on a 4096-byte boundary, have the asked length and are zeroed, whatever the allocator gives", () => {
    for (const length of [4096, 5000, 65_536, 524_288, 1 << 20]) {
      for (let i = 0; i < 20; i++) {
        const b = pageAlignedBytes(length, (x) => koffi.address(x));
        expect(koffi.address(b) % 4096n).toBe(0n);
        expect(b.length).toBe(length);
        expect(b.every((x) => x === 0)).toBe(true);
      }
    }
  });
});
