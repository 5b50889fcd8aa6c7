/**
 * FORMAT UNIT parameter list (MMC-6 6.5.3): 4-byte format list header (byte 1: FOV, DPRY, DCRT,
 * STPF, IP, Try-Out, IMMED, VS; bytes 2-3 format descriptor length = 8), an optional
 * initialization pattern descriptor when IP is set (SBC-3 5.3.2.3, kept raw), and one format
 * descriptor (number of blocks, format type (6 bits) and sub-type (2 bits), type-dependent
 * parameter). Format type names: FORMAT_TYPES (tables/format-types.ts).
 */
import { ByteReader, ByteWriter } from "@discforge/bytes";
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";
import { bit, bits, fixedReader, flag, u8At, u16At, u24At, u32At, uint, type Codec } from "./codec.js";

export interface FormatDescriptor {
  readonly numberOfBlocks: number;
  readonly formatType: number;
  readonly formatSubType: number;
  readonly typeDependentParameter: number;
}

export interface FormatUnitParameters {
  /** Format Options Valid: the bits below are meaningful. */
  readonly fov: boolean;
  readonly dpry: boolean;
  /** Disable Certification. */
  readonly dcrt: boolean;
  readonly stpf: boolean;
  /** Try-Out: check the parameters without formatting. */
  readonly tryOut: boolean;
  /** Return status before the format completes. */
  readonly immed: boolean;
  readonly vs: boolean;
  /** The whole initialization pattern descriptor (sets IP), raw; absent when IP is 0. */
  readonly initializationPattern?: Uint8Array;
  readonly descriptor: FormatDescriptor;
}

const STRUCTURE = "FORMAT UNIT parameter list";

function decode(bytes: Uint8Array): FormatUnitParameters {
  const r = fixedReader(bytes, STRUCTURE, 4);
  const b1 = u8At(r, 1);
  const descriptorLength = u16At(r, 2);
  if (descriptorLength !== 8) throw new MalformedDataError(STRUCTURE, 2, `format descriptor length ${descriptorLength}, expected 8`);
  let at = 4;
  let initializationPattern: Uint8Array | undefined;
  if (bit(b1, 3)) {
    const patternLength = u16At(r, 6);
    initializationPattern = r.seek(4).bytesView(4 + patternLength).slice();
    at += 4 + patternLength;
  }
  if (bytes.length < at + 8) throw new MalformedDataError(STRUCTURE, at, `format descriptor needs 8 bytes, ${Math.max(0, bytes.length - at)} present`);
  const d = new ByteReader(bytes.subarray(at, at + 8), STRUCTURE, at);
  const b4 = u8At(d, 4);
  return {
    fov: bit(b1, 7),
    dpry: bit(b1, 6),
    dcrt: bit(b1, 5),
    stpf: bit(b1, 4),
    tryOut: bit(b1, 2),
    immed: bit(b1, 1),
    vs: bit(b1, 0),
    ...(initializationPattern === undefined ? {} : { initializationPattern }),
    descriptor: {
      numberOfBlocks: u32At(d, 0),
      formatType: b4 >>> 2,
      formatSubType: bits(b4, 1, 0),
      typeDependentParameter: u24At(d, 5),
    },
  };
}

function encode(v: FormatUnitParameters): Uint8Array {
  const pattern = v.initializationPattern;
  if (pattern !== undefined && (pattern.length < 4 || ((pattern[2]! << 8) | pattern[3]!) !== pattern.length - 4)) {
    throw new InvalidArgumentError("initializationPattern", "must be a complete initialization pattern descriptor (4-byte header + pattern)");
  }
  const w = new ByteWriter(12 + (pattern?.length ?? 0));
  w.skip(1);
  w.u8(flag(v.fov, 7) | flag(v.dpry, 6) | flag(v.dcrt, 5) | flag(v.stpf, 4) | flag(pattern !== undefined, 3) | flag(v.tryOut, 2) | flag(v.immed, 1) | flag(v.vs, 0));
  w.u16be(8);
  if (pattern !== undefined) w.raw(pattern);
  const d = v.descriptor;
  w.u32be(uint("numberOfBlocks", d.numberOfBlocks, 32));
  w.u8((uint("formatType", d.formatType, 6) << 2) | uint("formatSubType", d.formatSubType, 2));
  w.u24be(uint("typeDependentParameter", d.typeDependentParameter, 24));
  return w.bytes;
}

export const formatUnitParametersCodec: Codec<FormatUnitParameters> = { structure: STRUCTURE, decode, encode };
