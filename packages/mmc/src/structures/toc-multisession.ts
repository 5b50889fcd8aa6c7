/**
 * READ TOC/PMA/ATIP format 0001b, multi-session information (MMC-6 6.26.3.3): first and last
 * complete session numbers, then one descriptor with the first track number in the last complete
 * session and its start address (LBA or MSF form).
 */
import { ByteWriter, type Msf } from "@discforge/bytes";
import { lengthPrefixed, u8At, uint, type Codec, type MaybeTruncated } from "./codec.js";
import { LBA_ADDRESS, MSF_ADDRESS, type TocAddressForm } from "./toc-address.js";

export interface MultiSessionInfo<A> extends MaybeTruncated {
  readonly firstCompleteSession: number;
  readonly lastCompleteSession: number;
  readonly adr: number;
  readonly control: number;
  readonly firstTrackInLastSession: number;
  readonly startAddress: A;
}

function codec<A>(form: TocAddressForm<A>): Codec<MultiSessionInfo<A>> {
  const structure = `READ TOC format 1 (multi-session information, ${form.msf ? "MSF" : "LBA"})`;
  return {
    structure,
    decode(bytes) {
      const { reader: r, truncated } = lengthPrefixed(bytes, structure, 2, 12);
      const adrControl = u8At(r, 5);
      return {
        firstCompleteSession: u8At(r, 2),
        lastCompleteSession: u8At(r, 3),
        adr: adrControl >>> 4,
        control: adrControl & 0x0f,
        firstTrackInLastSession: u8At(r, 6),
        startAddress: form.read(r, 8),
        ...(truncated === undefined ? {} : { truncated }),
      };
    },
    encode(v) {
      const w = new ByteWriter(12);
      w.u16be(10).u8(uint("firstCompleteSession", v.firstCompleteSession, 8)).u8(uint("lastCompleteSession", v.lastCompleteSession, 8));
      w.skip(1).u8((uint("adr", v.adr, 4) << 4) | uint("control", v.control, 4));
      w.u8(uint("firstTrackInLastSession", v.firstTrackInLastSession, 8)).skip(1);
      form.write(w, v.startAddress, "startAddress");
      return w.bytes;
    },
  };
}

export const multiSessionInfoCodec: Codec<MultiSessionInfo<number>> = codec(LBA_ADDRESS);
export const multiSessionInfoMsfCodec: Codec<MultiSessionInfo<Msf>> = codec(MSF_ADDRESS);
