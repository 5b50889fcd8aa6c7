/**
 * Errors raised while decoding a CDB received by a device server (the emulated drive).
 *
 * Each maps to one SPC-4 answer: CdbFieldError to ILLEGAL REQUEST / INVALID FIELD IN CDB (24/00)
 * with a sense-key-specific field pointer (SPC-4 4.5.2.4.2: C/D = 1, byte offset, bit pointer of
 * the field's most significant bit); UnsupportedOpcodeError to ILLEGAL REQUEST / INVALID COMMAND
 * OPERATION CODE (20/00); CdbLengthError (a CDB shorter than its group code requires) to
 * ILLEGAL REQUEST / INVALID FIELD IN CDB pointing at the operation code.
 */
import { MalformedDataError } from "@discforge/errors";

/** A CDB field holds a reserved or invalid value. */
export class CdbFieldError extends MalformedDataError {
  constructor(
    /** Command name, e.g. "READ CD". */
    readonly command: string,
    /** Offset of the (most significant byte of the) offending field within the CDB. */
    readonly byteOffset: number,
    /** Bit number (7..0) of the field's most significant bit; undefined when the whole byte is meant. */
    readonly bitNumber: number | undefined,
    detail: string,
  ) {
    super(`${command} CDB`, byteOffset, bitNumber === undefined ? detail : `bit ${bitNumber}: ${detail}`);
  }
}

/** The operation code (or the service action under it) is not one this layer decodes. */
export class UnsupportedOpcodeError extends MalformedDataError {
  constructor(
    readonly opcode: number,
    /** Table name of the opcode when SPC-4/MMC-6 names it, so traces still say what was asked. */
    readonly commandName: string | undefined,
  ) {
    const hex = opcode.toString(16).padStart(2, "0").toUpperCase();
    super("CDB", 0, commandName === undefined ? `unknown operation code ${hex}h` : `operation code ${hex}h (${commandName}) is not supported`);
  }
}

/** The CDB is shorter than its operation code requires. */
export class CdbLengthError extends MalformedDataError {
  constructor(
    readonly command: string,
    readonly expectedLength: number,
    readonly actualLength: number,
  ) {
    super(`${command} CDB`, 0, `needs ${expectedLength} bytes, got ${actualLength}`);
  }
}

/** Any error decodeCdb() and the parse*Cdb() functions raise on purpose. */
export type CdbDecodeError = CdbFieldError | UnsupportedOpcodeError | CdbLengthError;

export function isCdbDecodeError(e: unknown): e is CdbDecodeError {
  return e instanceof CdbFieldError || e instanceof UnsupportedOpcodeError || e instanceof CdbLengthError;
}
