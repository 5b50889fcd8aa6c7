// Parser completeness (through encodeCdb): for any CDB that decodes, building it again from the decoded fields gives
// back the same bytes (after dropping padding, the vendor-specific CONTROL bits and FORMAT UNIT's
// vendor byte). A CDB bit that a parser neither checks nor decodes would break this.
import fc from "fast-check";
import { toHex } from "@discforge/bytes";
import { InvalidArgumentError } from "@discforge/errors";
import { describe, expect, it } from "vitest";
import * as m from "../../src/cdb/index.js";

/** The bytes a builder would produce: the command's own length, vendor bits cleared. */
function canonical(cdb: Uint8Array, d: m.DecodedCdb): Uint8Array {
  const length = d.op === "readCapacity16" ? 16 : d.info.cdbLength;
  const out = cdb.slice(0, length);
  out[length - 1] = out[length - 1]! & 0x3f;
  if (d.op === "formatUnit") out[2] = 0;
  return out;
}

describe("parsers keep every CDB bit", () => {
  it("rebuilds decodable CDBs byte for byte", () => {
    const arb = fc
      .tuple(
        fc.constantFrom(...m.DECODABLE_OPCODES),
        fc.array(fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) }), { minLength: 15, maxLength: 15 }),
      )
      .map(([op, rest]) => Uint8Array.of(op, ...rest));
    let rebuilt = 0;
    let refusedByBuilder = 0;
    fc.assert(
      fc.property(arb, (bytes) => {
        let d: m.DecodedCdb;
        try {
          d = m.decodeCdb(bytes);
        } catch (e) {
          if (m.isCdbDecodeError(e)) return;
          throw e;
        }
        let req: m.ScsiRequest;
        try {
          req = m.encodeCdb(d, { blockSize: 1 });
        } catch (e) {
          // Builders refuse a few combinations a drive merely ignores (e.g. LoEj with a power
          // condition); they must say so with InvalidArgumentError.
          if (!(e instanceof InvalidArgumentError)) throw e;
          refusedByBuilder++;
          return;
        }
        expect(toHex(req.cdb)).toBe(toHex(canonical(bytes, d)));
        rebuilt++;
      }),
      { numRuns: 20_000 },
    );
    expect(rebuilt).toBeGreaterThan(2000);
    expect(refusedByBuilder).toBeLessThan(rebuilt);
  });
});
