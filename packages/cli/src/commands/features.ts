import { featureName, modePageName, type FeatureDescriptor } from "@discforge/mmc";
import type { Command } from "../command.js";
import { FEATURES_SPEC, MODE_PAGES_SPEC } from "../specs.js";
import { withRecorder } from "../drive-context.js";
import { EXIT } from "../exit.js";
import { hex, toJson } from "../format.js";

function fieldText(v: unknown): string {
  if (v instanceof Uint8Array) return v.length ? Buffer.from(v).toString("hex") : "(none)";
  if (Array.isArray(v)) return `[${v.map(fieldText).join(", ")}]`;
  if (typeof v === "object" && v !== null) return `{${Object.entries(v).map(([k, x]) => `${k}: ${fieldText(x)}`).join(", ")}}`;
  return String(v);
}

export function formatFeature(f: FeatureDescriptor): string {
  const head = `${hex(f.code, 4)}h ${featureName(f.code)}${f.current ? " (current)" : ""}${f.persistent ? " (persistent)" : ""} v${f.version}`;
  const skip = new Set(["code", "version", "persistent", "current", "kind"]);
  const fields = Object.entries(f).filter(([k]) => !skip.has(k));
  return [head, ...fields.map(([k, v]) => `    ${k}: ${fieldText(v)}`)].join("\n");
}

export const featuresCommand: Command = {
  ...FEATURES_SPEC,
  run: (ctx) =>
    withRecorder(ctx, async (rec) => {
      const features = await rec.features({ currentOnly: ctx.values.current === true });
      ctx.io.stdout.write(ctx.json ? toJson({ ok: true, features }) + "\n" : features.map(formatFeature).join("\n") + "\n");
      return EXIT.ok;
    }),
};

export const modePagesCommand: Command = {
  ...MODE_PAGES_SPEC,
  run: (ctx) =>
    withRecorder(ctx, async (rec) => {
      const pages = await rec.modePages();
      if (ctx.json) {
        ctx.io.stdout.write(toJson({ ok: true, pages: pages.map((p) => ({ ...p, name: modePageName(p.pageCode, p.subpageCode) })) }) + "\n");
      } else {
        for (const p of pages) {
          ctx.io.stdout.write(`${hex(p.pageCode)}h${p.spf ? `/${hex(p.subpageCode)}h` : ""} ${modePageName(p.pageCode, p.subpageCode)} (${p.parameters.length} bytes): ${Buffer.from(p.parameters).toString("hex")}\n`);
        }
      }
      return EXIT.ok;
    }),
};
