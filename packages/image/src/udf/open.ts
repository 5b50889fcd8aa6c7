/**
 * Opens the best reader for an image: its UDF file system when it has one (the tree Windows and
 * macOS show for DVD and BD media), else the ISO 9660 / Joliet / Rock Ridge tree.
 */
import { FileBlockSource, type BlockSource } from "../reader/block-source.js";
import { IsoReader, type ReaderOptions } from "../reader/reader.js";
import { UdfReader } from "./reader.js";

export type ImageFileSystem = "udf" | "iso9660" | "auto";

/** `prefer: "auto"` (default) takes UDF when the session has a UDF recognition sequence. */
export async function openImageReader(source: BlockSource | string, options: ReaderOptions & { readonly fileSystem?: ImageFileSystem } = {}): Promise<IsoReader | UdfReader> {
  const src = typeof source === "string" ? FileBlockSource.open(source) : source;
  const want = options.fileSystem ?? "auto";
  const sessionStart = options.sessionStart ?? 0;
  if (want === "udf" || (want === "auto" && (await UdfReader.detect(src, sessionStart)))) {
    return UdfReader.open(src, { sessionStart, ...(options.maxDirectoryBytes !== undefined ? { maxDirectoryBytes: options.maxDirectoryBytes } : {}), ...(options.maxDirectories !== undefined ? { maxDirectories: options.maxDirectories } : {}) });
  }
  return IsoReader.open(src, options);
}
