/** Error offsets for decoders that work on a slice of the image (a sector, an entry's payload). */
import { MalformedDataError } from "@discforge/errors";

/**
 * Runs `decode` over a buffer whose byte 0 is at image offset `base`, so that its errors name the
 * image offset of the bad bytes rather than their index in the slice (which points nowhere).
 */
export function atImageOffset<T>(base: number, decode: () => T): T {
  try {
    return decode();
  } catch (e) {
    if (e instanceof MalformedDataError) throw new MalformedDataError(e.structure, base + e.offset, e.detail);
    throw e;
  }
}
