/** `discforge extract IMAGE DIR`: extracts an image's tree, refusing anything that escapes DIR. */
import { InvalidArgumentError } from "@discforge/errors";
import { extractImage } from "@discforge/image";
import type { Command } from "../command.js";
import { EXTRACT_SPEC } from "../specs.js";
import { EXIT } from "../exit.js";
import { section, toJson } from "../format.js";
import { openNamespace } from "./ls.js";

export const extractCommand: Command = {
  ...EXTRACT_SPEC,
  async run(ctx) {
    const [image, dir] = ctx.positionals;
    if (!image || !dir) throw new InvalidArgumentError("IMAGE DIR", "usage is discforge extract IMAGE DIR");
    const reader = await openNamespace(image, ctx.values.namespace);
    try {
      const r = await extractImage(reader, dir, { signal: ctx.signal, symlinks: ctx.values["no-symlinks"] === true ? "skip" : "create", preserveMetadata: ctx.values["no-metadata"] !== true });
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
