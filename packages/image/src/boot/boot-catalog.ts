/**
 * El Torito boot catalog (El Torito 1.0 sections 2.1-2.5): a list of 32-byte entries starting at
 * the sector the Boot Record Volume Descriptor points to.
 *
 *   Validation Entry (2.1)   01, platform, 2 reserved, 24-byte ID string, checksum (LE, makes
 *                            the sum of all sixteen 16-bit LE words zero), 55 AA
 *   Initial/Default (2.2)    boot indicator 88/00, media type, load segment (LE), system type,
 *                            0, sector count (LE, 512-byte virtual sectors), load RBA (LE), 20 zero
 *   Section Header (2.3)     90 (more headers follow) or 91 (final), platform, entry count (LE),
 *                            28-byte ID string
 *   Section Entry (2.4)      like the default entry, with flags in the media type byte (bit 5 an
 *                            extension follows, bit 6 ATAPI driver, bit 7 SCSI drivers), then
 *                            selection criteria type (byte 12) and 19 bytes of criteria
 *   Extension Entry (2.5)    44, flags (bit 5 another extension follows), 30 bytes of criteria
 */
import { readU16LE, readU32LE, writeU16LE, writeU32LE } from "@discforge/bytes";
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";
import { SECTOR_SIZE } from "./boot-record.js";

/** Platform IDs of the validation entry and section headers. */
export const PLATFORM_IDS = { x86: 0x00, powerPc: 0x01, mac: 0x02, efi: 0xef } as const;

/** Boot media type codes (the low nibble of byte 1 of an initial or section entry). */
export const MEDIA_TYPES = {
  none: 0,
  "floppy-1.2": 1,
  "floppy-1.44": 2,
  "floppy-2.88": 3,
  "hard-disk": 4,
} as const;
export type Emulation = keyof typeof MEDIA_TYPES;

export const ENTRY_SIZE = 32;
const HEADER_MORE = 0x90;
const HEADER_FINAL = 0x91;
const BOOTABLE = 0x88;
const EXTENSION = 0x44;
const FLAG_EXTENSION_FOLLOWS = 0x20;
const FLAG_ATAPI = 0x40;
const FLAG_SCSI = 0x80;
const CRITERIA_IN_ENTRY = 19;
const CRITERIA_IN_EXTENSION = 30;

export interface BootEntry {
  readonly bootable: boolean;
  readonly emulation: Emulation;
  /** Real-mode segment to load at; 0 means the BIOS default 07C0h. */
  readonly loadSegment: number;
  /** Partition type from the image's partition table (hard-disk emulation), else 0. */
  readonly systemType: number;
  /** Number of 512-byte virtual sectors the BIOS loads (no emulation); 1 for emulated media. */
  readonly sectorCount: number;
  /** 2048-byte sector where the image starts. */
  readonly loadRba: number;
  /** Section entries only (bit 6 of the media type byte). */
  readonly atapiDriver?: boolean;
  /** Section entries only (bit 7 of the media type byte). */
  readonly scsiDrivers?: boolean;
  /** Section entries only: 0 none, 1 language and version information, 2-FF reserved. */
  readonly selectionCriteriaType?: number;
  /** Section entries only: 19 bytes in the entry, the rest in 30-byte extension entries. */
  readonly selectionCriteria?: Uint8Array;
}

export interface BootSection {
  readonly platformId: number;
  /** Up to 28 bytes (ISO 8859-1) naming the section. */
  readonly idString: string;
  readonly entries: readonly BootEntry[];
}

export interface BootCatalog {
  /** Platform of the validation entry, which the initial/default entry boots. */
  readonly platformId: number;
  /** Up to 24 bytes (ISO 8859-1) naming the manufacturer/developer. */
  readonly idString: string;
  readonly defaultEntry: BootEntry;
  readonly sections: readonly BootSection[];
}

const STRUCTURE = "El Torito boot catalog";

function writeLatin1(out: Uint8Array, off: number, max: number, text: string, field: string): void {
  if (text.length > max) throw new InvalidArgumentError(field, `"${text}" is longer than ${max} bytes`);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) throw new InvalidArgumentError(field, `"${text}" is not ISO 8859-1`);
    out[off + i] = c;
  }
}

function readLatin1(bytes: Uint8Array, off: number, length: number): string {
  let end = off + length;
  while (end > off && bytes[end - 1] === 0) end--;
  return String.fromCharCode(...bytes.subarray(off, end));
}

function checkU(value: number, bits: number, field: string): void {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** bits) {
    throw new InvalidArgumentError(field, `${value} is not an unsigned ${bits}-bit integer`);
  }
}

/** Number of extension entries the entry's selection criteria need. */
function extensionCount(entry: BootEntry): number {
  const n = entry.selectionCriteria?.length ?? 0;
  return n <= CRITERIA_IN_ENTRY ? 0 : Math.ceil((n - CRITERIA_IN_ENTRY) / CRITERIA_IN_EXTENSION);
}

/** Checksum word that makes the 16-bit little-endian words of a validation entry sum to zero. */
export function validationChecksum(entry: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < ENTRY_SIZE; i += 2) if (i !== 28) sum = (sum + readU16LE(entry, i)) & 0xffff;
  return (0x10000 - sum) & 0xffff;
}

function encodeEntry(out: Uint8Array, off: number, entry: BootEntry, section: boolean): void {
  checkU(entry.loadSegment, 16, "loadSegment");
  checkU(entry.systemType, 8, "systemType");
  checkU(entry.sectorCount, 16, "sectorCount");
  checkU(entry.loadRba, 32, "loadRba");
  const media = MEDIA_TYPES[entry.emulation];
  if (media === undefined) throw new InvalidArgumentError("emulation", `unknown emulation "${String(entry.emulation)}"`);
  let flags = 0;
  if (section) {
    if (extensionCount(entry) > 0) flags |= FLAG_EXTENSION_FOLLOWS;
    if (entry.atapiDriver === true) flags |= FLAG_ATAPI;
    if (entry.scsiDrivers === true) flags |= FLAG_SCSI;
  } else if (entry.atapiDriver === true || entry.scsiDrivers === true || entry.selectionCriteria !== undefined || entry.selectionCriteriaType !== undefined) {
    throw new InvalidArgumentError("defaultEntry", "driver flags and selection criteria exist only in section entries");
  }
  out[off] = entry.bootable ? BOOTABLE : 0;
  out[off + 1] = media | flags;
  writeU16LE(out, off + 2, entry.loadSegment);
  out[off + 4] = entry.systemType;
  out[off + 5] = 0;
  writeU16LE(out, off + 6, entry.sectorCount);
  writeU32LE(out, off + 8, entry.loadRba);
  if (!section) return;
  checkU(entry.selectionCriteriaType ?? 0, 8, "selectionCriteriaType");
  out[off + 12] = entry.selectionCriteriaType ?? 0;
  const criteria = entry.selectionCriteria ?? new Uint8Array(0);
  out.set(criteria.subarray(0, CRITERIA_IN_ENTRY), off + 13);
  const extensions = extensionCount(entry);
  for (let k = 0; k < extensions; k++) {
    const at = off + ENTRY_SIZE * (k + 1);
    out[at] = EXTENSION;
    out[at + 1] = k < extensions - 1 ? FLAG_EXTENSION_FOLLOWS : 0;
    const from = CRITERIA_IN_ENTRY + k * CRITERIA_IN_EXTENSION;
    out.set(criteria.subarray(from, from + CRITERIA_IN_EXTENSION), at + 2);
  }
}

/** Bytes the catalog occupies (a multiple of 32; the encoder pads to whole sectors). */
export function bootCatalogLength(catalog: BootCatalog): number {
  let entries = 2;
  for (const s of catalog.sections) {
    entries += 1;
    for (const e of s.entries) entries += 1 + extensionCount(e);
  }
  return entries * ENTRY_SIZE;
}

export const BootCatalogCodec = {
  entrySize: ENTRY_SIZE,
  /** Encodes into whole 2048-byte sectors, zero-filled after the last entry. */
  encode(catalog: BootCatalog): Uint8Array {
    checkU(catalog.platformId, 8, "platformId");
    const length = bootCatalogLength(catalog);
    const out = new Uint8Array(Math.ceil(length / SECTOR_SIZE) * SECTOR_SIZE);
    out[0] = 1;
    out[1] = catalog.platformId;
    writeLatin1(out, 4, 24, catalog.idString, "idString");
    out[30] = 0x55;
    out[31] = 0xaa;
    writeU16LE(out, 28, validationChecksum(out));
    encodeEntry(out, ENTRY_SIZE, catalog.defaultEntry, false);
    let off = 2 * ENTRY_SIZE;
    catalog.sections.forEach((section, index) => {
      checkU(section.platformId, 8, "section platformId");
      if (section.entries.length === 0) throw new InvalidArgumentError("sections", `section ${index} has no entries`);
      checkU(section.entries.length, 16, "section entry count");
      out[off] = index === catalog.sections.length - 1 ? HEADER_FINAL : HEADER_MORE;
      out[off + 1] = section.platformId;
      writeU16LE(out, off + 2, section.entries.length);
      writeLatin1(out, off + 4, 28, section.idString, "section idString");
      off += ENTRY_SIZE;
      for (const entry of section.entries) {
        encodeEntry(out, off, entry, true);
        off += ENTRY_SIZE * (1 + extensionCount(entry));
      }
    });
    return out;
  },

  /**
   * Decodes a catalog. Stops after the final section header's entries, or at the first zero
   * entry where a section header could start (catalogs with only a default entry end there).
   */
  decode(bytes: Uint8Array, baseOffset = 0): BootCatalog {
    const fail = (at: number, detail: string): never => {
      throw new MalformedDataError(STRUCTURE, baseOffset + at, detail);
    };
    if (bytes.length < 2 * ENTRY_SIZE) fail(0, `needs at least ${2 * ENTRY_SIZE} bytes, has ${bytes.length}`);
    if (bytes[0] !== 1) fail(0, `validation entry header ID ${bytes[0]} is not 1`);
    if (bytes[30] !== 0x55 || bytes[31] !== 0xaa) fail(30, "validation entry key is not 55 AA");
    let sum = 0;
    for (let i = 0; i < ENTRY_SIZE; i += 2) sum = (sum + readU16LE(bytes, i)) & 0xffff;
    if (sum !== 0) fail(28, `validation entry words sum to ${sum.toString(16)}h, not 0`);

    const decodeEntry = (at: number, section: boolean): { entry: BootEntry; next: number } => {
      const indicator = bytes[at];
      if (indicator !== BOOTABLE && indicator !== 0) fail(at, `boot indicator ${indicator!.toString(16)}h is neither 88h nor 00h`);
      const mediaByte = bytes[at + 1]!;
      const mediaCode = mediaByte & 0x0f;
      const emulation = (Object.keys(MEDIA_TYPES) as Emulation[]).find((k) => MEDIA_TYPES[k] === mediaCode);
      if (emulation === undefined) return fail(at + 1, `boot media type ${mediaCode} is not 0-4`);
      const base = {
        bootable: indicator === BOOTABLE,
        emulation,
        loadSegment: readU16LE(bytes, at + 2),
        systemType: bytes[at + 4]!,
        sectorCount: readU16LE(bytes, at + 6),
        loadRba: readU32LE(bytes, at + 8),
      };
      if (!section) return { entry: base, next: at + ENTRY_SIZE };
      const criteria: number[] = Array.from(bytes.subarray(at + 13, at + ENTRY_SIZE));
      let next = at + ENTRY_SIZE;
      let more = (mediaByte & FLAG_EXTENSION_FOLLOWS) !== 0;
      while (more) {
        if (next + ENTRY_SIZE > bytes.length) fail(next, "extension entry runs past the catalog");
        if (bytes[next] !== EXTENSION) fail(next, `extension entry indicator ${bytes[next]!.toString(16)}h is not 44h`);
        criteria.push(...bytes.subarray(next + 2, next + ENTRY_SIZE));
        more = (bytes[next + 1]! & FLAG_EXTENSION_FOLLOWS) !== 0;
        next += ENTRY_SIZE;
      }
      const entry: BootEntry = {
        ...base,
        atapiDriver: (mediaByte & FLAG_ATAPI) !== 0,
        scsiDrivers: (mediaByte & FLAG_SCSI) !== 0,
        selectionCriteriaType: bytes[at + 12]!,
        selectionCriteria: Uint8Array.from(criteria),
      };
      return { entry, next };
    };

    const { entry: defaultEntry } = decodeEntry(ENTRY_SIZE, false);
    const sections: BootSection[] = [];
    let off = 2 * ENTRY_SIZE;
    while (off + ENTRY_SIZE <= bytes.length) {
      const header = bytes[off];
      if (header === 0) break;
      if (header !== HEADER_MORE && header !== HEADER_FINAL) fail(off, `section header indicator ${header!.toString(16)}h is neither 90h nor 91h`);
      const count = readU16LE(bytes, off + 2);
      const platformId = bytes[off + 1]!;
      const idString = readLatin1(bytes, off + 4, 28);
      off += ENTRY_SIZE;
      const entries: BootEntry[] = [];
      for (let i = 0; i < count; i++) {
        if (off + ENTRY_SIZE > bytes.length) fail(off, `section entry ${i} of ${count} runs past the catalog`);
        const { entry, next } = decodeEntry(off, true);
        entries.push(entry);
        off = next;
      }
      sections.push({ platformId, idString, entries });
      if (header === HEADER_FINAL) break;
    }
    return { platformId: bytes[1]!, idString: readLatin1(bytes, 4, 24), defaultEntry, sections };
  },
} as const;
