/**
 * GET EVENT STATUS NOTIFICATION (MMC-6 6.7) and MECHANISM STATUS (6.9) responses.
 */
import { writeU16BE } from "@discforge/bytes";

export const EVENT_CLASS = { operational: 1, power: 2, externalRequest: 3, media: 4, multiHost: 5, deviceBusy: 6 } as const;
/** Classes the drive reports (bit n = class n). */
export const SUPPORTED_EVENT_CLASSES = (1 << 1) | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 6);

export const MEDIA_EVENT = { noChange: 0, ejectRequest: 1, newMedia: 2, mediaRemoval: 3, mediaChanged: 4 } as const;
export const OPERATIONAL_EVENT = { noChange: 0, changeRequest: 1, changeOccurred: 2 } as const;

export function encodeEventHeader(classCode: number | undefined, descriptor: Uint8Array | undefined): Uint8Array {
  const b = new Uint8Array(4 + (descriptor?.length ?? 0));
  writeU16BE(b, 0, b.length - 2);
  b[2] = classCode === undefined ? 0x80 : classCode; // NEA when no class could be reported
  b[3] = SUPPORTED_EVENT_CLASSES;
  if (descriptor) b.set(descriptor, 4);
  return b;
}

export function mediaEventDescriptor(event: number, present: boolean, trayOpen: boolean): Uint8Array {
  return Uint8Array.of(event, (present ? 0x02 : 0) | (trayOpen ? 0x01 : 0), 0, 0);
}

export function operationalEventDescriptor(event: number, busy: boolean, persistentPrevent: boolean, report: number): Uint8Array {
  const b = Uint8Array.of(event, (persistentPrevent ? 0x80 : 0) | (busy ? 0x02 : 0x00), 0, 0);
  writeU16BE(b, 2, report);
  return b;
}

export function powerEventDescriptor(status: number): Uint8Array {
  return Uint8Array.of(0, status, 0, 0); // power status 1 active, 2 idle, 3 standby
}

export function busyEventDescriptor(busy: boolean, timeoutTenths: number): Uint8Array {
  const b = Uint8Array.of(busy ? 0x01 : 0, busy ? 0x01 : 0, 0, 0);
  writeU16BE(b, 2, Math.min(0xffff, timeoutTenths));
  return b;
}

export function encodeMechanismStatus(trayOpen: boolean, busy: boolean): Uint8Array {
  const b = new Uint8Array(8);
  b[1] = (busy ? 0x20 : 0) | (trayOpen ? 0x10 : 0); // mechanism state 1 (playing/busy), door open
  return b;
}
