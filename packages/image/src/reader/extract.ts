/**
 * Extracts an image's tree into a directory without ever writing outside it: names from the image
 * are checked (no "/", NUL, ".", ".."), files are created exclusively and without following
 * links, symbolic links are created last (so nothing is written through them), and device nodes
 * are never created.
 */
import { closeSync, lstatSync, mkdirSync, openSync, constants as fsc, symlinkSync, utimesSync, writeSync, chmodSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import { MalformedDataError, throwIfAborted } from "@discforge/errors";
import type { IsoEntry, IsoReader } from "./reader.js";

export interface ExtractOptions {
  readonly signal?: AbortSignal;
  /** Create symbolic links ("create", default) or skip them. */
  readonly symlinks?: "create" | "skip";
  /** Apply Rock Ridge permission bits (without setuid/setgid/sticky) and times. Default true. */
  readonly preserveMetadata?: boolean;
  readonly onEntry?: (path: string, entry: IsoEntry) => void;
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

export async function extractImage(reader: Pick<IsoReader, "walk" | "read">, destination: string, options: ExtractOptions = {}): Promise<ExtractResult> {
  const root = resolve(destination);
  mkdirSync(root, { recursive: true });
  let files = 0;
  let directories = 0;
  let bytes = 0;
  const skipped: { path: string; reason: string }[] = [];
  const links: { path: string; target: string }[] = [];
  const dirTimes: { path: string; entry: IsoEntry }[] = [];
  const meta = options.preserveMetadata ?? true;
  for await (const [path, entry] of reader.walk(options.signal === undefined ? {} : { signal: options.signal })) {
    throwIfAborted(options.signal, "extract");
    const parts = path.split("/").slice(1);
    parts.forEach((p) => checkName(p, path));
    const out = join(root, ...parts);
    if (!out.startsWith(root + sep)) throw new MalformedDataError("image file name", 0, `${path} resolves outside the destination`);
    options.onEntry?.(path, entry);
    if (entry.type === "directory") {
      mkdirSync(out);
      directories++;
      if (meta) dirTimes.push({ path: out, entry });
    } else if (entry.type === "file") {
      const fd = openSync(out, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | fsc.O_NOFOLLOW, 0o600);
      try {
        for await (const chunk of reader.read(entry, options.signal === undefined ? {} : { signal: options.signal })) {
          let done = 0;
          while (done < chunk.length) done += writeSync(fd, chunk, done, chunk.length - done);
          bytes += chunk.length;
        }
      } finally {
        closeSync(fd);
      }
      chmodSync(out, meta && entry.mode !== undefined ? entry.mode & 0o777 : 0o644);
      if (meta && entry.mtime) utimesSync(out, entry.atime ?? entry.mtime, entry.mtime);
      files++;
    } else if (entry.type === "symlink") {
      if (options.symlinks === "skip" || entry.linkTarget === undefined) skipped.push({ path, reason: "symbolic link" });
      else links.push({ path: out, target: entry.linkTarget });
    } else {
      skipped.push({ path, reason: `${entry.type} device node` });
    }
  }
  for (const l of links) {
    if (l.target.includes("\0")) throw new MalformedDataError("RRIP SL target", 0, `${l.path}: NUL in link target`);
    // The link itself must not replace anything already extracted.
    let exists = true;
    try {
      lstatSync(l.path);
    } catch {
      exists = false;
    }
    if (exists) throw new MalformedDataError("image file name", 0, `${l.path} appears twice`);
    symlinkSync(l.target, l.path);
  }
  for (const d of dirTimes.reverse()) {
    if (d.entry.mode !== undefined) chmodSync(d.path, (d.entry.mode & 0o777) | 0o700);
    if (d.entry.mtime) utimesSync(d.path, d.entry.atime ?? d.entry.mtime, d.entry.mtime);
  }
  return { files, directories, symlinks: links.length, bytes, skipped };
}
