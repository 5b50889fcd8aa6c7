/** Golden-vector helpers: hex text with a comment per field ("#" to end of line). */
import { fromHex, toHex } from "@discforge/bytes";
import { MalformedDataError } from "@discforge/errors";
import { expect } from "vitest";
import type { StructureCodec } from "../../src/structures/index.js";

export const hex = fromHex;

/** Both directions: the bytes decode to `value`, and `value` encodes to exactly the bytes. */
export function checkGolden<T>(codec: StructureCodec<T>, text: string | Uint8Array, value: T): void {
  const bytes = typeof text === "string" ? fromHex(text) : text;
  expect(codec.decode(bytes)).toEqual(value);
  expect(toHex(codec.encode(value))).toBe(toHex(bytes));
}

/** Decoding must fail with MalformedDataError naming the codec's structure. */
export function expectMalformed(fn: () => unknown, structure?: string): MalformedDataError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(MalformedDataError);
  const error = caught as MalformedDataError;
  if (structure !== undefined) expect(error.structure).toBe(structure);
  return error;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}
