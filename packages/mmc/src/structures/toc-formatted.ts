/**
 * READ TOC/PMA/ATIP format 0000b, formatted TOC (MMC-6 6.26.3.2): data length, first and last
 * track number, then 8-byte track descriptors (reserved, ADR/CONTROL, track number, reserved,
 * track start address) ending with the lead-out (track AAh, LEAD_OUT_TRACK in the CDB module). LBA and MSF forms are two codecs.
 */
import { ByteWriter, type Msf } from "@discforge/bytes";
import { fixedEntries, lengthPrefixed, u8At, uint, type Codec, type MaybeTruncated } from "./codec.js";
import { LBA_ADDRESS, MSF_ADDRESS, type TocAddressForm } from "./toc-address.js";

export interface TocTrackDescriptor<A> {
  /** Q sub-channel ADR (upper nibble). */
  readonly adr: number;
  /** Q sub-channel CONTROL (lower nibble): bit 2 data track, bit 0 pre-emphasis / incremental, bit 1 copy permitted. */
  readonly control: number;
  readonly trackNumber: number;
  readonly address: A;
}

export interface FormattedToc<A> extends MaybeTruncated {
  readonly firstTrackNumber: number;
  readonly lastTrackNumber: number;
  readonly descriptors: readonly TocTrackDescriptor<A>[];
}

function codec<A>(form: TocAddressForm<A>): Codec<FormattedToc<A>> {
  const structure = `READ TOC format 0 (formatted TOC, ${form.msf ? "MSF" : "LBA"})`;
  return {
    structure,
    decode(bytes) {
      const { reader: r, truncated } = lengthPrefixed(bytes, structure, 2, 4);
      const descriptors = fixedEntries(r, 4, 8, (at) => {
        const adrControl = u8At(r, at + 1);
        return { adr: adrControl >>> 4, control: adrControl & 0x0f, trackNumber: u8At(r, at + 2), address: form.read(r, at + 4) };
      });
      return {
        firstTrackNumber: u8At(r, 2),
        lastTrackNumber: u8At(r, 3),
        descriptors,
        ...(truncated === undefined ? {} : { truncated }),
      };
    },
    encode(v) {
      const size = 4 + v.descriptors.length * 8;
      uint("TOC data length", size - 2, 16);
      const w = new ByteWriter(size);
      w.u16be(size - 2).u8(uint("firstTrackNumber", v.firstTrackNumber, 8)).u8(uint("lastTrackNumber", v.lastTrackNumber, 8));
      for (const d of v.descriptors) {
        w.skip(1).u8((uint("adr", d.adr, 4) << 4) | uint("control", d.control, 4)).u8(uint("trackNumber", d.trackNumber, 8)).skip(1);
        form.write(w, d.address, "address");
      }
      return w.bytes;
    },
  };
}

export const formattedTocCodec: Codec<FormattedToc<number>> = codec(LBA_ADDRESS);
export const formattedTocMsfCodec: Codec<FormattedToc<Msf>> = codec(MSF_ADDRESS);
