/**
 * The file-system tree of an image (IMAPI's IFileSystemImage): directories, files, symbolic links
 * and device nodes with POSIX metadata, built from disk, memory or streams, then planned and
 * written by `planImage`. Paths inside the image are "/"-separated; names are kept exactly as
 * given (any Unicode), and each namespace (ISO 9660, Joliet, Rock Ridge) maps them when planned.
 */
import { lstatSync, readdirSync, readlinkSync, realpathSync, statSync } from "node:fs";
import { basename, join, normalize, sep } from "node:path";
import { InvalidArgumentError } from "@discforge/errors";
import { BytesContent, PathContent, StreamContent, type ChunkSource, type ContentSource } from "./content.js";
import { SourceUnreadableError, SymlinkLoopError } from "./errors.js";
import { lstat, type DiskStat } from "./disk-io.js";

export interface NodeMetadata {
  /** Permission bits (and setuid/setgid/sticky), without the file type bits. */
  mode: number;
  uid: number;
  gid: number;
  mtime: Date;
  atime: Date;
  ctime: Date;
  /** ECMA-119 9.1.6 existence bit: hidden from ordinary listings. */
  hidden: boolean;
  /** ECMA-119 9.1.6 associated file bit. */
  associated: boolean;
}

/** File contents shared by every hard link to it: one extent in the image. */
export class FileData {
  constructor(public source: ContentSource) {}
}

interface NodeBase {
  name: string;
  parent: DirectoryNode | undefined;
  meta: NodeMetadata;
}

export interface DirectoryNode extends NodeBase {
  readonly kind: "directory";
  readonly children: Map<string, TreeNode>;
}
export interface FileNode extends NodeBase {
  readonly kind: "file";
  data: FileData;
}
export interface SymlinkNode extends NodeBase {
  readonly kind: "symlink";
  target: string;
}
export interface DeviceNode extends NodeBase {
  readonly kind: "device";
  readonly type: "char" | "block" | "fifo" | "socket";
  major: number;
  minor: number;
}
export type TreeNode = DirectoryNode | FileNode | SymlinkNode | DeviceNode;

/** Metadata fields the caller may set; the rest take the image defaults. */
export type MetadataInput = Partial<NodeMetadata>;

export interface AddTreeOptions {
  /** Add the directory itself under `at` (like `cp -r dir at/`), not only its contents. Default false. */
  readonly includeBaseDirectory?: boolean;
  /** Follow symbolic links (adding what they point to) instead of recording them. Default false. */
  readonly followSymlinks?: boolean;
  /** Keep hard links on disk as hard links in the image (one extent). Default true. */
  readonly preserveHardLinks?: boolean;
  /** Skip entries for which this returns false (path on disk). */
  readonly filter?: (diskPath: string) => boolean;
  /** Replace an existing node at the same image path instead of failing. Default false. */
  readonly overwrite?: boolean;
}

export interface VolumeInfo {
  systemId: string;
  volumeId: string;
  volumeSetId: string;
  publisherId: string;
  dataPreparerId: string;
  applicationId: string;
  copyrightFileId: string;
  abstractFileId: string;
  bibliographicFileId: string;
  created: Date | undefined;
  modified: Date | undefined;
  expires: Date | undefined;
  effective: Date | undefined;
}

export interface FileSystemImageOptions {
  /**
   * Fixed time for every default timestamp and the volume dates. When set (or when
   * SOURCE_DATE_EPOCH is set in `env` and `reproducible` is true), nothing in the image depends
   * on the host: owners default to 0, times are this date, file times from disk are clamped to it.
   */
  readonly date?: Date;
  /** Use SOURCE_DATE_EPOCH (from `env`) or `date` and host-independent defaults. Default false. */
  readonly reproducible?: boolean;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export function splitImagePath(path: string): string[] {
  if (path.includes("\0")) throw new InvalidArgumentError("image path", `"${path}" contains NUL`);
  const parts = path.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) throw new InvalidArgumentError("image path", `"${path}" contains ".."`);
  return parts;
}

export class FileSystemImage {
  readonly root: DirectoryNode;
  readonly volume: VolumeInfo;
  /** The fixed date of reproducible mode, or undefined. */
  readonly fixedDate: Date | undefined;
  private readonly now: Date;

  constructor(options: FileSystemImageOptions = {}) {
    let fixed = options.date;
    if (!fixed && options.reproducible) {
      const epoch = (options.env ?? process.env).SOURCE_DATE_EPOCH;
      if (epoch === undefined) throw new InvalidArgumentError("reproducible", "needs `date` or SOURCE_DATE_EPOCH");
      if (!/^\d+$/.test(epoch)) throw new InvalidArgumentError("SOURCE_DATE_EPOCH", `"${epoch}" is not a number of seconds`);
      fixed = new Date(Number(epoch) * 1000);
    }
    this.fixedDate = fixed;
    this.now = fixed ?? new Date(Math.floor(Date.now() / 1000) * 1000);
    this.root = { kind: "directory", name: "", parent: undefined, meta: this.defaultMeta(0o755), children: new Map() };
    this.volume = {
      systemId: "",
      volumeId: "CDROM",
      volumeSetId: "",
      publisherId: "",
      dataPreparerId: "",
      applicationId: "DISCFORGE",
      copyrightFileId: "",
      abstractFileId: "",
      bibliographicFileId: "",
      created: this.now,
      modified: this.now,
      expires: undefined,
      effective: undefined,
    };
  }

  get reproducible(): boolean {
    return this.fixedDate !== undefined;
  }

  defaultMeta(mode: number): NodeMetadata {
    return { mode, uid: 0, gid: 0, mtime: this.now, atime: this.now, ctime: this.now, hidden: false, associated: false };
  }

  /** Looks a node up; undefined when absent. */
  get(path: string): TreeNode | undefined {
    let node: TreeNode = this.root;
    for (const part of splitImagePath(path)) {
      if (node.kind !== "directory") return undefined;
      const next: TreeNode | undefined = node.children.get(part);
      if (!next) return undefined;
      node = next;
    }
    return node;
  }

  /** Creates the directory and any missing parents (like mkdir -p); returns it. */
  addDirectory(path: string, meta: MetadataInput = {}): DirectoryNode {
    let dir = this.root;
    const parts = splitImagePath(path);
    parts.forEach((part, i) => {
      const existing = dir.children.get(part);
      if (existing) {
        if (existing.kind !== "directory") throw new InvalidArgumentError("addDirectory", `/${parts.slice(0, i + 1).join("/")} exists and is not a directory`);
        dir = existing;
        return;
      }
      const created: DirectoryNode = { kind: "directory", name: part, parent: dir, meta: this.defaultMeta(0o755), children: new Map() };
      dir.children.set(part, created);
      dir = created;
    });
    Object.assign(dir.meta, meta);
    return dir;
  }

  private place<T extends TreeNode>(path: string, make: (name: string, parent: DirectoryNode) => T, overwrite: boolean): T {
    const parts = splitImagePath(path);
    const name = parts.pop();
    if (name === undefined) throw new InvalidArgumentError("image path", `"${path}" names the root`);
    checkName(name);
    const parent = this.addDirectory(parts.join("/"));
    const existing = parent.children.get(name);
    if (existing && !overwrite) throw new InvalidArgumentError("image path", `/${[...parts, name].join("/")} already exists`);
    if (existing?.kind === "directory" && overwrite) throw new InvalidArgumentError("image path", `/${[...parts, name].join("/")} is a directory; remove it first`);
    const node = make(name, parent);
    parent.children.set(name, node);
    return node;
  }

  /**
   * Adds a file. `content` is a path on disk (read lazily at write time, verified unchanged),
   * bytes, a `{ size, open }` stream factory, or any ContentSource.
   */
  addFile(
    path: string,
    content: string | Uint8Array | ContentSource | { readonly size: number; readonly open: () => ChunkSource | Promise<ChunkSource> },
    meta: MetadataInput = {},
    options: { overwrite?: boolean } = {},
  ): FileNode {
    let source: ContentSource;
    let base: NodeMetadata = this.defaultMeta(0o644);
    if (typeof content === "string") {
      source = PathContent.fromPath(content);
      base = this.metaFromDisk(content, false);
    } else if (content instanceof Uint8Array) source = new BytesContent(content, path);
    else if ("description" in content) source = content;
    else source = new StreamContent(content.size, content.open, path);
    return this.place(path, (name, parent) => ({ kind: "file", name, parent, meta: { ...base, ...meta }, data: new FileData(source) }), options.overwrite ?? false);
  }

  /** Adds a hard link: a new name for the contents of an existing file (one extent in the image). */
  addHardLink(path: string, existing: string, meta: MetadataInput = {}): FileNode {
    const target = this.get(existing);
    if (target?.kind !== "file") throw new InvalidArgumentError("addHardLink", `${existing} is not a file in the image`);
    return this.place(path, (name, parent) => ({ kind: "file", name, parent, meta: { ...target.meta, ...meta }, data: target.data }), false);
  }

  addSymlink(path: string, target: string, meta: MetadataInput = {}): SymlinkNode {
    if (target.includes("\0")) throw new InvalidArgumentError("symlink target", "contains NUL");
    return this.place(path, (name, parent) => ({ kind: "symlink", name, parent, meta: { ...this.defaultMeta(0o777), ...meta }, target }), false);
  }

  addDevice(path: string, type: DeviceNode["type"], major = 0, minor = 0, meta: MetadataInput = {}): DeviceNode {
    return this.place(path, (name, parent) => ({ kind: "device", name, parent, meta: { ...this.defaultMeta(0o644), ...meta }, type, major, minor }), false);
  }

  /** Removes a node; a non-empty directory needs `recursive`. */
  remove(path: string, options: { recursive?: boolean } = {}): void {
    const node = this.get(path);
    if (!node || node === this.root) throw new InvalidArgumentError("remove", `${path} is not in the image`);
    if (node.kind === "directory" && node.children.size > 0 && !options.recursive) throw new InvalidArgumentError("remove", `${path} is a non-empty directory`);
    node.parent!.children.delete(node.name);
    node.parent = undefined;
  }

  /** Moves or renames a node; the destination's parents are created. */
  rename(from: string, to: string): void {
    const node = this.get(from);
    if (!node || node === this.root) throw new InvalidArgumentError("rename", `${from} is not in the image`);
    const parts = splitImagePath(to);
    const name = parts.pop();
    if (name === undefined) throw new InvalidArgumentError("rename", "destination is the root");
    checkName(name);
    const parent = this.addDirectory(parts.join("/"));
    for (let p: DirectoryNode | undefined = parent; p; p = p.parent) {
      if (p === node) throw new InvalidArgumentError("rename", `cannot move ${from} into itself`);
    }
    if (parent.children.has(name)) throw new InvalidArgumentError("rename", `${to} already exists`);
    node.parent!.children.delete(node.name);
    node.name = name;
    node.parent = parent;
    parent.children.set(name, node);
  }

  setMetadata(path: string, meta: MetadataInput): void {
    const node = this.get(path);
    if (!node) throw new InvalidArgumentError("setMetadata", `${path} is not in the image`);
    Object.assign(node.meta, meta);
  }

  private clamp(d: Date): Date {
    return this.fixedDate && d.getTime() > this.fixedDate.getTime() ? this.fixedDate : d;
  }

  /** Whole-second dates from disk, one object per distinct second: a tree has few of them. */
  private readonly diskDates = new Map<number, Date>();
  private lastDiskDate: Date | undefined;
  private diskDate(ms: number): Date {
    const whole = Math.floor(ms / 1000) * 1000;
    // A node's three times, and neighbours', are mostly the same second: skip the map for those.
    const last = this.lastDiskDate;
    if (last !== undefined && last.getTime() === whole) return last;
    let d = this.diskDates.get(whole);
    if (!d) {
      d = new Date(whole);
      if (this.diskDates.size < 1 << 16) this.diskDates.set(whole, d);
    }
    this.lastDiskDate = d;
    return d;
  }

  private metaFromDisk(diskPath: string, follow: boolean, stats?: DiskStat): NodeMetadata {
    const st = stats ?? (follow ? statSync(diskPath) : lstatSync(diskPath));
    const mtime = this.clamp(this.diskDate(st.mtimeMs));
    return {
      mode: st.mode & 0o7777,
      // Stats numbers are doubles; as small integers they are stored inline, not as one heap number each.
      uid: this.reproducible ? 0 : st.uid >>> 0,
      gid: this.reproducible ? 0 : st.gid >>> 0,
      mtime,
      atime: this.reproducible ? mtime : this.diskDate(st.atimeMs),
      ctime: this.reproducible ? mtime : this.diskDate(st.ctimeMs),
      hidden: false,
      associated: false,
    };
  }

  /**
   * Adds a directory tree from disk under `at` (default the root). Entries are read in sorted
   * order so the result does not depend on the order the OS lists them.
   */
  addTree(diskPath: string, at = "/", options: AddTreeOptions = {}): DirectoryNode {
    let st;
    try {
      st = statSync(diskPath);
    } catch (cause) {
      throw new SourceUnreadableError(diskPath, { cause });
    }
    if (!st.isDirectory()) throw new InvalidArgumentError("addTree", `${diskPath} is not a directory`);
    const dest = options.includeBaseDirectory ? join(at, basename(realpathSync(diskPath))).replaceAll("\\", "/") : at;
    const dir = this.addDirectory(dest);
    Object.assign(dir.meta, this.metaFromDisk(diskPath, true));
    const inodes = new Map<string, FileData>();
    const active = new Set<string>([realpathSync(diskPath)]);
    this.scan(normalize(diskPath), dir, options, inodes, active);
    return dir;
  }

  private scan(diskDir: string, dir: DirectoryNode, o: AddTreeOptions, inodes: Map<string, FileData>, active: Set<string>): void {
    let names: string[];
    try {
      names = readdirSync(diskDir);
    } catch (cause) {
      throw new SourceUnreadableError(diskDir, { cause });
    }
    names.sort();
    const prefix = childPrefix(diskDir);
    for (const name of names) {
      const p = prefix + name;
      if (o.filter && !o.filter(p)) continue;
      let st: DiskStat;
      try {
        st = lstat(p);
      } catch (cause) {
        throw new SourceUnreadableError(p, { cause });
      }
      let follow = false;
      if (st.isSymbolicLink() && o.followSymlinks) {
        try {
          st = statSync(p);
        } catch (cause) {
          if ((cause as NodeJS.ErrnoException).code === "ELOOP") throw new SymlinkLoopError(p);
          throw new SourceUnreadableError(p, { cause });
        }
        follow = true;
      }
      checkName(name);
      const existing = dir.children.get(name);
      if (existing) {
        if (existing.kind === "directory" && st.isDirectory()) {
          this.scanDir(p, existing, o, inodes, active, follow);
          continue;
        }
        if (!o.overwrite) throw new InvalidArgumentError("addTree", `${p}: ${name} already exists in the image`);
        dir.children.delete(name);
      }
      const meta = this.metaFromDisk(p, follow, st);
      if (st.isDirectory()) {
        const child: DirectoryNode = { kind: "directory", name, parent: dir, meta, children: new Map() };
        dir.children.set(name, child);
        this.scanDir(p, child, o, inodes, active, follow);
      } else if (st.isFile()) {
        // Only files with several names need an inode key.
        const key = st.nlink > 1 ? `${st.dev}:${st.ino}` : undefined;
        let data = key !== undefined && o.preserveHardLinks !== false ? inodes.get(key) : undefined;
        if (!data) {
          const size = st.size;
          data = new FileData(new PathContent(p, size < 0x4000_0000 ? size | 0 : size, st.mtimeMs));
          if (key !== undefined) inodes.set(key, data);
        }
        dir.children.set(name, { kind: "file", name, parent: dir, meta, data });
      } else if (st.isSymbolicLink()) {
        dir.children.set(name, { kind: "symlink", name, parent: dir, meta, target: readlinkSync(p) });
      } else {
        const type = st.isCharacterDevice() ? "char" : st.isBlockDevice() ? "block" : st.isFIFO() ? "fifo" : "socket";
        const rdev = Number(st.rdev);
        dir.children.set(name, { kind: "device", name, parent: dir, meta, type, major: (rdev >>> 8) & 0xfff, minor: (rdev & 0xff) | ((rdev >>> 12) & 0xfff00) });
      }
    }
  }

  private scanDir(p: string, dir: DirectoryNode, o: AddTreeOptions, inodes: Map<string, FileData>, active: Set<string>, follow: boolean): void {
    if (!follow) return this.scan(p, dir, o, inodes, active);
    const real = realpathSync(p);
    if (active.has(real)) throw new SymlinkLoopError(p);
    active.add(real);
    try {
      this.scan(p, dir, o, inodes, active);
    } finally {
      active.delete(real);
    }
  }

  /** Every node in a stable depth-first order (children sorted by name). */
  *walk(dir: DirectoryNode = this.root, prefix = ""): Generator<[string, TreeNode]> {
    for (const name of [...dir.children.keys()].sort()) {
      const node = dir.children.get(name)!;
      const path = `${prefix}/${name}`;
      yield [path, node];
      if (node.kind === "directory") yield* this.walk(node, path);
    }
  }
}

/** What `join(dir, name)` puts before a readdir name for a normalized `dir`: built once per directory, not per entry. */
function childPrefix(dir: string): string {
  if (dir === ".") return "";
  return dir.endsWith(sep) ? dir : dir + sep;
}

function checkName(name: string): void {
  if (name === "" || name === "." || name === ".." || name.includes("/") || name.includes("\0")) {
    throw new InvalidArgumentError("name", `"${name}" is not a valid file name`);
  }
}
