/**
 * The stash (IMAPI v1's staged image): a source copied to a temporary file and burned from there,
 * wiped (overwritten with zeros, then removed) after the first successful burn.
 */
import { createWriteStream, mkdtempSync, openSync, rmSync, statSync, writeSync, closeSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StateError, CancelledError } from "@discforge/errors";
import { fileSource, type BurnSource } from "./source.js";

export interface StagedImage extends BurnSource {
  readonly path: string;
  /** True once wiped: it cannot be burned again. */
  readonly wiped: boolean;
  /**
   * Overwrites the staged bytes with zeros and removes the file; removal is tried even when the
   * overwrite fails. Never throws (a burn's outcome does not depend on it): returns what went
   * wrong, for the caller to report, or undefined.
   */
  wipe(): string | undefined;
}

/** Copies a source to a temporary file (the stash) and returns a source over it. */
export async function stageImage(source: BurnSource, options: { readonly dir?: string; readonly signal?: AbortSignal } = {}): Promise<StagedImage> {
  const dir = mkdtempSync(join(options.dir ?? tmpdir(), "discforge-stash-"));
  const path = join(dir, "image.iso");
  const out = createWriteStream(path);
  try {
    for await (const chunk of source.open()) {
      if (options.signal?.aborted) throw new CancelledError("staging cancelled", { cause: options.signal.reason });
      if (!out.write(chunk)) await once(out, "drain");
    }
    out.end();
    await once(out, "finish");
  } catch (e) {
    out.destroy();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  if (statSync(path).size !== source.byteLength) {
    rmSync(dir, { recursive: true, force: true });
    throw new StateError(`staging wrote ${statSync(path).size} bytes, the source declared ${source.byteLength}`);
  }
  const inner = fileSource(path, { ...(source.startLba !== undefined ? { startLba: source.startLba } : {}), ...(source.changedRanges ? { changedRanges: source.changedRanges } : {}) });
  let wiped = false;
  return {
    ...inner,
    path,
    description: `${source.description ?? "stream"} (staged at ${path})`,
    get wiped() {
      return wiped;
    },
    open() {
      if (wiped) throw new StateError("the staged image was wiped after a successful burn; stage it again to burn another disc");
      return inner.open();
    },
    wipe() {
      if (wiped) return undefined;
      wiped = true;
      const problems: string[] = [];
      try {
        const fd = openSync(path, "r+");
        try {
          const zeros = new Uint8Array(1024 * 1024);
          for (let at = 0; at < source.byteLength; at += zeros.length) writeSync(fd, zeros, 0, Math.min(zeros.length, source.byteLength - at), at);
        } finally {
          closeSync(fd);
        }
      } catch (e) {
        problems.push(`the staged image at ${path} could not be overwritten (${(e as Error).message})`);
      }
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch (e) {
        problems.push(`the staging folder ${dir} could not be removed (${(e as Error).message})`);
      }
      return problems.length > 0 ? problems.join("; ") : undefined;
    },
  };
}
