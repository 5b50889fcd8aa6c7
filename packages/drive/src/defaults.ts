import { DiscMaster } from "./discmaster.js";
import { emulatorProvider, type EmulatorProviderOptions } from "./providers/emulator.js";
import { linuxProvider } from "./providers/linux.js";
import { win32Provider } from "./providers/win32.js";

/** A DiscMaster over every provider this build has: the OS pass-throughs and the emulator. */
export function defaultDiscMaster(emulator: EmulatorProviderOptions = {}): DiscMaster {
  return new DiscMaster([linuxProvider, win32Provider, emulatorProvider(emulator)]);
}
