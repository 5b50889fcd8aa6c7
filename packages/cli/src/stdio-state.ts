/**
 * The O_NONBLOCK bit of file descriptors 0-2 as the process found them (Linux: read from
 * /proc/self/fdinfo before Node makes streams of them). libuv sets the bit on pipes, and a pipe's
 * flags are shared with every process writing to it; Node clears it again when it exits the usual
 * way, and exit-now.ts does the same before ending through _exit.
 */
import { createRequire } from "node:module";
import type * as fs from "node:fs";

export const O_NONBLOCK = 0o4000;

let atStart: readonly (boolean | undefined)[] | undefined;

function isOpen(fstatSync: typeof fs.fstatSync, fd: number): boolean {
  try {
    fstatSync(fd);
    return true;
  } catch {
    return false;
  }
}

/** Records the bits; to be called before anything touches process.stdin, stdout or stderr. */
export function recordStdioState(): void {
  if (process.platform !== "linux") return;
  // Through require: an ESM import of node:fs also builds fs.promises, which start-up does not need.
  const { readFileSync, fstatSync } = createRequire(import.meta.url)("node:fs") as typeof fs;
  const bits: (boolean | undefined)[] = [];
  for (let fd = 0; fd <= 2; fd++) {
    let info: string | undefined;
    try {
      info = readFileSync(`/proc/self/fdinfo/${fd}`, "latin1");
    } catch {
      // Not open at start (EBADF), or no /proc: an open descriptor whose flags cannot be read leaves nothing recorded.
      if (isOpen(fstatSync, fd)) return;
    }
    const m = info === undefined ? null : /^flags:\s*([0-7]+)$/m.exec(info);
    if (info !== undefined && !m) return;
    bits.push(m ? (parseInt(m[1]!, 8) & O_NONBLOCK) !== 0 : undefined);
  }
  atStart = bits;
}

/** Per descriptor 0-2: whether O_NONBLOCK was set at start (undefined: not open), or undefined when not recorded. */
export function stdioNonBlockingAtStart(): readonly (boolean | undefined)[] | undefined {
  return atStart;
}
