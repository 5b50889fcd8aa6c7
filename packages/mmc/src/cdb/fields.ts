/**
 * Shared machinery of the CDB codecs: validation of caller values on build (InvalidArgumentError
 * naming command and field), and a reader that turns every bad CDB field into a CdbFieldError
 * carrying the SPC-4 field pointer (byte offset, bit of the field's most significant bit).
 */
import { InvalidArgumentError } from "@discforge/errors";
import type { DataDirection } from "@discforge/transport";
import { opcodeInfoByKey, type TimeoutClass } from "../tables/opcodes.js";
import { CdbFieldError, CdbLengthError } from "./errors.js";
import type { ScsiRequest } from "./request.js";

/** Makes the listed keys optional (build inputs default them). */
export type Optional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

// ---------------------------------------------------------------------------------------------
// Build side

export function checkUint(command: string, field: string, value: number, bits: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0 || value > 2 ** bits - 1) {
    throw new InvalidArgumentError(`${command} ${field}`, `${String(value)} is not an integer in 0..${2 ** bits - 1}`);
  }
  return value;
}

export function checkRange(command: string, field: string, value: number, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(`${command} ${field}`, `${String(value)} is not an integer in ${min}..${max}`);
  }
  return value;
}

export function checkBool(command: string, field: string, value: boolean | undefined): boolean {
  if (value === undefined) return false;
  if (typeof value !== "boolean") throw new InvalidArgumentError(`${command} ${field}`, `${String(value)} is not a boolean`);
  return value;
}

/** Looks a name up in a code table; unknown names are the caller's fault. */
export function checkName<N extends string>(command: string, field: string, table: Readonly<Record<N, number>>, name: N): number {
  if (typeof name !== "string" || !Object.prototype.hasOwnProperty.call(table, name)) {
    throw new InvalidArgumentError(`${command} ${field}`, `${String(name)} is not one of ${Object.keys(table).join(", ")}`);
  }
  return table[name];
}

export function invalid(command: string, field: string, message: string): never {
  throw new InvalidArgumentError(`${command} ${field}`, message);
}

/** A zeroed CDB with the opcode in byte 0; writes OR into place after the value was checked. */
export class CdbWriter {
  readonly bytes: Uint8Array;
  constructor(opcode: number, length: number) {
    this.bytes = new Uint8Array(length);
    this.bytes[0] = opcode;
  }
  /** ORs `value` (already range-checked) into byte `off` at bit position `shift`. */
  bits(off: number, shift: number, value: number): this {
    this.bytes[off] = this.bytes[off]! | (value << shift);
    return this;
  }
  flag(off: number, bit: number, on: boolean): this {
    if (on) this.bytes[off] = this.bytes[off]! | (1 << bit);
    return this;
  }
  u8(off: number, value: number): this {
    this.bytes[off] = value;
    return this;
  }
  u16(off: number, value: number): this {
    this.bytes[off] = value >>> 8;
    this.bytes[off + 1] = value & 0xff;
    return this;
  }
  u24(off: number, value: number): this {
    this.bytes[off] = value >>> 16;
    return this.u16(off + 1, value & 0xffff);
  }
  u32(off: number, value: number): this {
    this.bytes[off] = value >>> 24;
    return this.u24(off + 1, value & 0xffffff);
  }
  /** 64-bit big-endian from a safe integer. */
  u64(off: number, value: number): this {
    const high = Math.floor(value / 2 ** 32);
    return this.u32(off, high).u32(off + 4, value - high * 2 ** 32);
  }
}

export interface RequestExtras {
  readonly direction?: DataDirection;
  readonly dataInLength?: number;
  readonly dataOut?: Uint8Array | undefined;
  readonly dataOutLength?: number | undefined;
  readonly timeoutClass?: TimeoutClass;
}

/** Assembles a ScsiRequest; direction and timeout class default to the opcode table's. */
export function makeRequest(key: string, cdb: Uint8Array, extras: RequestExtras = {}): ScsiRequest {
  const info = opcodeInfoByKey(key);
  if (info === undefined) throw new InvalidArgumentError("command", `no opcode table row for ${key}`);
  const direction = extras.direction ?? info.direction;
  const base = { name: info.name, cdb, direction, timeoutClass: extras.timeoutClass ?? info.timeoutClass };
  if (direction === "in") {
    // A zero allocation or transfer length moves no data: say so, rather than ask for 0 bytes in.
    const dataInLength = extras.dataInLength ?? 0;
    return dataInLength === 0 ? { ...base, direction: "none" } : { ...base, dataInLength };
  }
  if (direction === "out") {
    const { dataOut, dataOutLength } = extras;
    if (dataOut !== undefined && dataOutLength !== undefined && dataOut.length !== dataOutLength) {
      throw new InvalidArgumentError(`${info.name} data`, `CDB announces ${dataOutLength} bytes, got ${dataOut.length}`);
    }
    return {
      ...base,
      ...(dataOut === undefined ? {} : { dataOut }),
      ...(dataOutLength === undefined ? {} : { dataOutLength }),
    };
  }
  return base;
}

// ---------------------------------------------------------------------------------------------
// Parse side

/**
 * Reads fields of one CDB. The constructor checks the length (a longer CDB is accepted: ATAPI
 * pads every packet to 12 bytes) and the CONTROL byte (SPC-4 4.2.5.6: NACA and the obsolete
 * FLAG/LINK bits unsupported, bits 5..3 reserved; the vendor-specific bits 7..6 are ignored).
 */
export class CdbReader {
  constructor(
    readonly cdb: Uint8Array,
    readonly command: string,
    readonly length: number,
  ) {
    if (cdb.length < length) throw new CdbLengthError(command, length, cdb.length);
    this.reserved(length - 1, 0x3f, "NACA, LINK and the reserved CONTROL bits are not supported");
  }

  fail(byte: number, bit: number | undefined, detail: string): never {
    throw new CdbFieldError(this.command, byte, bit, detail);
  }

  u8(off: number): number {
    return this.cdb[off]!;
  }
  u16(off: number): number {
    return (this.cdb[off]! << 8) | this.cdb[off + 1]!;
  }
  u24(off: number): number {
    return (this.cdb[off]! << 16) | this.u16(off + 1);
  }
  u32(off: number): number {
    return this.cdb[off]! * 2 ** 24 + this.u24(off + 1);
  }
  /** 64-bit big-endian; values above 2^53-1 are rejected as an invalid field. */
  u64(off: number): number {
    const high = this.u32(off);
    if (high >= 2 ** 21) this.fail(off, 7, "64-bit value exceeds 2^53-1");
    return high * 2 ** 32 + this.u32(off + 4);
  }
  /** Field of `width` bits whose most significant bit is `msb` in byte `off`. */
  bits(off: number, msb: number, width: number): number {
    return (this.cdb[off]! >>> (msb - width + 1)) & ((1 << width) - 1);
  }
  flag(off: number, bit: number): boolean {
    return (this.cdb[off]! & (1 << bit)) !== 0;
  }
  /** Rejects any set bit of `mask` in byte `off`, pointing at the highest one. */
  reserved(off: number, mask: number, detail = "reserved bit set"): void {
    const set = this.cdb[off]! & mask;
    if (set !== 0) this.fail(off, 31 - Math.clz32(set), detail);
  }
  /** Rejects any non-zero byte in [from, to]. */
  reservedBytes(from: number, to: number): void {
    for (let i = from; i <= to; i++) this.reserved(i, 0xff, "reserved byte is not zero");
  }
}
