/**
 * READ DISC STRUCTURE (MMC-6 6.22): DVD
 * format 00h physical format information, 01h copyright, FFh structure list; BD format 00h disc
 * information, FFh list.
 */
import { writeU16BE, writeU32BE } from "@discforge/bytes";
import type { DiscModel } from "../disc.js";

/** Book types (DVD physical format byte 4 bits 7-4). */
const BOOK_TYPE: Record<string, number> = { "dvd-rom": 0x0, "dvd-ram": 0x1, "dvd-r": 0x2, "dvd-rw": 0x3, "dvd+rw": 0x9, "dvd+r": 0xa, "dvd+r-dl": 0xe };
/** Layer type bits: 1 embossed, 2 recordable, 4 rewritable. */
const LAYER_TYPE: Record<string, number> = { "dvd-rom": 1, "dvd-ram": 4, "dvd-r": 2, "dvd-rw": 4, "dvd+rw": 4, "dvd+r": 2, "dvd+r-dl": 2 };
const DATA_START_PSN = 0x030000;

export function encodeDvdStructure(disc: DiscModel, format: number, layer: number): Uint8Array | undefined {
  if (format === 0x00) {
    if (layer >= disc.spec.layers) return undefined;
    const b = new Uint8Array(4 + 2048);
    writeU16BE(b, 0, 2048 + 2);
    const d = 4;
    b[d] = (BOOK_TYPE[disc.state.media] ?? 0) << 4 | (disc.state.media === "dvd+r-dl" ? 0x01 : 0x02); // part version
    b[d + 1] = 0x0f; // 120 mm, maximum rate: not specified
    b[d + 2] = ((disc.spec.layers - 1) << 5) | (disc.spec.layers > 1 ? 0x10 : 0) | (LAYER_TYPE[disc.state.media] ?? 1); // layers, OTP, layer type
    b[d + 3] = 0x10; // 0.267 µm/bit, 0.74 µm/track
    writeU32BE(b, d + 4, DATA_START_PSN);
    const sectors = disc.rom ? disc.state.capacity : disc.spec.capacity;
    if (disc.spec.layers > 1) {
      const perLayer = Math.ceil(sectors / 2);
      writeU32BE(b, d + 8, (~(DATA_START_PSN + perLayer - 1) & 0xffffff) >>> 0); // end PSN (opposite track path)
      writeU32BE(b, d + 12, DATA_START_PSN + perLayer - 1);
    } else {
      writeU32BE(b, d + 8, DATA_START_PSN + sectors - 1);
    }
    return b;
  }
  if (format === 0x01) {
    const b = new Uint8Array(8);
    writeU16BE(b, 0, 6);
    return b; // no copy protection, region-free
  }
  if (format === 0xff) return structureList([0x00, 0x01, 0xff]);
  return undefined;
}

export function encodeBdStructure(disc: DiscModel, format: number): Uint8Array | undefined {
  if (format === 0x00) {
    // Disc information: one 64-byte DI unit ("DI", format 1) with the disc type identifier.
    const b = new Uint8Array(4 + 112);
    writeU16BE(b, 0, 114);
    const d = 4;
    b[d] = 0x44; // 'D'
    b[d + 1] = 0x49; // 'I'
    b[d + 2] = 0x01; // DI format
    b[d + 3] = 0x01; // number of DI units in block, layers
    b[d + 8] = 0x42; // 'B'
    b[d + 9] = 0x44; // 'D'
    b[d + 10] = disc.state.media === "bd-re" ? 0x57 : disc.state.media === "bd-r" ? 0x52 : 0x4f; // 'W' / 'R' / 'O'
    b[d + 11] = 0x01; // disc size 120 mm, class 0, version 1
    b[d + 12] = 0x11; // one layer, 25 GB
    return b;
  }
  if (format === 0xff) return structureList([0x00, 0xff]);
  return undefined;
}

function structureList(formats: readonly number[]): Uint8Array {
  const b = new Uint8Array(4 + 4 * formats.length);
  writeU16BE(b, 0, b.length - 2);
  formats.forEach((f, i) => {
    b[4 + i * 4] = f;
    b[4 + i * 4 + 1] = 0x40; // RDS: readable with READ DISC STRUCTURE
    writeU16BE(b, 4 + i * 4 + 2, f === 0x00 ? 2052 : 0);
  });
  return b;
}
