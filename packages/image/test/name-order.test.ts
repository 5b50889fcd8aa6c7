/** ISO 9660 identifiers built in one pass for ASCII names, and record order from packed sort keys. */
import { describe, expect, it } from "vitest";
import { compareIsoIdentifiers, compareIsoRecords, mapIsoIdentifiers, mapIsoNames } from "../src/iso9660/names.js";
import { TORTURE_NAMES } from "./helpers.js";

describe("ISO 9660 identifiers", () => {
  const names: [string, boolean][] = [
    ["..x.y", false],
    ["a.", false],
    ["a..b", false],
    ["...", true],
    ["b.c.d", true],
    ["x".repeat(33) + ".abcdefghijkl", false],
    ["q-1.tar.gz", false],
    ["Q_1.TAR.gz", false],
    ["q 1.tar.gz", false],
    ["Ünï.txt", false],
    ["semi;colon.c", false],
    ["z".repeat(40), true],
    ["z".repeat(40) + "y", true],
  ];
  it("leading and inner dots, truncation, collisions and non-ASCII names map as per ECMA-119 7.5/7.6", () => {
    const ids = (level: 1 | 2 | 3, versionSuffix: boolean): string[] => mapIsoNames(names, { level, versionSuffix }).map((m) => m.identifier);
    expect(ids(1, true)).toEqual(["__X.Y;1", "A.;1", "A_.B;1", "___", "B_C_D", "XXXXXXXX.ABC;1", "Q_1_T002.GZ;1", "Q_1_TAR.GZ;1", "Q_1_T001.GZ;1", "_N_.TXT;1", "SEMI_COL.C;1", "ZZZZZZZZ", "ZZZZZ001"]);
    expect(ids(2, false)).toEqual(["__X.Y", "A.", "A_.B", "___", "B_C_D", "X".repeat(22) + ".ABCDEFGH", "Q_1_TAR002.GZ", "Q_1_TAR.GZ", "Q_1_TAR001.GZ", "_N_.TXT", "SEMI_COLON.C", "Z".repeat(31), "Z".repeat(28) + "001"]);
    expect(ids(3, true)).toEqual(["__X.Y;1", "A.;1", "A_.B;1", "___", "B_C_D", "X".repeat(22) + ".ABCDEFGH;1", "Q_1_TAR002.GZ;1", "Q_1_TAR.GZ;1", "Q_1_TAR001.GZ;1", "_N_.TXT;1", "SEMI_COLON.C;1", "Z".repeat(31), "Z".repeat(28) + "001"]);
  });

  it("packed sort keys give the name and extension parts and the order of compareIsoRecords", () => {
    const all: [string, boolean][] = [...names, ...TORTURE_NAMES.map((n, i): [string, boolean] => [n, i % 4 === 0])];
    for (const level of [1, 2, 3, "1999"] as const) {
      for (const versionSuffix of [true, false]) {
        const o = { level, versionSuffix };
        const mapped = mapIsoNames(all, o);
        const { identifiers, sortKeys } = mapIsoIdentifiers(all.map(([name, dir]) => ({ name, kind: dir ? "directory" : "file" })), o);
        expect(identifiers).toEqual(mapped.map((m) => m.identifier));
        for (let a = 0; a < all.length; a++) {
          const nameEnd = Math.floor(sortKeys[a]! / 65536);
          expect([identifiers[a]!.slice(0, nameEnd), identifiers[a]!.slice(nameEnd + 1, sortKeys[a]! % 65536)]).toEqual([mapped[a]!.name, mapped[a]!.ext]);
          for (let b = 0; b < all.length; b++) {
            expect(Math.sign(compareIsoIdentifiers(identifiers[a]!, sortKeys[a]!, identifiers[b]!, sortKeys[b]!)), `${identifiers[a]} ${identifiers[b]}`).toBe(Math.sign(compareIsoRecords(mapped[a]!, mapped[b]!)));
          }
        }
      }
    }
  });
});
