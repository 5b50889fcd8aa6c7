/** Hex helpers for tests, traces and the `raw` diagnostic. */
import { InvalidArgumentError } from "@discforge/errors";

export function toHex(bytes: Uint8Array, separator = ""): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) {
    if (i > 0) s += separator;
    s += bytes[i]!.toString(16).padStart(2, "0");
  }
  return s;
}

/** Parses hex with optional spaces, colons, dashes or newlines between bytes; "#" starts a comment to end of line. */
export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/#[^\n]*/g, "").replace(/[\s:_-]/g, "").replace(/^0x/i, "");
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) {
    throw new InvalidArgumentError("hex", `"${text.slice(0, 40)}" is not an even-length hex string`);
  }
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Classic 16-bytes-per-line dump: offset, hex, printable ASCII. */
export function hexDump(bytes: Uint8Array, options: { readonly baseOffset?: number; readonly width?: number } = {}): string {
  const width = options.width ?? 16;
  const base = options.baseOffset ?? 0;
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += width) {
    const row = bytes.subarray(i, Math.min(i + width, bytes.length));
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, "0")).join(" ");
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".")).join("");
    lines.push(`${(base + i).toString(16).padStart(8, "0")}  ${hex.padEnd(width * 3 - 1)}  |${ascii}|`);
  }
  return lines.join("\n");
}
