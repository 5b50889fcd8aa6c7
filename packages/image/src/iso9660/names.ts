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

function compose(base: string, ext: string, isDir: boolean, o: IsoNameOptions): string {
  if (o.level === "1999") return ext ? `${base}.${ext}` : base;
  if (isDir) return base;
  return `${base}.${ext}${o.versionSuffix ? ";1" : ""}`;
}

/** A child to be named: its original name and whether it is a directory. */
export interface NameSource {
  readonly name: string;
  readonly kind: string;
}

/**
 * ISO 9660 identifiers of one directory's children, in input order, with sort keys that say
 * where the parts lie, so record order (ECMA-119 9.3) needs no split strings: name =
 * identifier[0, nameEnd), extension = identifier[nameEnd + 1, extEnd).
 */
export interface IsoIdentifiers {
  readonly identifiers: string[];
  /** Per child: nameEnd * 65536 + extEnd. */
  readonly sortKeys: number[];
}

// Scratch for ASCII identifiers built a character at a time (below level 1999: at most 31 + ";1").
const scratch = Buffer.alloc(256);

/**
 * Maps the children names of one directory (the core of `mapIsoNames`, without tuples or
 * per-name objects). Names are mapped in the code-unit order of the originals.
 */
export function mapIsoIdentifiers(entries: readonly NameSource[], o: IsoNameOptions): IsoIdentifiers {
  const taken = new Set<string>();
  const identifiers = new Array<string>(entries.length);
  const sortKeys = new Array<number>(entries.length);
  const is1999 = o.level === "1999";
  const clean = is1999 ? d1Chars : dChars;
  const dirLimits = limits(o.level, true, o.maxLength1999);
  const fileLimits = limits(o.level, false, o.maxLength1999);
  const suffix1 = o.versionSuffix ? 2 : 0;
  const order = codeUnitOrder(entries);
  for (let j = 0; j < entries.length; j++) {
    const i = order ? order[j]! : j;
    const original = entries[i]!.name;
    const isDir = entries[i]!.kind === "directory";
    const lim = isDir ? dirLimits : fileLimits;
    let base: string | undefined;
    let ext = "";
    let id: string | undefined;
    let baseLen = 0;
    let extLen = 0;
    if (!is1999) {
      // ASCII names (nearly all) are mapped in one pass: upper case and d-characters per code
      // unit, the same truncation as below, the identifier written once.
      let leading = 0;
      while (leading < original.length && original.charCodeAt(leading) === 0x2e) leading++;
      let dot = -1;
      let plain = true;
      for (let k = 0; k < original.length; k++) {
        const c = original.charCodeAt(k);
        if (c > 0x7f) {
          plain = false;
          break;
        }
        if (c === 0x2e) dot = k;
      }
      if (plain) {
        if (isDir || dot < leading) dot = -1;
        const rawBase = dot < 0 ? original.length : dot;
        extLen = dot < 0 ? 0 : Math.min(original.length - dot - 1, lim.ext);
        baseLen = rawBase;
        if (o.level !== 1 && baseLen + extLen > lim.total) {
          if (extLen > 8) extLen = 8;
          baseLen = Math.min(baseLen, lim.total - extLen);
        }
        if (baseLen > lim.name) baseLen = lim.name;
        let n = 0;
        for (let k = 0; k < baseLen; k++) scratch[n++] = k < leading ? 0x5f : dChar(original.charCodeAt(k));
        if (!isDir) {
          scratch[n++] = 0x2e;
          for (let k = 0; k < extLen; k++) scratch[n++] = dChar(original.charCodeAt(dot + 1 + k));
          if (suffix1) {
            scratch[n++] = 0x3b;
            scratch[n++] = 0x31;
          }
        }
        id = scratch.toString("latin1", 0, n);
        if (taken.has(id)) {
          base = id.slice(0, baseLen);
          ext = isDir ? "" : id.slice(baseLen + 1, baseLen + 1 + extLen);
        }
      }
    }
    if (id === undefined) {
      // Leading dots would make an empty name part; they become "_".
      const [rawBase, rawExt] = splitExt(original.charCodeAt(0) === 0x2e ? original.replace(/^\.+/, (m) => "_".repeat(m.length)) : original, isDir);
      ext = rawExt === "" ? "" : clean(rawExt).slice(0, is1999 ? lim.total : lim.ext);
      base = clean(rawBase) || "_";
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
      id = compose(base, ext, isDir, o);
      baseLen = base.length;
      extLen = ext.length;
    }
    if (base !== undefined) {
      for (let n = 1; taken.has(id); n++) {
        const suffix = String(n).padStart(3, "0");
        const room = (o.level === 1 ? lim.name : is1999 ? lim.total - (ext ? ext.length + 1 : 0) : lim.total - ext.length) - suffix.length;
        if (room < 1) throw new InvalidArgumentError("ISO 9660 name", `cannot make a unique identifier for "${original}"`);
        const b = base.slice(0, room) + suffix;
        id = compose(b, ext, isDir, o);
        baseLen = b.length;
      }
    }
    taken.add(id);
    identifiers[i] = id;
    // Directories below 1999 have no extension; a 1999 name without one has no dot.
    const extEnd = isDir && !is1999 ? baseLen : is1999 && !ext ? baseLen : baseLen + 1 + extLen;
    sortKeys[i] = baseLen * 65536 + extEnd;
  }
  return { identifiers, sortKeys };
}

/** d-character of an ASCII code unit: upper case, anything else "_". */
function dChar(c: number): number {
  if (c >= 0x61 && c <= 0x7a) return c - 0x20;
  return isDChar(c) ? c : 0x5f;
}

/**
 * Maps the children names of one directory. `entries` are [original name, is directory].
 * Returns the identifiers in the input order.
 */
export function mapIsoNames(entries: readonly (readonly [string, boolean])[], o: IsoNameOptions): MappedIsoName[] {
  const { identifiers, sortKeys } = mapIsoIdentifiers(
    entries.map(([name, isDir]) => ({ name, kind: isDir ? "directory" : "file" })),
    o,
  );
  return identifiers.map((identifier, i) => {
    const key = sortKeys[i]!;
    const nameEnd = Math.floor(key / 65536);
    return { identifier, name: identifier.slice(0, nameEnd), ext: identifier.slice(nameEnd + 1, key % 65536) };
  });
}

/**
 * Indices of `entries` in the code-unit order of their names, or undefined when that is the
 * input order: trees scanned from disk arrive sorted already, so a linear check usually
 * replaces the sort.
 */
function codeUnitOrder(entries: readonly NameSource[]): number[] | undefined {
  let i = 1;
  while (i < entries.length && entries[i - 1]!.name <= entries[i]!.name) i++;
  if (i >= entries.length) return undefined;
  const order = new Array<number>(entries.length);
  for (let k = 0; k < entries.length; k++) order[k] = k;
  return order.sort((a, b) => compareCodeUnits(entries[a]!.name, entries[b]!.name));
}

export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** ECMA-119 9.3: identifiers compared with the shorter part padded by spaces; name, then extension. */
export function compareIsoRecords(a: { readonly name: string; readonly ext: string }, b: { readonly name: string; readonly ext: string }): number {
  return comparePadded(a.name, b.name) || comparePadded(a.ext, b.ext);
}

/**
 * `compareIsoRecords` on identifiers with packed sort keys (`IsoIdentifiers.sortKeys`): the name
 * and extension parts compared in place.
 */
export function compareIsoIdentifiers(a: string, aKey: number, b: string, bKey: number): number {
  const aName = Math.floor(aKey / 65536);
  const bName = Math.floor(bKey / 65536);
  return comparePaddedRange(a, 0, aName, b, 0, bName) || comparePaddedRange(a, aName + 1, aKey % 65536, b, bName + 1, bKey % 65536);
}

function comparePaddedRange(a: string, aStart: number, aEnd: number, b: string, bStart: number, bEnd: number): number {
  const la = Math.max(0, aEnd - aStart);
  const lb = Math.max(0, bEnd - bStart);
  const n = Math.max(la, lb);
  for (let i = 0; i < n; i++) {
    const ca = i < la ? a.charCodeAt(aStart + i) : 0x20;
    const cb = i < lb ? b.charCodeAt(bStart + i) : 0x20;
    if (ca !== cb) return ca - cb;
  }
  return 0;
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
  return mapJolietIdentifiers(
    entries.map(([name, isDir]) => ({ name, kind: isDir ? "directory" : "file" })),
    o,
  ).map((identifier) => ({ identifier }));
}

/** Joliet identifiers of one directory's children, in input order (the core of `mapJolietNames`). */
export function mapJolietIdentifiers(entries: readonly NameSource[], o: JolietNameOptions): string[] {
  const taken = new Set<string>();
  const out = new Array<string>(entries.length);
  const order = codeUnitOrder(entries);
  for (let j = 0; j < entries.length; j++) {
    const i = order ? order[j]! : j;
    const original = entries[i]!.name;
    const isDir = entries[i]!.kind === "directory";
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
    out[i] = isDir || !o.versionSuffix ? name : name + ";1";
  }
  return out;
}

export function compareJoliet(a: string, b: string): number {
  // Joliet orders by UCS-2 code units, like ECMA-119 9.3 with the name padded by 0x0000.
  return compareCodeUnits(a, b);
}
