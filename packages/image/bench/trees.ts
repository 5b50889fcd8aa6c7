/**
 * The benchmark trees shared by the ISO and UDF benchmarks: 20,000 small files (about 80 MB, in
 * directories of 100) and 4 files of 256 MiB, with deterministic pseudo-random contents.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function pattern(seed: number, size: number): Buffer {
  const b = Buffer.allocUnsafe(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b.writeUInt32LE(x >>> 0, i);
  }
  return b;
}

export function genSmall(dir: string): void {
  const pool = pattern(1, 16 << 20);
  for (let i = 0; i < 20_000; i++) {
    const d = join(dir, `dir${String(Math.floor(i / 100)).padStart(3, "0")}`);
    if (i % 100 === 0) mkdirSync(d, { recursive: true });
    const size = 1 + ((i * 7919) % 8000); // about 4 KB on average: 80 MB in all
    const off = (i * 4099) % (pool.length - size);
    writeFileSync(join(d, `file-${i}.dat`), pool.subarray(off, off + size));
  }
}

export function genLarge(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const block = pattern(2, 16 << 20);
  for (let f = 0; f < 4; f++) {
    const parts: Buffer[] = [];
    for (let i = 0; i < 16; i++) parts.push(block);
    block[0] = f;
    writeFileSync(join(dir, `big-${f}.bin`), Buffer.concat(parts));
  }
}
