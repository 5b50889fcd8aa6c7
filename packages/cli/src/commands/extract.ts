/** `discforge extract IMAGE DIR`: extracts an image's tree, refusing anything that escapes DIR. */
import { statfsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { InvalidArgumentError } from "@discforge/errors";
import { extractImage } from "@discforge/image";
import type { Command } from "../command.js";
import { EXTRACT_SPEC } from "../specs.js";
import { EXIT } from "../exit.js";
import { parseSize, section, toJson } from "../format.js";
import { openNamespace } from "./ls.js";

export const extractCommand: Command = {
  ...EXTRACT_SPEC,
  async run(ctx) {
    const [image, dir] = ctx.positionals;
    if (!image || !dir) throw new InvalidArgumentError("IMAGE DIR", "usage is discforge extract IMAGE DIR");
    const reader = await openNamespace(image, ctx.values.namespace);
    try {
      const maxBytes = byteLimit(ctx.values["max-bytes"], dir);
      const r = await extractImage(reader, dir, {
        signal: ctx.signal,
        symlinks: ctx.values["no-symlinks"] === true ? "skip" : "create",
        preserveMetadata: ctx.values["no-metadata"] !== true,
        ...(maxBytes === undefined ? {} : { maxBytes }),
      });
      if (ctx.json) ctx.io.stdout.write(toJson({ ok: true, namespace: reader.namespace, ...r }) + "\n");
      else {
        ctx.io.stdout.write(
          section(`Extracted ${image} to ${dir} (${reader.namespace})`, [
            ["files", r.files],
            ["directories", r.directories],
            ["symbolic links", r.symlinks],
            ["bytes", r.bytes],
            ["skipped", r.skipped.length === 0 ? "none" : r.skipped.map((s) => `${s.path} (${s.reason})`).join(", ")],
          ]) + "\n",
        );
      }
    } finally {
      await reader.close();
    }
    return EXIT.ok;
  },
};

/**
 * The extraction's limit: --max-bytes SIZE, "none", or by default the space free on DIR's file
 * system less a reserve (a twentieth of it, at most 1 GiB), so an image that claims more than
 * fits (a hostile one can claim terabytes in a few sectors) stops while the disk still has room
 * for everything else. No default where the file system reports no size (pseudo file systems)
 * or cannot be asked (the extraction then reports what the host refuses).
 */
export function byteLimit(option: unknown, dir: string): number | undefined {
  if (typeof option === "string") return option === "none" ? undefined : parseSize(option, "--max-bytes");
  let at = resolve(dir);
  for (;;) {
    try {
      const fs = statfsSync(at);
      if (fs.blocks <= 0) return undefined;
      // Blocks reserved for root are free to root.
      const free = (process.getuid?.() === 0 ? fs.bfree : fs.bavail) * fs.bsize;
      return Math.max(0, free - Math.min(2 ** 30, (fs.blocks * fs.bsize) / 20));
    } catch (e) {
      const parent = dirname(at);
      if ((e as NodeJS.ErrnoException).code !== "ENOENT" || parent === at) return undefined;
      at = parent;
    }
  }
}
