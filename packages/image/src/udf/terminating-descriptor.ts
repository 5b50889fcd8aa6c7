/** Terminating Descriptor, ECMA-167 3/10.9 (and 4/14.2): ends a volume descriptor sequence or the integrity sequence. */
import { TAG_IDENTIFIERS, TAG_SIZE, sealDescriptor } from "./tag.js";

export const TerminatingDescriptorCodec = {
  size: 512,
  encode(tag: { descriptorVersion: number; tagLocation: number }): Uint8Array {
    const out = new Uint8Array(512);
    sealDescriptor(out, 0, { ...tag, tagIdentifier: TAG_IDENTIFIERS.terminatingDescriptor }, 512 - TAG_SIZE);
    return out;
  },
} as const;
