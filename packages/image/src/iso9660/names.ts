/**
 * Name mapping from the tree's names (any Unicode) to the identifiers each namespace can hold.
 *
 * ECMA-119 7.5/7.6 (file and directory identifiers), 6.8.2.1 (identifier lengths per level) and
 * 9.3 (record order); ISO 9660:1999 7.5 (207-byte identifiers, no version required); Joliet
 * specification (UCS-2, at most 64 characters; 103 is what other writers allow as an option;
 * `* / : ; ? \` and controls forbidden).
 *
 * Mapping is deterministic: children are processed in a fixed order (by their original name's
 * UTF-16 code units), and a mapped name that is already taken gets a numeric suffix that
 * increments until free. The same tree always gives the same identifiers.
 */
import { InvalidArgumentError } from "@discforge/errors";

export type InterchangeLevel = 1 | 2 | 3 | "1999";

export interface IsoNameOptions {
  readonly level: InterchangeLevel;
  /** Write ";1" after file identifiers (ECMA-119 7.5.1; default true; ignored for 1999). */
  readonly versionSuffix: boolean;
  /** ISO 9660:1999 identifier limit (207, less when System Use entries must fit the record). */
  readonly maxLength1999?: number;
}

export interface MappedIsoName {
  /** The identifier bytes as recorded (ASCII). */
  readonly identifier: string;
  /** Sort key parts (ECMA-119 9.3). */
  readonly name: string;
  readonly ext: string;
}

function isDChar(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
}

/** Anything but a d-character, one match per code point (a surrogate pair is one character). */
const NOT_D_CHAR = /[^A-Z0-9_]/gu;

function dChars(s: string): string {
  const upper = s.toUpperCase();
  for (let i = 0; i < upper.length; i++) if (!isDChar(upper.charCodeAt(i))) return upper.replace(NOT_D_CHAR, "_");
  return upper;
}

/** ISO 9660:1999 d1-characters as we use them: printable ASCII minus the separators. */
const NOT_D1_CHAR = /[^\x20-\x3a\x3c-\x7e]|\//gu;

function d1Chars(s: string): string {
  return s.replace(NOT_D1_CHAR, "_");
}

function limits(level: InterchangeLevel, isDir: boolean, max1999 = 207): { name: number; ext: number; total: number } {
  if (level === 1) return isDir ? { name: 8, ext: 0, total: 8 } : { name: 8, ext: 3, total: 11 };
  if (level === "1999") return { name: max1999, ext: max1999, total: max1999 };
  return isDir ? { name: 31, ext: 0, total: 31 } : { name: 30, ext: 30, total: 30 };
}

function splitExt(name: string, isDir: boolean): [string, string] {
  if (isDir) return [name, ""];
  const dot = name.lastIndexOf(".");
  if (dot <= 0) return [name, ""];
  return [name.slice(0, dot), name.slice(dot + 1)];
}

function compose(base: string, ext: string, isDir: boolean, o: IsoNameOptions): MappedIsoName {
  if (o.level === "1999") {
    const id = ext ? `${base}.${ext}` : base;
    return { identifier: id, name: base, ext };
  }
  if (isDir) return { identifier: base, name: base, ext: "" };
  return { identifier: `${base}.${ext}${o.versionSuffix ? ";1" : ""}`, name: base, ext };
}

/**
 * Maps the children names of one directory. `entries` are [original name, is directory].
 * Returns the identifiers in the input order.
 */
export function mapIsoNames(entries: readonly (readonly [string, boolean])[], o: IsoNameOptions): MappedIsoName[] {
  const taken = new Set<string>();
  const out: MappedIsoName[] = new Array(entries.length);
  const is1999 = o.level === "1999";
  const clean = is1999 ? d1Chars : dChars;
  const dirLimits = limits(o.level, true, o.maxLength1999);
  const fileLimits = limits(o.level, false, o.maxLength1999);
  for (const i of codeUnitOrder(entries)) {
    const [original, isDir] = entries[i]!;
    const lim = isDir ? dirLimits : fileLimits;
    // Leading dots would make an empty name part; they become "_".
    const [rawBase, rawExt] = splitExt(original.charCodeAt(0) === 0x2e ? original.replace(/^\.+/, (m) => "_".repeat(m.length)) : original, isDir);
    let ext = rawExt === "" ? "" : clean(rawExt).slice(0, is1999 ? lim.total : lim.ext);
    let base = clean(rawBase) || "_";
    if (is1999) {
      if (base.length + (ext ? ext.length + 1 : 0) > lim.total) {
        if (ext.length > 16) ext = ext.slice(0, 16);
        base = base.slice(0, lim.total - (ext ? ext.length + 1 : 0));
      }
    } else {
      if (o.level !== 1 && base.length + ext.length > lim.total) {
        if (ext.length > 8) ext = ext.slice(0, 8);
        base = base.slice(0, lim.total - ext.length);
      }
      if (base.length > lim.name) base = base.slice(0, lim.name);
    }
    // Below 1999 identifiers are d-characters, upper case already: the identifier is the key.
    let mapped = compose(base, ext, isDir, o);
    for (let n = 1; taken.has(mapped.identifier); n++) {
      const suffix = String(n).padStart(3, "0");
      const room = (o.level === 1 ? lim.name : is1999 ? lim.total - (ext ? ext.length + 1 : 0) : lim.total - ext.length) - suffix.length;
      if (room < 1) throw new InvalidArgumentError("ISO 9660 name", `cannot make a unique identifier for "${original}"`);
      mapped = compose(base.slice(0, room) + suffix, ext, isDir, o);
    }
    taken.add(mapped.identifier);
    out[i] = mapped;
  }
  return out;
}

/**
 * Indices of `entries` in the code-unit order of their names. Trees scanned from disk arrive
 * sorted already, so a linear check usually replaces the sort.
 */
function codeUnitOrder(entries: readonly (readonly [string, boolean])[]): number[] {
  const order = new Array<number>(entries.length);
  let sorted = true;
  for (let i = 0; i < entries.length; i++) {
    order[i] = i;
    if (sorted && i > 0 && entries[i - 1]![0] > entries[i]![0]) sorted = false;
  }
  if (!sorted) order.sort((a, b) => compareCodeUnits(entries[a]![0], entries[b]![0]));
  return order;
}

export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** ECMA-119 9.3: identifiers compared with the shorter part padded by spaces; name, then extension. */
export function compareIsoRecords(a: { readonly name: string; readonly ext: string }, b: { readonly name: string; readonly ext: string }): number {
  return comparePadded(a.name, b.name) || comparePadded(a.ext, b.ext);
}

function comparePadded(a: string, b: string): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = i < a.length ? a.charCodeAt(i) : 0x20;
    const cb = i < b.length ? b.charCodeAt(i) : 0x20;
    if (ca !== cb) return ca - cb;
  }
  return 0;
}

export type NonBmpPolicy = "replace" | "surrogates" | "error";

export interface JolietNameOptions {
  /** Maximum UCS-2 units per name: 64 per the specification, 103 as an option. */
  readonly maxLength: 64 | 103;
  /** What to do with characters outside the Basic Multilingual Plane. */
  readonly nonBmp: NonBmpPolicy;
  /** Append ";1" to file names, as genisoimage and Windows-era writers do. */
  readonly versionSuffix: boolean;
}

export interface MappedJolietName {
  /** UTF-16 code units as recorded (including any ";1"). */
  readonly identifier: string;
}

function jolietPlain(c: number): boolean {
  // Not a control, not a surrogate, none of * / : ; ? \
  return c >= 0x20 && (c < 0xd800 || c > 0xdfff) && c !== 0x2a && c !== 0x2f && c !== 0x3a && c !== 0x3b && c !== 0x3f && c !== 0x5c;
}

function jolietClean(s: string, o: JolietNameOptions): string {
  let plain = true;
  for (let i = 0; i < s.length && plain; i++) plain = jolietPlain(s.charCodeAt(i));
  if (plain) return s;
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c > 0xffff) {
      if (o.nonBmp === "error") throw new InvalidArgumentError("Joliet name", `"${s}" has U+${c.toString(16).toUpperCase()}, outside UCS-2`);
      out += o.nonBmp === "surrogates" ? ch : "_";
    } else if (c < 0x20 || "*/:;?\\".includes(ch)) out += "_";
    else out += ch;
  }
  return out;
}

function truncateUnits(s: string, n: number): string {
  let t = s.slice(0, Math.max(0, n));
  // Never cut a surrogate pair in half.
  const last = t.length > 0 ? t.charCodeAt(t.length - 1) : 0;
  if (last >= 0xd800 && last <= 0xdbff) t = t.slice(0, -1);
  return t;
}

export function mapJolietNames(entries: readonly (readonly [string, boolean])[], o: JolietNameOptions): MappedJolietName[] {
  const taken = new Set<string>();
  const out: MappedJolietName[] = new Array(entries.length);
  for (const i of codeUnitOrder(entries)) {
    const [original, isDir] = entries[i]!;
    const clean = jolietClean(original, o);
    let name = clean;
    let key = name.toUpperCase();
    if (clean.length > o.maxLength || taken.has(key)) {
      // Truncated or taken: the extension (at most 16 units) is kept, the base shortened.
      const [b0, e0] = splitExt(clean, isDir);
      const ext = e0 ? "." + truncateUnits(e0, 16) : "";
      if (clean.length > o.maxLength) {
        name = truncateUnits(b0, o.maxLength - ext.length) + ext;
        key = name.toUpperCase();
      }
      for (let n = 1; taken.has(key); n++) {
        const suffix = `~${n}`;
        name = truncateUnits(b0, o.maxLength - ext.length - suffix.length) + suffix + ext;
        key = name.toUpperCase();
      }
    }
    taken.add(key);
    out[i] = { identifier: isDir || !o.versionSuffix ? name : name + ";1" };
  }
  return out;
}

export function compareJoliet(a: string, b: string): number {
  // Joliet orders by UCS-2 code units, like ECMA-119 9.3 with the name padded by 0x0000.
  return compareCodeUnits(a, b);
}
