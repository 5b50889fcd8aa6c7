/**
 * Which commands a device may be sent. A device node can be anything (`/dev/sg0` is often the
 * system disk), so the transport learns the peripheral device type from INQUIRY before the first
 * command of the caller and then:
 * - type 05h (MMC): every command goes through;
 * - any other or unknown type: only commands known to be read-class and carrying no data-out;
 *   unknown opcodes count as write-class. A disk therefore can never be written, formatted or
 *   sent a pass-through (ATA PASS-THROUGH A1h shares its opcode with MMC BLANK).
 */
import type { ScsiCommand } from "@discforge/transport";

export const MMC_PERIPHERAL_TYPE = 0x05;

/**
 * Read-class opcodes allowed on a device that is not (or not yet known to be) MMC.
 * Source: SPC-4 Annex D.3.1 and SBC-3 (commands that transfer no data to the device and change
 * no medium or persistent state).
 */
export const READ_CLASS_OPCODES: ReadonlyMap<number, string> = new Map([
  [0x00, "TEST UNIT READY"],
  [0x03, "REQUEST SENSE"],
  [0x12, "INQUIRY"],
  [0x1a, "MODE SENSE(6)"],
  [0x25, "READ CAPACITY(10)"],
  [0x28, "READ(10)"],
  [0x5a, "MODE SENSE(10)"],
  [0xa0, "REPORT LUNS"],
  [0xa8, "READ(12)"],
]);

export type CommandVerdict = { readonly allowed: true } | { readonly allowed: false; readonly detail: string };

/** `peripheralType` is undefined while INQUIRY has not answered. */
export function commandVerdict(peripheralType: number | undefined, command: Pick<ScsiCommand, "cdb" | "direction">): CommandVerdict {
  if (peripheralType === MMC_PERIPHERAL_TYPE) return { allowed: true };
  const opcode = command.cdb[0] ?? 0;
  const what = peripheralType === undefined ? "a device whose INQUIRY did not answer" : `a device of peripheral type ${hex(peripheralType)} (not MMC 05h)`;
  if (command.direction === "out") return { allowed: false, detail: `refused to send data-out command ${hex(opcode)} to ${what}` };
  if (!READ_CLASS_OPCODES.has(opcode)) return { allowed: false, detail: `refused to send command ${hex(opcode)} to ${what}: only read-class commands may go to a non-optical device` };
  return { allowed: true };
}

function hex(n: number): string {
  return `${n.toString(16).padStart(2, "0").toUpperCase()}h`;
}
