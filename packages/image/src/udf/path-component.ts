/**
 * Path components of a symbolic link's data, ECMA-167 4/14.16 (OSTA UDF 2.60 2.3.12):
 * component type 2 is the root, 3 "..", 4 ".", 5 a named component (CS0, no version);
 * type 1 (an agreed-upon root) is read as the root.
 */
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";
import { readU16LE } from "@discforge/bytes";
import { decodeCs0, encodeCs0 } from "./charspec.js";

export const COMPONENT_TYPES = { agreedRoot: 1, root: 2, parent: 3, current: 4, name: 5 } as const;

/** Encodes a POSIX link target as a sequence of path components. */
export function encodeSymlinkTarget(target: string): Uint8Array {
  const parts: Uint8Array[] = [];
  const add = (type: number, name: Uint8Array = new Uint8Array(0)): void => {
    if (name.length > 255) throw new InvalidArgumentError("symlink target", `component of ${name.length} bytes exceeds 255`);
    const c = new Uint8Array(4 + name.length);
    c[0] = type;
    c[1] = name.length;
    c.set(name, 4);
    parts.push(c);
  };
  if (target.startsWith("/")) add(COMPONENT_TYPES.root);
  for (const p of target.split("/")) {
    if (p === "") continue;
    if (p === "..") add(COMPONENT_TYPES.parent);
    else if (p === ".") add(COMPONENT_TYPES.current);
    else add(COMPONENT_TYPES.name, encodeCs0(p));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export function decodeSymlinkTarget(bytes: Uint8Array, where = 0): string {
  const out: string[] = [];
  let absolute = false;
  let off = 0;
  while (off < bytes.length) {
    if (off + 4 > bytes.length) throw new MalformedDataError("ECMA-167 4/14.16 path component", where + off, "truncated");
    const type = bytes[off]!;
    const len = bytes[off + 1]!;
    void readU16LE(bytes, off + 2);
    if (off + 4 + len > bytes.length) throw new MalformedDataError("ECMA-167 4/14.16 path component", where + off, `identifier of ${len} bytes runs past the data`);
    const id = bytes.subarray(off + 4, off + 4 + len);
    if (type === COMPONENT_TYPES.root || type === COMPONENT_TYPES.agreedRoot) {
      out.length = 0;
      absolute = true;
    } else if (type === COMPONENT_TYPES.parent) out.push("..");
    else if (type === COMPONENT_TYPES.current) out.push(".");
    else if (type === COMPONENT_TYPES.name) out.push(decodeCs0(id, "ECMA-167 4/14.16 path component", where + off + 4));
    else throw new MalformedDataError("ECMA-167 4/14.16 path component", where + off, `unknown component type ${type}`);
    off += 4 + len;
  }
  return (absolute ? "/" : "") + out.join("/");
}
