/**
 * CRC-16/CCITT as ECMA-167 1/7.2.6 defines it for descriptor tags (polynomial x^16+x^12+x^5+1,
 * initial value 0, no reflection, no final XOR).
 */
const TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[i] = c;
  }
  return t;
})();

export function crc16Ccitt(bytes: Uint8Array, initial = 0): number {
  let crc = initial;
  for (let i = 0; i < bytes.length; i++) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >>> 8) ^ bytes[i]!) & 0xff]!;
  return crc;
}
