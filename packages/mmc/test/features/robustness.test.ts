// Property-based robustness: every decoder of this module, fed random, structured-random and
// truncated buffers, either returns a value or throws a MalformedDataError naming its structure
// and an offset inside the buffer, and every decoded value encodes and decodes back to itself.
import { fromHex } from "@discforge/bytes";
import { MalformedDataError } from "@discforge/errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DECODED_FEATURE_CODES,
  configurationCodec,
  deviceIdentificationCodec,
  eventStatusCodec,
  featureDescriptorCodec,
  mechanismStatusCodec,
  standardInquiryCodec,
  supportedVpdPagesCodec,
  unitSerialNumberCodec,
} from "../../src/features/index.js";
import * as features from "../../src/features/index.js";

interface AnyCodec {
  readonly structure: string;
  decode(bytes: Uint8Array): unknown;
  encode(value: never): Uint8Array;
}

const CODECS: readonly AnyCodec[] = [
  standardInquiryCodec,
  supportedVpdPagesCodec,
  unitSerialNumberCodec,
  deviceIdentificationCodec,
  configurationCodec,
  featureDescriptorCodec,
  eventStatusCodec,
  mechanismStatusCodec,
];

/** Removes `truncated` (and, for INQUIRY, the vendor-specific block the long form pads) for comparison. */
function comparable(codec: AnyCodec, value: unknown): unknown {
  const { truncated: _t, ...rest } = value as Record<string, unknown>;
  if (codec === standardInquiryCodec) {
    const { vendorSpecific: _v, ...core } = rest;
    return core;
  }
  return rest;
}

/** Decodes; on success checks the encode/decode fixpoint. Any non-MalformedDataError fails the property. */
function check(codec: AnyCodec, bytes: Uint8Array): boolean {
  let v1: unknown;
  try {
    v1 = codec.decode(bytes);
  } catch (e) {
    if (!(e instanceof MalformedDataError)) throw e;
    expect(e.structure.length).toBeGreaterThan(0);
    expect(e.offset).toBeGreaterThanOrEqual(0);
    expect(e.offset).toBeLessThanOrEqual(Math.max(bytes.length, 8));
    return false;
  }
  const encode = codec.encode as (v: unknown) => Uint8Array;
  const v2 = codec.decode(encode(v1));
  expect(comparable(codec, v2)).toEqual(comparable(codec, v1));
  expect(codec.decode(encode(v2))).toEqual(v2);
  return true;
}

// 1500 per property, 18 properties: about 27,000 buffers in total.
const RUNS = 1500;

describe("random buffers through every decoder", () => {
  it("covers every codec the module exports", () => {
    const exported = Object.entries(features).filter(([name, v]) => name.endsWith("Codec") && typeof v === "object").map(([, v]) => v);
    expect(exported.filter((codec) => !CODECS.includes(codec as AnyCodec)).map((c) => (c as AnyCodec).structure)).toEqual([]);
  });

  for (const codec of CODECS) {
    it(`${codec.structure}: a value or a MalformedDataError`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 0, maxLength: 320 }), (bytes) => {
          check(codec, bytes);
        }),
        { numRuns: RUNS },
      );
    });
  }
});

// Buffers shaped like the real thing, so the walks get past the headers.
const knownCode = fc.oneof(fc.constantFrom(...DECODED_FEATURE_CODES), fc.integer({ min: 0, max: 0xffff }));
const descriptor = fc
  .tuple(knownCode, fc.integer({ min: 0, max: 255 }), fc.uint8Array({ minLength: 0, maxLength: 40 }))
  .map(([code, flags, body]) => Uint8Array.from([code >>> 8, code & 0xff, flags, body.length, ...body]));
const configurationBuffer = fc
  .tuple(fc.array(descriptor, { maxLength: 8 }), fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: -6, max: 6 }))
  .map(([descs, profile, skew]) => {
    const body = descs.flatMap((d) => Array.from(d));
    const dataLength = Math.max(0, 4 + body.length + skew);
    return Uint8Array.from([dataLength >>> 24, (dataLength >>> 16) & 0xff, (dataLength >>> 8) & 0xff, dataLength & 0xff, 0, 0, profile >>> 8, profile & 0xff, ...body]);
  });
const cut = (buffer: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> =>
  buffer.chain((b) => fc.integer({ min: 0, max: b.length }).map((n) => b.subarray(0, n)));

const eventBuffer = fc
  .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.uint8Array({ minLength: 0, maxLength: 10 }))
  .map(([b2, b3, rest]) => Uint8Array.from([0, 2 + rest.length, b2, b3, ...rest]));
const mechanismBuffer = fc
  .tuple(fc.uint8Array({ minLength: 6, maxLength: 6 }), fc.integer({ min: 0, max: 8 }))
  .map(([head, n]) => Uint8Array.from([...head, 0, n * 4, ...new Uint8Array(n * 4).map((_, i) => (i * 37) & 0xff)]));
const vpdBuffer = (page: number): fc.Arbitrary<Uint8Array> =>
  fc.array(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 24 })), { maxLength: 5 }).map((ds) => {
    const body = ds.flatMap(([b0, b1, d]) => [b0, b1, 0, d.length, ...d]);
    return Uint8Array.from([0x05, page, body.length >>> 8, body.length & 0xff, ...body]);
  });
const inquiryBuffer = fc
  .tuple(fc.uint8Array({ minLength: 96, maxLength: 140 }), fc.integer({ min: 0, max: 255 }))
  .map(([b, additional]) => {
    const out = b.slice();
    out[4] = additional;
    return out;
  });

describe("structured and truncated buffers", () => {
  const cases: ReadonlyArray<[AnyCodec, fc.Arbitrary<Uint8Array>]> = [
    [configurationCodec, configurationBuffer],
    [configurationCodec, cut(configurationBuffer)],
    [featureDescriptorCodec, descriptor],
    [featureDescriptorCodec, cut(descriptor)],
    [eventStatusCodec, cut(eventBuffer)],
    [mechanismStatusCodec, cut(mechanismBuffer)],
    [deviceIdentificationCodec, cut(vpdBuffer(0x83))],
    [supportedVpdPagesCodec, cut(vpdBuffer(0x00))],
    [unitSerialNumberCodec, cut(vpdBuffer(0x80))],
    [standardInquiryCodec, cut(inquiryBuffer)],
  ];
  cases.forEach(([codec, arbitrary], i) => {
    it(`${codec.structure} (#${i}): a value or a MalformedDataError, and a stable round trip`, () => {
      let decoded = 0;
      fc.assert(
        fc.property(arbitrary, (bytes) => {
          if (check(codec, bytes)) decoded++;
        }),
        { numRuns: RUNS },
      );
      // The shapes are meant to reach the value path (and its round trip), not just the errors.
      expect(decoded).toBeGreaterThan(RUNS / 10);
    });
  });

  it("every prefix of a real GET CONFIGURATION response decodes or fails typed", () => {
    const full = fromHex(
      "00000024 0000 001b  0000 03 08 001b0100 001a0000  0001 0b 08 00000002 03000000  002b 01 04 01000000",
    );
    for (let n = 0; n <= full.length; n++) check(configurationCodec, full.subarray(0, n));
  });
});
