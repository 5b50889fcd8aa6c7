/**
 * Every parser the package exports is fed random and truncated input somewhere: this file names
 * where, fuzzes the free-standing decoders no other robustness test reaches, and fails when a new
 * parser or codec is exported without coverage.
 *
 * - codecs: test/structures/fuzz.test.ts and test/features/robustness.test.ts each check that
 *   every codec of their barrel is in their list; here every codec of the package must belong to
 *   one of those two barrels.
 * - CDB parsers: test/cdb/property.test.ts fuzzes decodeCdb, which dispatches to every parser in
 *   CDB_PARSERS; here every exported parse…Cdb must be one of those.
 * - decodeSense: test/sense/sense-fuzz.test.ts.
 */
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as features from "../src/features/index.js";
import * as m from "../src/index.js";
import * as structures from "../src/structures/index.js";

const FUZZED_ELSEWHERE = new Set(["decodeCdb", "decodeSense"]);
const FUZZED_HERE = new Set(["decodeModePages", "decodeModePage", "decodeFeatureDescriptor", "decodeSenseKeySpecific"]);

/** A value, or one of the typed errors; anything else (TypeError, RangeError, ...) fails. */
function typed(fn: () => unknown, allowed: ReadonlyArray<new (...a: never[]) => Error> = [MalformedDataError]): void {
  try {
    fn();
  } catch (e) {
    if (allowed.some((c) => e instanceof c)) return;
    throw e;
  }
}

describe("every exported parser is under a robustness test", () => {
  it("every codec belongs to a barrel whose robustness test checks it is covered", () => {
    const guarded = new Set<unknown>([...Object.values(structures), ...Object.values(features)]);
    const codecs = Object.entries(m).filter(([name, v]) => name.endsWith("Codec") && typeof v === "object");
    expect(codecs.length).toBeGreaterThan(50);
    expect(codecs.filter(([, v]) => !guarded.has(v)).map(([name]) => name)).toEqual([]);
  });

  it("every parse…Cdb is reached by decodeCdb, every other decoder is fuzzed", () => {
    const dispatched = new Set<unknown>(Object.values(m.CDB_PARSERS));
    const parsers = Object.entries(m).filter(([name, v]) => /^(parse|decode)/.test(name) && typeof v === "function");
    const uncovered = parsers
      .filter(([name, fn]) => !(name.endsWith("Cdb") && dispatched.has(fn)) && !FUZZED_ELSEWHERE.has(name) && !FUZZED_HERE.has(name))
      .map(([name]) => name);
    expect(uncovered).toEqual([]);
  });
});

const RUNS = 3000;

describe("free-standing decoders under random input", () => {
  it("decodeModePages: pages, truncation marks or MalformedDataError; pages never extend past the input", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), fc.boolean(), (bytes, complete) => {
        typed(() => {
          const pages = m.decodeModePages(bytes, 0, complete);
          let total = 0;
          for (const p of pages) total += (p.spf ? 4 : 2) + p.parameters.length;
          expect(total).toBeLessThanOrEqual(bytes.length);
          for (const p of pages) typed(() => m.decodeModePage(p));
        });
      }),
      { numRuns: RUNS },
    );
  });

  it("decodeModePage: any raw page (known page codes with random parameter bytes) decodes or keeps the page raw", () => {
    const raw = fc.record({
      ps: fc.boolean(),
      spf: fc.boolean(),
      pageCode: fc.oneof(fc.constantFrom(0x01, 0x05, 0x1a, 0x1d, 0x2a), fc.integer({ min: 0, max: 0x3f })),
      subpageCode: fc.integer({ min: 0, max: 255 }),
      parameters: fc.uint8Array({ maxLength: 80 }),
    }).map((p) => (p.spf ? p : { ...p, subpageCode: 0 }));
    fc.assert(fc.property(raw, (page) => typed(() => m.decodeModePage(page))), { numRuns: RUNS });
  });

  it("decodeFeatureDescriptor: any bytes at any base offset; errors point inside the buffer", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat({ max: 1000 }), (bytes, base) => {
        try {
          m.decodeFeatureDescriptor(bytes, base);
        } catch (e) {
          if (!(e instanceof MalformedDataError)) throw e;
          expect(e.offset).toBeGreaterThanOrEqual(base);
          expect(e.offset).toBeLessThanOrEqual(base + Math.max(bytes.length, 4));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("decodeSenseKeySpecific: three bytes under every sense key decode; other lengths are refused as an argument error", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 6 }), (key, bytes) => {
        if (bytes.length === 3) {
          expect(() => m.decodeSenseKeySpecific(key, bytes)).not.toThrow();
        } else {
          expect(() => m.decodeSenseKeySpecific(key, bytes)).toThrow(InvalidArgumentError);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
