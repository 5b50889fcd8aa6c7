/** `discforge ls IMAGE [PATH]`: lists an image's directory (Rock Ridge, Joliet or ISO 9660 names). */
import { InvalidArgumentError } from "@discforge/errors";
import { IsoReader, type IsoEntry, type Namespace } from "@discforge/image";
import { UdfReader } from "@discforge/image/udf";
import type { Command } from "../command.js";
import { LS_SPEC } from "../specs.js";
import { EXIT } from "../exit.js";
import { toJson } from "../format.js";

export function parseNamespace(v: unknown): Namespace | "auto" | "udf" {
  if (v === undefined) return "auto";
  if (v === "rockridge" || v === "joliet" || v === "iso9660" || v === "auto" || v === "udf") return v;
  throw new InvalidArgumentError("--namespace", `'${String(v)}' is not auto, rockridge, joliet, iso9660 or udf`);
}

/** The reader for `--namespace`: the UDF tree with "udf", else the ISO 9660 reader. */
export async function openNamespace(image: string, v: unknown): Promise<IsoReader | UdfReader> {
  const ns = parseNamespace(v);
  return ns === "udf" ? UdfReader.open(image) : IsoReader.open(image, { namespace: ns });
}

const TYPE_CHAR: Record<IsoEntry["type"], string> = { directory: "d", file: "-", symlink: "l", char: "c", block: "b", fifo: "p", socket: "s" };

function modeString(e: IsoEntry): string {
  const m = e.mode ?? (e.type === "directory" ? 0o555 : 0o444);
  let s = TYPE_CHAR[e.type];
  for (let shift = 6; shift >= 0; shift -= 3) {
    const bits = (m >> shift) & 7;
    s += (bits & 4 ? "r" : "-") + (bits & 2 ? "w" : "-") + (bits & 1 ? "x" : "-");
  }
  return s;
}

function longLine(path: string, e: IsoEntry): string {
  const date = e.mtime ? e.mtime.toISOString().replace("T", " ").slice(0, 16) : "                ";
  const target = e.linkTarget !== undefined ? ` -> ${e.linkTarget}` : "";
  return `${modeString(e)} ${String(e.uid ?? 0).padStart(5)} ${String(e.gid ?? 0).padStart(5)} ${String(e.size).padStart(12)} ${date} ${path}${target}`;
}

export const lsCommand: Command = {
  ...LS_SPEC,
  async run(ctx) {
    const [image, path = "/"] = ctx.positionals;
    if (!image) throw new InvalidArgumentError("IMAGE", "missing: usage is discforge ls IMAGE [PATH]");
    const reader = await openNamespace(image, ctx.values.namespace);
    try {
      const rows: [string, IsoEntry][] = [];
      if (ctx.values.recursive === true) {
        const prefix = "/" + path.split("/").filter(Boolean).join("/");
        for await (const [p, e] of reader.walk({ signal: ctx.signal })) if (prefix === "/" || p === prefix || p.startsWith(prefix + "/")) rows.push([p, e]);
      } else {
        const st = await reader.stat(path, { signal: ctx.signal });
        if (st.type === "directory") for (const e of await reader.list(path, { signal: ctx.signal })) rows.push([e.name, e]);
        else rows.push([path, st]);
      }
      if (ctx.json) {
        ctx.io.stdout.write(toJson({ ok: true, namespace: reader.namespace, entries: rows.map(([p, e]) => ({ path: p, ...e, extents: e.extents })) }) + "\n");
      } else {
        for (const [p, e] of rows) ctx.io.stdout.write((ctx.values.long === true ? longLine(p, e) : p + (e.type === "directory" && !ctx.values.recursive ? "/" : "")) + "\n");
      }
    } finally {
      await reader.close();
    }
    return EXIT.ok;
  },
};
