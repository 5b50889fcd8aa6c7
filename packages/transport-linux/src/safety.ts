/**
 * Which commands a device may be sent. A device node can be anything (`/dev/sg0` is often the
 * system disk), so the transport learns the peripheral device type from INQUIRY before the first
 * command of the caller and then:
 * - type 05h (MMC): every command goes through;
 * - any other or unknown type: only commands the opcode table (@discforge/mmc, `writeClass`)
 *   knows as not write-class, and never with data-out; unknown opcodes count as write-class. A
 *   disk therefore can never be written, formatted or sent a pass-through (ATA PASS-THROUGH(12)
 *   A1h shares its opcode with MMC BLANK).
 */
import { isWriteClassOpcode, opcodeName } from "@discforge/mmc";
import type { ScsiCommand } from "@discforge/transport";

export const MMC_PERIPHERAL_TYPE = 0x05;

export type CommandVerdict = { readonly allowed: true } | { readonly allowed: false; readonly detail: string };

/** `peripheralType` is undefined while INQUIRY has not answered. */
export function commandVerdict(peripheralType: number | undefined, command: Pick<ScsiCommand, "cdb" | "direction">): CommandVerdict {
  if (peripheralType === MMC_PERIPHERAL_TYPE) return { allowed: true };
  const opcode = command.cdb[0] ?? 0;
  const what = peripheralType === undefined ? "a device whose INQUIRY did not answer" : `a device of peripheral type ${hex(peripheralType)} (not MMC 05h)`;
  const name = `${opcodeName(opcode)} (${hex(opcode)})`;
  if (command.direction === "out") return { allowed: false, detail: `refused to send data-out command ${name} to ${what}` };
  if (isWriteClassOpcode(opcode)) return { allowed: false, detail: `refused to send write-class command ${name} to ${what}` };
  return { allowed: true };
}

function hex(n: number): string {
  return `${n.toString(16).padStart(2, "0").toUpperCase()}h`;
}
