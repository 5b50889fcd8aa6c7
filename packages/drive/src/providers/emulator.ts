/** Emulated drives, named `emu:<virtual-disc-file>`; never enumerated, only opened by name. */
import { isEmulatorAddress, openVirtualDisc, parseEmulatorAddress, parseMediaOption, type FaultPlan, type Personality } from "@discforge/emulator";
import type { DriveProvider } from "./types.js";

export interface EmulatorProviderOptions {
  /** Personality id or object for new drives (default: the smallest shipped drive for the medium). */
  readonly personality?: Personality | string;
  /** A fault plan, or the path of a JSON file with one. */
  readonly faults?: FaultPlan | string;
  /** Model real media timings (default true). */
  readonly throttle?: boolean;
}

export function emulatorProvider(options: EmulatorProviderOptions = {}): DriveProvider {
  return {
    name: "emulator",
    available: () => true,
    enumerate: async () => ({ drives: [], notes: [] }),
    claims: isEmulatorAddress,
    async open(name, open) {
      const { path } = parseEmulatorAddress(name);
      const transport = openVirtualDisc(path, {
        ...(open.media !== undefined ? { media: parseMediaOption(open.media) } : {}),
        ...(options.personality !== undefined ? { personality: options.personality } : {}),
        ...(options.faults !== undefined ? { faults: options.faults } : {}),
        ...(options.throttle !== undefined ? { throttle: options.throttle } : {}),
      });
      return {
        transport,
        descriptor: {
          id: name,
          path: name,
          provider: "emulator",
          vendor: transport.personality.identity.vendor,
          product: transport.personality.identity.product,
          revision: transport.personality.identity.revision,
          volumePaths: [],
          aliases: [],
        },
      };
    },
  };
}
