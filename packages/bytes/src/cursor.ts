/**
 * Bounds-checked cursors. A ByteReader names the structure it decodes, so a short or bad field
 * becomes a MalformedDataError that says which structure and which absolute offset.
 */
import { MalformedDataError } from "@discforge/errors";
import * as int from "./int.js";
import { readPadded, writePadded, type PaddedOptions } from "./text.js";

export class ByteReader {
  private pos: number;

  constructor(
    readonly bytes: Uint8Array,
    readonly structure: string,
    /** Offset of `bytes[0]` within the enclosing buffer or image, for error messages. */
    readonly baseOffset = 0,
    start = 0,
  ) {
    this.pos = start;
  }

  get offset(): number {
    return this.pos;
  }
  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  fail(detail: string, at = this.pos): never {
    throw new MalformedDataError(this.structure, this.baseOffset + at, detail);
  }

  private take(n: number): number {
    if (n < 0 || this.pos + n > this.bytes.length) {
      this.fail(`needs ${n} byte(s), ${this.remaining} remain`);
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  seek(offset: number): this {
    if (offset < 0 || offset > this.bytes.length) this.fail(`seek to ${offset} outside ${this.bytes.length} bytes`, offset);
    this.pos = offset;
    return this;
  }
  skip(n: number): this {
    this.take(n);
    return this;
  }

  u8(): number {
    return this.bytes[this.take(1)]!;
  }
  u16be(): number {
    return int.readU16BE(this.bytes, this.take(2));
  }
  u16le(): number {
    return int.readU16LE(this.bytes, this.take(2));
  }
  u24be(): number {
    return int.readU24BE(this.bytes, this.take(3));
  }
  u32be(): number {
    return int.readU32BE(this.bytes, this.take(4));
  }
  u32le(): number {
    return int.readU32LE(this.bytes, this.take(4));
  }
  i32be(): number {
    return int.readI32BE(this.bytes, this.take(4));
  }
  u64be(): number {
    const at = this.take(8);
    try {
      return int.readU64BE(this.bytes, at);
    } catch {
      return this.fail("64-bit value exceeds 2^53-1", at);
    }
  }
  u64le(): number {
    const at = this.take(8);
    try {
      return int.readU64LE(this.bytes, at);
    } catch {
      return this.fail("64-bit value exceeds 2^53-1", at);
    }
  }
  both16(): number {
    const at = this.take(4);
    const le = int.readU16LE(this.bytes, at);
    const be = int.readU16BE(this.bytes, at + 2);
    if (le !== be) this.fail(`both-endian mismatch: LE ${le} vs BE ${be}`, at);
    return le;
  }
  both32(): number {
    const at = this.take(8);
    const le = int.readU32LE(this.bytes, at);
    const be = int.readU32BE(this.bytes, at + 4);
    if (le !== be) this.fail(`both-endian mismatch: LE ${le} vs BE ${be}`, at);
    return le;
  }
  /** A view (no copy) of the next n bytes. */
  bytesView(n: number): Uint8Array {
    const at = this.take(n);
    return this.bytes.subarray(at, at + n);
  }
  padded(n: number): string {
    const at = this.take(n);
    return readPadded(this.bytes, at, n, this.structure);
  }
  /** A reader over the next n bytes, sharing memory, reporting offsets in the same frame. */
  sub(n: number, structure = this.structure): ByteReader {
    const at = this.take(n);
    return new ByteReader(this.bytes.subarray(at, at + n), structure, this.baseOffset + at);
  }
}

export class ByteWriter {
  private pos = 0;
  readonly bytes: Uint8Array;

  constructor(sizeOrBuffer: number | Uint8Array) {
    this.bytes = typeof sizeOrBuffer === "number" ? new Uint8Array(sizeOrBuffer) : sizeOrBuffer;
  }

  get offset(): number {
    return this.pos;
  }
  seek(offset: number): this {
    if (offset < 0 || offset > this.bytes.length) throw new RangeError(`seek to ${offset} outside ${this.bytes.length} bytes`);
    this.pos = offset;
    return this;
  }
  skip(n: number): this {
    return this.seek(this.pos + n);
  }
  u8(v: number): this {
    int.writeU8(this.bytes, this.pos, v);
    this.pos += 1;
    return this;
  }
  u16be(v: number): this {
    int.writeU16BE(this.bytes, this.pos, v);
    this.pos += 2;
    return this;
  }
  u16le(v: number): this {
    int.writeU16LE(this.bytes, this.pos, v);
    this.pos += 2;
    return this;
  }
  u24be(v: number): this {
    int.writeU24BE(this.bytes, this.pos, v);
    this.pos += 3;
    return this;
  }
  u32be(v: number): this {
    int.writeU32BE(this.bytes, this.pos, v);
    this.pos += 4;
    return this;
  }
  u32le(v: number): this {
    int.writeU32LE(this.bytes, this.pos, v);
    this.pos += 4;
    return this;
  }
  i32be(v: number): this {
    int.writeI32BE(this.bytes, this.pos, v);
    this.pos += 4;
    return this;
  }
  u64be(v: number): this {
    int.writeU64BE(this.bytes, this.pos, v);
    this.pos += 8;
    return this;
  }
  u64le(v: number): this {
    int.writeU64LE(this.bytes, this.pos, v);
    this.pos += 8;
    return this;
  }
  both16(v: number): this {
    int.writeBoth16(this.bytes, this.pos, v);
    this.pos += 4;
    return this;
  }
  both32(v: number): this {
    int.writeBoth32(this.bytes, this.pos, v);
    this.pos += 8;
    return this;
  }
  raw(data: Uint8Array): this {
    if (this.pos + data.length > this.bytes.length) throw new RangeError(`writing ${data.length} bytes at ${this.pos} overruns ${this.bytes.length}`);
    this.bytes.set(data, this.pos);
    this.pos += data.length;
    return this;
  }
  padded(n: number, text: string, options?: PaddedOptions): this {
    writePadded(this.bytes, this.pos, n, text, options);
    this.pos += n;
    return this;
  }
}
