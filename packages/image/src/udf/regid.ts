/**
 * Entity identifier (regid), ECMA-167 1/7.4, with the OSTA UDF 2.60 2.1.5 identifier suffixes:
 * the Domain Identifier suffix (UDF revision + domain flags), the UDF Identifier suffix (UDF
 * revision + OS class + OS identifier) and the Implementation Identifier suffix (OS class + OS
 * identifier + implementation use).
 */
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";
import { readU16LE, writeU16LE } from "@discforge/bytes";

export const REGID_SIZE = 32;

export interface EntityId {
  readonly flags: number;
  /** Up to 23 bytes of ASCII, e.g. "*OSTA UDF Compliant". */
  readonly identifier: string;
  readonly suffix: Uint8Array;
}

/** Identifiers OSTA UDF 2.60 2.1.5.2 and 6.1 define. */
export const UDF_IDENTIFIERS = {
  domain: "*OSTA UDF Compliant",
  lvInfo: "*UDF LV Info",
  freeEaSpace: "*UDF FreeEASpace",
  virtualPartition: "*UDF Virtual Partition",
  sparablePartition: "*UDF Sparable Partition",
  metadataPartition: "*UDF Metadata Partition",
  nsr02: "+NSR02",
  nsr03: "+NSR03",
} as const;

/** OS classes, OSTA UDF 2.60 6.3. */
export const OS_CLASSES = { undefined: 0, dos: 1, os2: 2, macintosh: 3, unix: 4, win9x: 5, winNt: 6, os400: 7, beos: 8, winCe: 9 } as const;
/** Identifier of a generic UNIX host within OS class UNIX, OSTA UDF 2.60 6.3 (5 = Linux). */
export const UNIX_OS_IDENTIFIERS = { generic: 0, aix: 1, solaris: 2, hpux: 3, irix: 4, linux: 5, mklinux: 6, freebsd: 7, netbsd: 8 } as const;

export const DOMAIN_FLAGS = { hardWriteProtect: 1, softWriteProtect: 2 } as const;

/** Domain Identifier suffix, OSTA UDF 2.60 2.1.5.3: revision (e.g. 0x0250), flags, 5 reserved. */
export function domainSuffix(revision: number, flags = 0): Uint8Array {
  const s = new Uint8Array(8);
  writeU16LE(s, 0, revision);
  s[2] = flags;
  return s;
}

/** UDF Identifier suffix, OSTA UDF 2.60 2.1.5.3: revision, OS class, OS identifier, 4 reserved. */
export function udfSuffix(revision: number, osClass: number = OS_CLASSES.unix, osIdentifier: number = UNIX_OS_IDENTIFIERS.generic): Uint8Array {
  const s = new Uint8Array(8);
  writeU16LE(s, 0, revision);
  s[2] = osClass;
  s[3] = osIdentifier;
  return s;
}

/** Implementation Identifier suffix, OSTA UDF 2.60 2.1.5.3: OS class, OS identifier, 6 bytes of implementation use. */
export function implementationSuffix(osClass: number = OS_CLASSES.unix, osIdentifier: number = UNIX_OS_IDENTIFIERS.generic): Uint8Array {
  const s = new Uint8Array(8);
  s[0] = osClass;
  s[1] = osIdentifier;
  return s;
}

/** UDF revision of a domain or UDF identifier suffix. */
export function suffixRevision(id: EntityId): number {
  return readU16LE(id.suffix, 0);
}

export const EntityIdCodec = {
  size: REGID_SIZE,
  encodeInto(id: EntityId, out: Uint8Array, off: number): void {
    if (id.identifier.length > 23 || !/^[\x20-\x7e]*$/.test(id.identifier)) throw new InvalidArgumentError("entity identifier", `"${id.identifier}" is not up to 23 ASCII characters`);
    if (id.suffix.length !== 8) throw new InvalidArgumentError("entity identifier suffix", `${id.suffix.length} bytes, must be 8`);
    out[off] = id.flags;
    out.fill(0, off + 1, off + 24);
    for (let i = 0; i < id.identifier.length; i++) out[off + 1 + i] = id.identifier.charCodeAt(i);
    out.set(id.suffix, off + 24);
  },
  encode(id: EntityId): Uint8Array {
    const out = new Uint8Array(REGID_SIZE);
    EntityIdCodec.encodeInto(id, out, 0);
    return out;
  },
  decode(bytes: Uint8Array, off = 0, where = off): EntityId {
    if (off + REGID_SIZE > bytes.length) throw new MalformedDataError("ECMA-167 1/7.4 entity identifier", where, "truncated");
    let end = off + 1;
    while (end < off + 24 && bytes[end] !== 0) end++;
    return { flags: bytes[off]!, identifier: String.fromCharCode(...bytes.subarray(off + 1, end)), suffix: bytes.slice(off + 24, off + 32) };
  },
} as const;
