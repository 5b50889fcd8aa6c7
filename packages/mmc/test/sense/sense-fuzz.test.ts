import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { MalformedDataError } from "@discforge/errors";
import { checkConditionError, classifySense, decodeSense, encodeDescriptorSense, encodeFixedSense, ScsiCheckConditionError, type SenseData } from "../../src/sense/index.js";

/** Decodes and checks the result's invariants; returns "value" or "malformed", rethrows anything else. */
function decodeChecked(bytes: Uint8Array): "value" | "malformed" {
  let s: SenseData;
  try {
    s = decodeSense(bytes);
  } catch (e) {
    if (e instanceof MalformedDataError) {
      expect(e.offset).toBeGreaterThanOrEqual(0);
      expect(e.offset).toBeLessThanOrEqual(bytes.length);
      return "malformed";
    }
    throw e;
  }
  expect(s.length).toBeLessThanOrEqual(bytes.length);
  expect(s.senseKey).toBeGreaterThanOrEqual(0);
  expect(s.senseKey).toBeLessThanOrEqual(15);
  expect([0x70, 0x71, 0x72, 0x73]).toContain(s.responseCode);
  expect(s.deferred).toBe(s.responseCode === 0x71 || s.responseCode === 0x73);
  let descriptorBytes = 0;
  for (const d of s.descriptors) {
    expect(d.raw.length).toBe(2 + d.raw[1]!);
    descriptorBytes += d.raw.length;
  }
  if (s.format === "descriptor") expect(8 + descriptorBytes).toBeLessThanOrEqual(Math.max(8, s.length));
  if (s.information !== undefined) expect(Number.isSafeInteger(s.information)).toBe(true);
  const p = s.senseKeySpecific;
  if (p?.kind === "progress") expect(p.fraction).toBeLessThan(1);
  // Every decoded sense classifies.
  expect(classifySense(s).category.length).toBeGreaterThan(0);
  return "value";
}

// Buffers that look like sense: a plausible response code most of the time, a plausible length byte.
const senseLike = fc
  .tuple(
    fc.oneof(fc.constantFrom(0x70, 0x71, 0x72, 0x73, 0xf0, 0xf1), fc.integer({ min: 0, max: 255 })),
    fc.uint8Array({ minLength: 0, maxLength: 80 }),
    fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
  )
  .map(([code, rest, len]) => {
    const b = new Uint8Array(1 + rest.length);
    b[0] = code;
    b.set(rest, 1);
    if (len !== undefined && b.length > 7) b[7] = len;
    return b;
  });

// Valid encodings cut at every possible length, or with bytes flipped.
const mutated = fc
  .tuple(
    fc.boolean(),
    fc.integer({ min: 0, max: 15 }),
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: 0, max: 255 }),
    fc.option(fc.integer({ min: 0, max: 0xffffffff }), { nil: undefined }),
    fc.integer({ min: 0, max: 0xffff }),
    fc.nat(),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
  )
  .map(([descriptor, key, asc, ascq, information, progress, cut, flips]) => {
    const full = descriptor
      ? encodeDescriptorSense({ key, asc, ascq, ...(information === undefined ? {} : { information }), sks: { progress }, fru: 3, otherProgress: [{ senseKey: 2, asc: 4, ascq: 4, progress }] })
      : encodeFixedSense({ key, asc, ascq, ...(information === undefined ? {} : { information }), sks: { progress } });
    const b = full.slice(0, cut % (full.length + 1));
    for (const [at, v] of flips) if (b.length > 0) b[at % b.length] = v;
    return b;
  });

describe("sense decoder robustness (property-based)", () => {
  it("random sense-like buffers give a value or a MalformedDataError, never anything else", () => {
    const seen = { value: 0, malformed: 0 };
    fc.assert(
      fc.property(senseLike, (b) => {
        seen[decodeChecked(b)]++;
      }),
      { numRuns: 10_000 },
    );
    // Both outcomes must actually occur, or the generator is not testing much.
    expect(seen.value).toBeGreaterThan(1000);
    expect(seen.malformed).toBeGreaterThan(1000);
  });

  it("truncated and corrupted valid sense gives a value or a MalformedDataError", () => {
    const seen = { value: 0, malformed: 0 };
    fc.assert(
      fc.property(mutated, (b) => {
        seen[decodeChecked(b)]++;
      }),
      { numRuns: 10_000 },
    );
    expect(seen.value).toBeGreaterThan(1000);
    expect(seen.malformed).toBeGreaterThan(100);
  });

  it("arbitrary bytes through checkConditionError always give one of the two typed errors", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        const e = checkConditionError(b, Uint8Array.of(0x00, 0, 0, 0, 0, 0), "TEST UNIT READY");
        expect(e instanceof ScsiCheckConditionError || e instanceof MalformedDataError).toBe(true);
        expect(e.imapi).toBeDefined();
      }),
      { numRuns: 3_000 },
    );
  });
});
