/**
 * Extracts an image's tree into a directory without ever writing outside it: names from the image
 * are checked (no "/", NUL, ".", ".."), files are created exclusively and without following
 * links, symbolic links are created last (so nothing is written through them), and device nodes
 * are never created. Two entries under one name, and whatever the host refuses (a path too long),
 * end the extraction with a typed error.
 */
import { closeSync, lstatSync, mkdirSync, openSync, constants as fsc, symlinkSync, utimesSync, writeSync, chmodSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import { InvalidArgumentError, isDiscforgeError, MalformedDataError, throwIfAborted } from "@discforge/errors";
import { ExtractLimitError, ImageUnwritableError } from "../errors.js";
import type { IsoEntry, IsoReader } from "./reader.js";

export interface ExtractOptions {
  readonly signal?: AbortSignal;
  /** Create symbolic links ("create", default) or skip them. */
  readonly symlinks?: "create" | "skip";
  /** Apply Rock Ridge permission bits (without setuid/setgid/sticky) and times. Default true. */
  readonly preserveMetadata?: boolean;
  readonly onEntry?: (path: string, entry: IsoEntry) => void;
  /**
   * The most disk space the extraction may take (default: no limit), each file counted as its
   * size in whole EXTRACT_BLOCK units and each directory and link as one (most file systems give
   * every file a block and an inode: a million empty names fill a disk too). A few sectors of a
   * hostile image can claim terabytes: extents that overlap one another, UDF extents read as
   * zeros, names by the thousand. The entry that would go past the limit is refused
   * (ExtractLimitError) before anything of it is written.
   */
  readonly maxBytes?: number;
}

export interface ExtractResult {
  readonly files: number;
  readonly directories: number;
  readonly symlinks: number;
  readonly bytes: number;
  /** Entries not extracted, with the reason (device nodes, skipped links). */
  readonly skipped: readonly { readonly path: string; readonly reason: string }[];
}

function checkName(name: string, path: string): void {
  if (name === "" || name === "." || name === ".." || name.includes("/") || name.includes("\0") || name.includes("\\")) {
    throw new MalformedDataError("image file name", 0, `${JSON.stringify(path)} has an unsafe component ${JSON.stringify(name)}`);
  }
}

/** Runs a file system call for `path`; what the host refuses (a name too long, no space) becomes a typed error. */
function onDisk<T>(path: string, call: () => T): T {
  try {
    return call();
  } catch (cause) {
    if (isDiscforgeError(cause)) throw cause;
    throw new ImageUnwritableError(path, { cause });
  }
}

/** The unit `maxBytes` counts in: a common file system block. */
export const EXTRACT_BLOCK = 4096;

/** Space an entry of `size` bytes is counted as: whole blocks, at least one. */
function onDiskSize(size: number): number {
  return Math.max(1, Math.ceil(size / EXTRACT_BLOCK)) * EXTRACT_BLOCK;
}

export async function extractImage(reader: Pick<IsoReader, "walk" | "read">, destination: string, options: ExtractOptions = {}): Promise<ExtractResult> {
  const limit = options.maxBytes;
  if (limit !== undefined && !(limit >= 0 && Number.isFinite(limit))) throw new InvalidArgumentError("maxBytes", `${limit} is not a byte count`);
  const root = resolve(destination);
  onDisk(root, () => mkdirSync(root, { recursive: true }));
  let used = 0;
  let files = 0;
  let directories = 0;
  let bytes = 0;
  const skipped: { path: string; reason: string }[] = [];
  const links: { path: string; target: string }[] = [];
  const dirTimes: { path: string; entry: IsoEntry }[] = [];
  const meta = options.preserveMetadata ?? true;
  // Paths this extraction created: a second entry under one name is the image's fault, not the disk's.
  const created = new Set<string>();
  for await (const [path, entry] of reader.walk(options.signal === undefined ? {} : { signal: options.signal })) {
    throwIfAborted(options.signal, "extract");
    const parts = path.split("/").slice(1);
    parts.forEach((p) => checkName(p, path));
    const out = join(root, ...parts);
    if (!out.startsWith(root + sep)) throw new MalformedDataError("image file name", 0, `${path} resolves outside the destination`);
    if (limit !== undefined && (entry.type === "file" || entry.type === "directory" || (entry.type === "symlink" && options.symlinks !== "skip"))) {
      const size = onDiskSize(entry.type === "file" ? entry.size : 0);
      if (used + size > limit) throw new ExtractLimitError(path, size, used, limit);
      used += size;
    }
    options.onEntry?.(path, entry);
    if ((entry.type === "directory" || entry.type === "file") && created.has(out)) throw new MalformedDataError("image file name", 0, `${path} appears twice`);
    if (entry.type === "directory") {
      onDisk(out, () => mkdirSync(out));
      created.add(out);
      directories++;
      if (meta) dirTimes.push({ path: out, entry });
    } else if (entry.type === "file") {
      const fd = onDisk(out, () => openSync(out, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | fsc.O_NOFOLLOW, 0o600));
      created.add(out);
      try {
        for await (const chunk of reader.read(entry, options.signal === undefined ? {} : { signal: options.signal })) {
          let done = 0;
          while (done < chunk.length) done += onDisk(out, () => writeSync(fd, chunk, done, chunk.length - done));
          bytes += chunk.length;
        }
      } finally {
        closeSync(fd);
      }
      onDisk(out, () => chmodSync(out, meta && entry.mode !== undefined ? entry.mode & 0o777 : 0o644));
      const mtime = entry.mtime;
      if (meta && mtime) onDisk(out, () => utimesSync(out, entry.atime ?? mtime, mtime));
      files++;
    } else if (entry.type === "symlink") {
      if (options.symlinks === "skip" || entry.linkTarget === undefined) skipped.push({ path, reason: "symbolic link" });
      else links.push({ path: out, target: entry.linkTarget });
    } else {
      skipped.push({ path, reason: `${entry.type} device node` });
    }
  }
  for (const l of links) {
    if (l.target.includes("\0")) throw new MalformedDataError("symbolic link target", 0, `${l.path}: NUL in link target`); // the readers refuse these already; this is the last guard
    // The link itself must not replace anything already extracted.
    let exists = true;
    try {
      lstatSync(l.path);
    } catch {
      exists = false;
    }
    if (exists || created.has(l.path)) throw new MalformedDataError("image file name", 0, `${l.path} appears twice`);
    onDisk(l.path, () => symlinkSync(l.target, l.path));
    created.add(l.path);
  }
  for (const d of dirTimes.reverse()) {
    const { mode, mtime, atime } = d.entry;
    if (mode !== undefined) onDisk(d.path, () => chmodSync(d.path, (mode & 0o777) | 0o700));
    if (mtime) onDisk(d.path, () => utimesSync(d.path, atime ?? mtime, mtime));
  }
  return { files, directories, symlinks: links.length, bytes, skipped };
}
