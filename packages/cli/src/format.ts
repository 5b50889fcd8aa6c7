/** Small text-layout helpers for human-readable reports, and the parsing of sizes given on the command line. */
import { InvalidArgumentError } from "@discforge/errors";

/** A size such as 16M, 512K, 1G, 2T or a byte count; `what` names the option in the error. */
export function parseSize(text: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kKmMgGtT]?)i?[bB]?$/.exec(text.trim());
  if (!m) throw new InvalidArgumentError(what, `"${text}" is not a size (e.g. 16M, 512K, 1G)`);
  const mult = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2]!.toLowerCase() as "" | "k" | "m" | "g" | "t"];
  return Math.round(Number(m[1]) * mult);
}

export function hex(n: number, width = 2): string {
  return n.toString(16).toUpperCase().padStart(width, "0");
}

/** "4.38 GiB" style size of a block count (2048-byte blocks unless told). */
export function blocksToSize(blocks: number, blockSize = 2048): string {
  const bytes = blocks * blockSize;
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(2)} ${units[i]}`;
}

/** Aligned "key  value" lines under an optional heading. */
export function section(title: string, rows: readonly (readonly [string, string | number | boolean | undefined])[]): string {
  const present = rows.filter(([, v]) => v !== undefined && v !== "");
  const width = Math.max(0, ...present.map(([k]) => k.length));
  const lines = present.map(([k, v]) => `  ${k.padEnd(width)}  ${typeof v === "boolean" ? (v ? "yes" : "no") : String(v)}`);
  return [title, ...lines].join("\n");
}

export function yesNo(v: boolean | undefined): string {
  return v === undefined ? "unknown" : v ? "yes" : "no";
}

/** JSON with Uint8Array as hex strings, for --json output. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString("hex") : v), 2);
}
