/**
 * A small FAT12/FAT16 formatter (Microsoft FAT specification 1.03, "FAT: General Overview of
 * On-Disk Format": BPB at offset 0, sections 3.1-3.3; FAT type by cluster count, section 3.5;
 * directory entries, section 6) for EFI system partition images: a file tree with 8.3 names,
 * written as one image in memory.
 *
 * Boot sector fields (all LE): 0 jump EB 3C 90, 3 OEM name, 11 bytes per sector, 13 sectors per
 * cluster, 14 reserved sectors, 16 number of FATs, 17 root entries, 19 total sectors (16-bit),
 * 21 media, 22 sectors per FAT, 24 sectors per track, 26 heads, 28 hidden sectors, 32 total
 * sectors (32-bit), 36 drive number, 38 signature 29h, 39 volume ID, 43 label, 54 FS type, 510 55 AA.
 * Directory entry: 0 name (8+3), 11 attributes, 13-17 creation time, 18 access date, 22 write
 * time, 24 write date, 26 first cluster, 28 size.
 */
import { writeU16LE, writeU32LE } from "@discforge/bytes";
import { InvalidArgumentError } from "@discforge/errors";

export const FAT_SECTOR_SIZE = 512;
const DIR_ENTRY = 32;
const ATTR_DIRECTORY = 0x10;
const ATTR_ARCHIVE = 0x20;
const ATTR_VOLUME_ID = 0x08;
const FAT12_MAX_CLUSTERS = 4084;
const FAT16_MAX_CLUSTERS = 65524;

export interface FatFile {
  /** Slash-separated 8.3 path, e.g. "EFI/BOOT/BOOTX64.EFI"; stored upper-case. */
  readonly path: string;
  readonly data: Uint8Array;
}

export interface FatOptions {
  readonly files: readonly FatFile[];
  /** Image size in bytes (a multiple of 512). Default: the contents plus slack, rounded to 64 KiB, at least 1 MiB. */
  readonly size?: number;
  /** 12 or 16; default: FAT12 when the clusters fit, else FAT16. */
  readonly fatType?: 12 | 16;
  /** Up to 11 characters. */
  readonly label?: string;
  readonly volumeId?: number;
  /** Timestamp of every entry (reproducible images); default 1980-01-01 00:00. */
  readonly date?: Date;
}

export interface FatGeometry {
  readonly fatType: 12 | 16;
  readonly totalSectors: number;
  readonly sectorsPerCluster: number;
  readonly reservedSectors: number;
  readonly fatSectors: number;
  readonly rootEntries: number;
  readonly clusters: number;
  /** First sector of cluster 2. */
  readonly dataStart: number;
}

interface DirNode {
  readonly name: string;
  readonly children: Map<string, DirNode | FatFile>;
  cluster: number;
  clusters: number;
}

function is83(name: string): boolean {
  return /^[A-Z0-9!#$%&'()@^_`{}~-]{1,8}(\.[A-Z0-9!#$%&'()@^_`{}~-]{1,3})?$/.test(name);
}

function nameBytes(name: string): Uint8Array {
  const out = new Uint8Array(11).fill(0x20);
  if (name === "." || name === "..") {
    out.fill(0x2e, 0, name.length);
    return out;
  }
  const dot = name.indexOf(".");
  const base = dot < 0 ? name : name.slice(0, dot);
  const ext = dot < 0 ? "" : name.slice(dot + 1);
  for (let i = 0; i < base.length; i++) out[i] = base.charCodeAt(i);
  for (let i = 0; i < ext.length; i++) out[8 + i] = ext.charCodeAt(i);
  return out;
}

function dosDateTime(date: Date): { date: number; time: number } {
  const year = date.getUTCFullYear();
  if (year < 1980 || year > 2107) throw new InvalidArgumentError("date", `${date.toISOString()} is outside FAT's 1980-2107`);
  return {
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
  };
}

/** Chooses the FAT layout for `totalSectors`; throws when the type cannot describe that size. */
export function fatGeometry(totalSectors: number, fatType?: 12 | 16): FatGeometry {
  const reservedSectors = 1;
  // Automatic choice: FAT12 up to 4 MiB (the Microsoft formatter's habit), FAT16 above.
  const types: (12 | 16)[] = fatType !== undefined ? [fatType] : totalSectors <= 8192 ? [12, 16] : [16];
  for (const type of types) {
    const rootEntries = type === 12 && totalSectors <= 5760 ? 224 : 512;
    const rootSectors = (rootEntries * DIR_ENTRY) / FAT_SECTOR_SIZE;
    for (let spc = 1; spc <= 128; spc *= 2) {
      let fatSectors = 1;
      let clusters = 0;
      for (let round = 0; round < 8; round++) {
        clusters = Math.floor((totalSectors - reservedSectors - rootSectors - 2 * fatSectors) / spc);
        const next = Math.ceil((type === 12 ? Math.ceil(((clusters + 2) * 3) / 2) : (clusters + 2) * 2) / FAT_SECTOR_SIZE);
        if (next === fatSectors) break;
        fatSectors = next;
      }
      const min = type === 12 ? 1 : FAT12_MAX_CLUSTERS + 1;
      const max = type === 12 ? FAT12_MAX_CLUSTERS : FAT16_MAX_CLUSTERS;
      if (clusters >= min && clusters <= max) {
        return { fatType: type, totalSectors, sectorsPerCluster: spc, reservedSectors, fatSectors, rootEntries, clusters, dataStart: reservedSectors + 2 * fatSectors + rootSectors };
      }
      if (clusters < min) break;
    }
  }
  throw new InvalidArgumentError("size", `${totalSectors} sectors cannot be formatted as FAT${fatType ?? "12/16"}`);
}

/** Formats a FAT12/16 image holding `files` (directories are created as needed). */
export function formatFat(options: FatOptions): Uint8Array {
  const root: DirNode = { name: "", children: new Map(), cluster: 0, clusters: 0 };
  for (const file of options.files) {
    const parts = file.path.split("/").filter((p) => p.length > 0).map((p) => p.toUpperCase());
    if (parts.length === 0) throw new InvalidArgumentError("path", `"${file.path}" names no file`);
    let dir = root;
    parts.forEach((part, i) => {
      if (!is83(part)) throw new InvalidArgumentError("path", `"${part}" in "${file.path}" is not an 8.3 name`);
      const existing = dir.children.get(part);
      if (i === parts.length - 1) {
        if (existing !== undefined) throw new InvalidArgumentError("path", `"${file.path}" is given twice or is a directory`);
        dir.children.set(part, file);
        return;
      }
      if (existing === undefined) {
        const sub: DirNode = { name: part, children: new Map(), cluster: 0, clusters: 0 };
        dir.children.set(part, sub);
        dir = sub;
      } else if ("children" in existing) {
        dir = existing;
      } else {
        throw new InvalidArgumentError("path", `"${part}" in "${file.path}" is a file`);
      }
    });
  }

  const contentBytes = options.files.reduce((n, f) => n + f.data.length, 0);
  const size = options.size ?? Math.max(1 << 20, Math.ceil((contentBytes * 1.1 + 256 * 1024) / 65536) * 65536);
  if (!Number.isInteger(size) || size % FAT_SECTOR_SIZE !== 0) throw new InvalidArgumentError("size", `${size} is not a multiple of 512`);
  const g = fatGeometry(size / FAT_SECTOR_SIZE, options.fatType);
  const clusterBytes = g.sectorsPerCluster * FAT_SECTOR_SIZE;
  const image = new Uint8Array(size);
  const fat = new Uint16Array(g.clusters + 2);
  fat[0] = g.fatType === 12 ? 0xff8 : 0xfff8;
  fat[1] = g.fatType === 12 ? 0xfff : 0xffff;
  const eoc = g.fatType === 12 ? 0xfff : 0xffff;
  let nextCluster = 2;
  const allocate = (bytes: number): { first: number; count: number } => {
    const count = Math.max(1, Math.ceil(bytes / clusterBytes));
    if (nextCluster + count > g.clusters + 2) throw new InvalidArgumentError("size", `${size} bytes are too small for the files`);
    const first = nextCluster;
    for (let c = first; c < first + count; c++) fat[c] = c === first + count - 1 ? eoc : c + 1;
    nextCluster += count;
    return { first, count };
  };
  const clusterOffset = (c: number): number => (g.dataStart + (c - 2) * g.sectorsPerCluster) * FAT_SECTOR_SIZE;
  const stamp = dosDateTime(options.date ?? new Date(Date.UTC(1980, 0, 1)));
  const entry = (out: Uint8Array, at: number, name: Uint8Array, attr: number, cluster: number, length: number): void => {
    out.set(name, at);
    out[at + 11] = attr;
    writeU16LE(out, at + 14, stamp.time);
    writeU16LE(out, at + 16, stamp.date);
    writeU16LE(out, at + 18, stamp.date);
    writeU16LE(out, at + 22, stamp.time);
    writeU16LE(out, at + 24, stamp.date);
    writeU16LE(out, at + 26, cluster);
    writeU32LE(out, at + 28, length);
  };

  const label = (options.label ?? "EFI").toUpperCase();
  if (label.length > 11 || !/^[A-Z0-9 _-]*$/.test(label)) throw new InvalidArgumentError("label", `"${label}" is not an 11-character FAT label`);
  const labelBytes = new Uint8Array(11).fill(0x20);
  for (let i = 0; i < label.length; i++) labelBytes[i] = label.charCodeAt(i);

  // Clusters: directories breadth-first, then each file right after its directory's subtree walk.
  const writeDir = (dir: DirNode, parentCluster: number): void => {
    const entries = [...dir.children.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const isRoot = dir === root;
    const count = entries.length + (isRoot ? 1 : 2);
    let table: Uint8Array;
    if (isRoot) {
      if (count > g.rootEntries) throw new InvalidArgumentError("files", `${count} root entries exceed ${g.rootEntries}`);
      table = image.subarray((g.reservedSectors + 2 * g.fatSectors) * FAT_SECTOR_SIZE, g.dataStart * FAT_SECTOR_SIZE);
    } else {
      const { first, count: n } = allocate(count * DIR_ENTRY);
      dir.cluster = first;
      dir.clusters = n;
      table = image.subarray(clusterOffset(first), clusterOffset(first) + n * clusterBytes);
    }
    let at = 0;
    if (isRoot) {
      entry(table, at, labelBytes, ATTR_VOLUME_ID, 0, 0);
      at += DIR_ENTRY;
    } else {
      entry(table, at, nameBytes("."), ATTR_DIRECTORY, dir.cluster, 0);
      entry(table, at + DIR_ENTRY, nameBytes(".."), ATTR_DIRECTORY, parentCluster, 0);
      at += 2 * DIR_ENTRY;
    }
    for (const [name, child] of entries) {
      if ("children" in child) {
        writeDir(child, isRoot ? 0 : dir.cluster);
        entry(table, at, nameBytes(name), ATTR_DIRECTORY, child.cluster, 0);
      } else {
        let first = 0;
        if (child.data.length > 0) {
          first = allocate(child.data.length).first;
          image.set(child.data, clusterOffset(first));
        }
        entry(table, at, nameBytes(name), ATTR_ARCHIVE, first, child.data.length);
      }
      at += DIR_ENTRY;
    }
  };
  writeDir(root, 0);

  // Boot sector.
  image.set([0xeb, 0x3c, 0x90], 0);
  image.set([...new TextEncoder().encode("DISCFRGE")], 3);
  writeU16LE(image, 11, FAT_SECTOR_SIZE);
  image[13] = g.sectorsPerCluster;
  writeU16LE(image, 14, g.reservedSectors);
  image[16] = 2;
  writeU16LE(image, 17, g.rootEntries);
  writeU16LE(image, 19, g.totalSectors < 0x10000 ? g.totalSectors : 0);
  image[21] = 0xf8;
  writeU16LE(image, 22, g.fatSectors);
  writeU16LE(image, 24, 32);
  writeU16LE(image, 26, 64);
  writeU32LE(image, 28, 0);
  writeU32LE(image, 32, g.totalSectors < 0x10000 ? 0 : g.totalSectors);
  image[36] = 0x80;
  image[38] = 0x29;
  writeU32LE(image, 39, options.volumeId ?? 0x44460001);
  image.set(labelBytes, 43);
  image.set(new TextEncoder().encode(g.fatType === 12 ? "FAT12   " : "FAT16   "), 54);
  // Not bootable: int 18h hands control back to the BIOS.
  image.set([0xcd, 0x18], 62);
  image[510] = 0x55;
  image[511] = 0xaa;

  // Both FAT copies.
  const fatBytes = new Uint8Array(g.fatSectors * FAT_SECTOR_SIZE);
  if (g.fatType === 16) {
    for (let c = 0; c < fat.length; c++) writeU16LE(fatBytes, c * 2, fat[c]!);
  } else {
    for (let c = 0; c < fat.length; c++) {
      const at = Math.floor((c * 3) / 2);
      const v = fat[c]!;
      if (c % 2 === 0) {
        fatBytes[at] = v & 0xff;
        fatBytes[at + 1] = (fatBytes[at + 1]! & 0xf0) | (v >> 8);
      } else {
        fatBytes[at] = (fatBytes[at]! & 0x0f) | ((v & 0x0f) << 4);
        fatBytes[at + 1] = v >> 4;
      }
    }
  }
  image.set(fatBytes, g.reservedSectors * FAT_SECTOR_SIZE);
  image.set(fatBytes, (g.reservedSectors + g.fatSectors) * FAT_SECTOR_SIZE);
  return image;
}
