/** `discforge mkiso SRC... -o OUT.iso`: builds an ISO 9660 / Joliet / Rock Ridge image. */
import { statSync } from "node:fs";
import { basename } from "node:path";
import { InvalidArgumentError } from "@discforge/errors";
import { FileSystemImage, planImage, writeImageFile, type InterchangeLevel, type IsoPlanOptions, type WriteProgress } from "@discforge/image";
import { bootOptionsFromCli } from "@discforge/image/boot/cli-options";
import { parseUdfRevision, type UdfMedia, type UdfOptions } from "@discforge/image/udf";
import type { Command } from "../command.js";
import { MKISO_SPEC } from "../specs.js";
import { EXIT } from "../exit.js";
import { blocksToSize, section, toJson } from "../format.js";

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function parseLevel(v: string | undefined): InterchangeLevel {
  if (v === undefined) return 3;
  if (v === "1" || v === "2" || v === "3") return Number(v) as 1 | 2 | 3;
  if (v === "1999" || v === "4") return "1999";
  throw new InvalidArgumentError("--level", `'${v}' is not 1, 2, 3 or 1999`);
}

function progressBar(out: NodeJS.WritableStream): (p: WriteProgress) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (now - last < 100 && p.sectorsWritten < p.totalSectors) return;
    last = now;
    const frac = p.totalSectors === 0 ? 1 : p.sectorsWritten / p.totalSectors;
    const width = 30;
    const filled = Math.round(frac * width);
    const file = p.currentFile ? ` ${p.currentFile.length > 40 ? "…" + p.currentFile.slice(-39) : p.currentFile}` : "";
    out.write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${(frac * 100).toFixed(1).padStart(5)}%${file}\x1b[K`);
    if (p.sectorsWritten >= p.totalSectors) out.write("\n");
  };
}

/** `--udf REVISION|auto` and `--udf-media MEDIA` as planner options. */
function udfFromCli(revision: string | undefined, media: string | undefined): { udf?: UdfOptions } {
  if (revision === undefined) {
    if (media !== undefined) throw new InvalidArgumentError("--udf-media", "needs --udf");
    return {};
  }
  if (media !== undefined && !["cd", "dvd", "bd", "hddvd", "disk"].includes(media)) throw new InvalidArgumentError("--udf-media", `'${media}' is not cd, dvd, bd, hddvd or disk`);
  return { udf: { ...(revision === "auto" ? {} : { revision: parseUdfRevision(revision) }), ...(media !== undefined ? { media: media as UdfMedia } : {}) } };
}

export const mkisoCommand: Command = {
  ...MKISO_SPEC,
  async run(ctx) {
    const v = ctx.values;
    const output = str(v.output);
    if (!output) throw new InvalidArgumentError("--output", "missing: give the image file with -o OUT.iso");
    if (ctx.positionals.length === 0) throw new InvalidArgumentError("SRC", "give at least one file or directory");
    let date: Date | undefined;
    if (str(v.date) !== undefined) {
      date = new Date(str(v.date)!);
      if (Number.isNaN(date.getTime())) throw new InvalidArgumentError("--date", `'${str(v.date)}' is not a date`);
    }
    const image = new FileSystemImage({ ...(date ? { date } : {}), reproducible: v.reproducible === true || date !== undefined, env: ctx.io.env });
    const follow = v["follow-links"] === true;
    for (const arg of ctx.positionals) {
      const eq = arg.indexOf("=");
      const [at, disk] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : ["/", arg];
      let st;
      try {
        st = statSync(disk);
      } catch {
        throw new InvalidArgumentError("SRC", `${disk} does not exist`);
      }
      if (st.isDirectory()) image.addTree(disk, at, { followSymlinks: follow });
      else image.addFile(eq > 0 ? at : `/${basename(disk)}`, disk);
    }
    const set = (key: keyof typeof image.volume, opt: string): void => {
      const s = str(v[opt]);
      if (s !== undefined) (image.volume as unknown as Record<string, string>)[key] = s;
    };
    set("volumeId", "volume-id");
    set("volumeSetId", "volume-set");
    set("publisherId", "publisher");
    set("dataPreparerId", "preparer");
    set("applicationId", "application");
    set("systemId", "system-id");
    const rrVersion = str(v["rock-ridge-version"]) ?? "1.12";
    if (rrVersion !== "1.10" && rrVersion !== "1.12") throw new InvalidArgumentError("--rock-ridge-version", `'${rrVersion}' is not 1.10 or 1.12`);
    const deep = str(v.deep);
    if (deep !== undefined && deep !== "relocate" && deep !== "allow" && deep !== "error") throw new InvalidArgumentError("--deep", `'${deep}' is not relocate, allow or error`);
    const options: IsoPlanOptions = {
      level: parseLevel(str(v.level)),
      joliet: v["no-joliet"] === true ? false : { maxLength: v["joliet-long"] === true ? 103 : 64 },
      rockRidge: v["no-rock-ridge"] === true ? false : rrVersion,
      ...(deep ? { deepDirectories: deep } : {}),
      ...udfFromCli(str(v.udf), str(v["udf-media"])),
    };
    const boot = bootOptionsFromCli(v);
    // The boot writer (and node:crypto) loads only for a bootable image.
    const plan = planImage(image, boot === undefined ? options : { ...options, extensions: [(await import("@discforge/image/boot")).bootExtension(image, boot)] });
    const capacity = str(v.capacity);
    if (capacity !== undefined) {
      if (!/^\d+$/.test(capacity)) throw new InvalidArgumentError("--capacity", `'${capacity}' is not a sector count`);
      plan.assertFits(Number(capacity));
    }
    const showBar = !ctx.json && v.quiet !== true && ctx.io.stderr.isTTY === true;
    const started = Date.now();
    await writeImageFile(plan, output, { signal: ctx.signal, ...(showBar ? { onProgress: progressBar(ctx.io.stderr) } : {}) });
    const seconds = (Date.now() - started) / 1000;
    if (ctx.json) ctx.io.stdout.write(toJson({ ok: true, output, sectors: plan.sectorCount, bytes: plan.byteLength, volumeId: image.volume.volumeId, seconds }) + "\n");
    else if (v.quiet !== true) {
      ctx.io.stdout.write(
        section(`Wrote ${output}`, [
          ["sectors", plan.sectorCount],
          ["size", blocksToSize(plan.sectorCount)],
          ["volume id", image.volume.volumeId],
          ["namespaces", ["ISO 9660 level " + String(options.level), options.joliet ? "Joliet" : "", options.rockRidge ? `Rock Ridge ${options.rockRidge}` : "", options.udf ? "UDF" : ""].filter(Boolean).join(", ")],
          ["time", `${seconds.toFixed(2)} s`],
        ]) + "\n",
      );
    }
    return EXIT.ok;
  },
};
