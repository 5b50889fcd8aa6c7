/**
 * UDF file identifiers from tree names: OSTA CS0, at most 255 bytes (ECMA-167 4/14.4.9). A name
 * that does not fit is shortened the way OSTA UDF 2.60 4.2.2.1 translates names it cannot keep:
 * the start of the name, "#" and a CRC of the whole name in hex, then the extension - so the
 * result is stable and distinct - or, with policy "error", refused.
 */
import { crc16Ccitt, encodeUtf8 } from "@discforge/bytes";
import { NameNotRepresentableError } from "../errors.js";
import { cs0Length, encodeCs0 } from "./charspec.js";

export type UdfNamePolicy = "shorten" | "error";
export const MAX_UDF_NAME_BYTES = 255;

export function udfIdentifier(name: string, path: string, policy: UdfNamePolicy = "shorten"): string {
  if (cs0Length(name) <= MAX_UDF_NAME_BYTES) return name;
  if (policy === "error") throw new NameNotRepresentableError(path, `UDF names are limited to 255 bytes of OSTA CS0, this one needs ${cs0Length(name)}`);
  const hash = `#${crc16Ccitt(encodeUtf8(name)).toString(16).toUpperCase().padStart(4, "0")}`;
  const dot = name.lastIndexOf(".");
  const ext = dot > 0 && name.length - dot <= 6 ? name.slice(dot) : "";
  let base = Array.from(ext ? name.slice(0, dot) : name);
  while (base.length > 0 && cs0Length(base.join("") + hash + ext) > MAX_UDF_NAME_BYTES) base = base.slice(0, -1);
  return base.join("") + hash + ext;
}

/** Maps every child name of one directory, keeping the results distinct. */
export function mapUdfNames(names: readonly string[], dirPath: string, policy: UdfNamePolicy = "shorten"): Uint8Array[] {
  const used = new Set<string>();
  return names.map((n) => {
    let id = udfIdentifier(n, `${dirPath}/${n}`, policy);
    for (let i = 1; used.has(id); i++) id = udfIdentifier(`${n}~${i}`, `${dirPath}/${n}`, "shorten");
    used.add(id);
    return encodeCs0(id);
  });
}
