/**
 * Multisession: imports the tree of an earlier session (read with IsoReader) into a
 * FileSystemImage. Imported files keep their recorded extents (RecordedContent); only new or
 * replaced files get data in the new session, which is then planned with `startLba` set to the
 * next writable address (what mkisofs -M/-C and IMAPI's ImportFileSystem do).
 */
import { RecordedContent } from "../content.js";
import type { FileSystemImage } from "../tree.js";
import type { IsoReader } from "./reader.js";

export interface ImportResult {
  readonly files: number;
  readonly directories: number;
  /** The address after the imported volume: the smallest `startLba` the next session can use. */
  readonly volumeEnd: number;
}

export async function importSession(reader: Pick<IsoReader, "walk"> & { readonly primary: { readonly volumeSpaceSize: number } }, image: FileSystemImage, options: { signal?: AbortSignal } = {}): Promise<ImportResult> {
  let files = 0;
  let directories = 0;
  const bySerial = new Map<string, string>();
  for await (const [path, e] of reader.walk(options)) {
    const meta = {
      ...(e.mode !== undefined ? { mode: e.mode } : {}),
      ...(e.uid !== undefined ? { uid: e.uid } : {}),
      ...(e.gid !== undefined ? { gid: e.gid } : {}),
      ...(e.mtime ? { mtime: e.mtime, atime: e.atime ?? e.mtime, ctime: e.ctime ?? e.mtime } : {}),
      hidden: e.hidden,
      associated: e.associated,
    };
    if (e.type === "directory") {
      image.addDirectory(path, meta);
      directories++;
    } else if (e.type === "file") {
      // Hard links share an extent: keep them as one content.
      const key = e.size > 0 ? `${e.extents[0]!.lba}:${e.size}` : undefined;
      const first = key ? bySerial.get(key) : undefined;
      if (first) image.addHardLink(path, first, meta);
      else {
        image.addFile(path, new RecordedContent(e.size, e.extents, path), meta);
        if (key) bySerial.set(key, path);
      }
      files++;
    } else if (e.type === "symlink") {
      image.addSymlink(path, e.linkTarget ?? "", meta);
    } else if (e.type === "char" || e.type === "block") {
      image.addDevice(path, e.type, e.device?.major ?? 0, e.device?.minor ?? 0, meta);
    } else {
      image.addDevice(path, e.type, 0, 0, meta);
    }
  }
  return { files, directories, volumeEnd: reader.primary.volumeSpaceSize };
}
