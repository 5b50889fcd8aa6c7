/**
 * GUIDs as UEFI 2.10 appendix A stores them: the first three fields little-endian, the last
 * eight bytes in order ("mixed-endian"), so C12A7328-F81F-11D2-BA4B-00A0C93EC93B is stored
 * as 28 73 2a c1 1f f8 d2 11 ba 4b 00 a0 c9 3e c9 3b.
 */
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";

const GUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Well-known GPT partition type GUIDs (UEFI 2.10 table 5-7; Microsoft basic data). */
export const GPT_PARTITION_TYPES = {
  unused: "00000000-0000-0000-0000-000000000000",
  efiSystem: "C12A7328-F81F-11D2-BA4B-00A0C93EC93B",
  basicData: "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7",
  linuxFilesystem: "0FC63DAF-8483-4772-8E79-3D69D8477DE4",
  biosBoot: "21686148-6449-6E6F-744E-656564454649",
} as const;

/** Encodes "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" into its 16 stored bytes. */
export function encodeGuid(text: string): Uint8Array {
  if (!GUID_TEXT.test(text)) throw new InvalidArgumentError("guid", `"${text}" is not a GUID`);
  const hex = text.replace(/-/g, "");
  const raw = new Uint8Array(16);
  for (let i = 0; i < 16; i++) raw[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  const out = raw.slice();
  out.set([raw[3]!, raw[2]!, raw[1]!, raw[0]!, raw[5]!, raw[4]!, raw[7]!, raw[6]!], 0);
  return out;
}

/** Decodes 16 stored bytes at `offset` into upper-case GUID text. */
export function decodeGuid(bytes: Uint8Array, offset = 0): string {
  if (offset < 0 || offset + 16 > bytes.length) throw new MalformedDataError("GUID", offset, "needs 16 bytes");
  const b = bytes.subarray(offset, offset + 16);
  const order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
  const hex = order.map((i) => b[i]!.toString(16).padStart(2, "0")).join("").toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A version-4-shaped GUID derived from `seed` bytes (a hash), so reproducible images get stable
 * disk and partition GUIDs without host randomness.
 */
export function guidFromSeed(seed: Uint8Array): string {
  if (seed.length < 16) throw new InvalidArgumentError("seed", "needs at least 16 bytes");
  const b = seed.slice(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("").toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
