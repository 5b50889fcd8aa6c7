/**
 * A minimal PE32+ image writer for UEFI applications (Microsoft PE/COFF specification rev 12:
 * MS-DOS stub 2, COFF file header 3.3, optional header 3.4 with magic 20Bh, section table 4;
 * UEFI 2.10 2.1.1: subsystem 10 = EFI application, machine 8664h = x64).
 *
 * Layout: 64-byte MS-DOS header ("MZ", e_lfanew = 40h at 3Ch), "PE\0\0", COFF header (20 bytes),
 * PE32+ optional header (112 bytes + 16 data directories of 8 bytes = 240), one section header
 * (40 bytes); headers padded to the file alignment, then the section's raw data. The code must
 * be position independent: the image has no base relocations and the firmware may load it
 * anywhere (so IMAGE_FILE_RELOCS_STRIPPED stays clear).
 */
import { writeU16LE, writeU32LE, writeU64LE } from "@discforge/bytes";
import { InvalidArgumentError } from "@discforge/errors";

export const PE_MACHINES = { x64: 0x8664, aarch64: 0xaa64, i386: 0x014c } as const;
export const PE_SUBSYSTEMS = { efiApplication: 10, efiBootServiceDriver: 11, efiRuntimeDriver: 12 } as const;

const FILE_ALIGNMENT = 0x200;
const SECTION_ALIGNMENT = 0x1000;
const PE_OFFSET = 0x40;
const OPTIONAL_HEADER_SIZE = 240;
const COFF_EXECUTABLE_IMAGE = 0x0002;
const COFF_LARGE_ADDRESS_AWARE = 0x0020;
const SCN_CNT_CODE = 0x00000020;
const SCN_MEM_EXECUTE = 0x20000000;
const SCN_MEM_READ = 0x40000000;

export interface Pe32PlusOptions {
  /** Contents of the single .text section (code and read-only data). */
  readonly text: Uint8Array;
  /** Offset of the entry point within `text`. */
  readonly entryOffset?: number;
  readonly machine?: number;
  readonly subsystem?: number;
  /** Preferred load address; firmware may ignore it. */
  readonly imageBase?: number;
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

export function buildPe32Plus(options: Pe32PlusOptions): Uint8Array {
  const text = options.text;
  const entryOffset = options.entryOffset ?? 0;
  if (text.length === 0) throw new InvalidArgumentError("text", "section is empty");
  if (entryOffset < 0 || entryOffset >= text.length) throw new InvalidArgumentError("entryOffset", `${entryOffset} is outside the ${text.length}-byte section`);
  const headersSize = align(PE_OFFSET + 4 + 20 + OPTIONAL_HEADER_SIZE + 40, FILE_ALIGNMENT);
  const rawSize = align(text.length, FILE_ALIGNMENT);
  const textRva = SECTION_ALIGNMENT;
  const imageSize = textRva + align(text.length, SECTION_ALIGNMENT);
  const out = new Uint8Array(headersSize + rawSize);

  // MS-DOS header: only the magic and the PE header offset matter to UEFI loaders.
  out[0] = 0x4d;
  out[1] = 0x5a;
  writeU32LE(out, 0x3c, PE_OFFSET);

  let p = PE_OFFSET;
  out.set([0x50, 0x45, 0, 0], p);
  p += 4;
  // COFF file header.
  writeU16LE(out, p, options.machine ?? PE_MACHINES.x64);
  writeU16LE(out, p + 2, 1); // NumberOfSections
  writeU32LE(out, p + 4, 0); // TimeDateStamp: reproducible
  writeU16LE(out, p + 16, OPTIONAL_HEADER_SIZE);
  writeU16LE(out, p + 18, COFF_EXECUTABLE_IMAGE | COFF_LARGE_ADDRESS_AWARE);
  p += 20;
  // Optional header, PE32+.
  const o = p;
  writeU16LE(out, o, 0x20b);
  writeU32LE(out, o + 4, rawSize); // SizeOfCode
  writeU32LE(out, o + 16, textRva + entryOffset); // AddressOfEntryPoint
  writeU32LE(out, o + 20, textRva); // BaseOfCode
  writeU64LE(out, o + 24, options.imageBase ?? 0x400000);
  writeU32LE(out, o + 32, SECTION_ALIGNMENT);
  writeU32LE(out, o + 36, FILE_ALIGNMENT);
  writeU32LE(out, o + 56, imageSize); // SizeOfImage
  writeU32LE(out, o + 60, headersSize); // SizeOfHeaders
  writeU16LE(out, o + 68, options.subsystem ?? PE_SUBSYSTEMS.efiApplication);
  writeU64LE(out, o + 72, 0x10000); // SizeOfStackReserve
  writeU64LE(out, o + 80, 0x10000); // SizeOfStackCommit
  writeU64LE(out, o + 88, 0x10000); // SizeOfHeapReserve
  writeU64LE(out, o + 96, 0x1000); // SizeOfHeapCommit
  writeU32LE(out, o + 108, 16); // NumberOfRvaAndSizes; all directories empty
  p += OPTIONAL_HEADER_SIZE;
  // Section header.
  out.set(new TextEncoder().encode(".text"), p);
  writeU32LE(out, p + 8, text.length); // VirtualSize
  writeU32LE(out, p + 12, textRva);
  writeU32LE(out, p + 16, rawSize);
  writeU32LE(out, p + 20, headersSize); // PointerToRawData
  writeU32LE(out, p + 36, SCN_CNT_CODE | SCN_MEM_EXECUTE | SCN_MEM_READ);

  out.set(text, headersSize);
  return out;
}
