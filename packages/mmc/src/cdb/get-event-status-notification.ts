/**
 * GET EVENT STATUS NOTIFICATION (4Ah), MMC-5 6.7 / MMC-6.
 * Byte 1 bit 0 POLLED, byte 4 NOTIFICATION CLASS REQUEST (bit 1 operational change, 2 power
 * management, 3 external request, 4 media, 5 multi-host, 6 device busy; bits 0 and 7 reserved),
 * bytes 7-8 ALLOCATION LENGTH.
 */
import { checkBool, checkUint, CdbReader, CdbWriter, invalid, makeRequest } from "./fields.js";
import { NOTIFICATION_CLASS } from "../features/event-status.js";
import type { ScsiRequest } from "./request.js";

const NAME = "GET EVENT STATUS NOTIFICATION";
export const GET_EVENT_STATUS_NOTIFICATION_OPCODE = 0x4a;

/**
 * Bit number of each class in the NOTIFICATION CLASS REQUEST byte: the NOTIFICATION_CLASS codes
 * of the reply, without "none" (a code, not a requestable class).
 */
export const NOTIFICATION_CLASS_BITS: Readonly<Omit<typeof NOTIFICATION_CLASS, "none">> = (() => {
  const { none, ...classes } = NOTIFICATION_CLASS;
  void none;
  return classes;
})();
export type NotificationClassName = keyof typeof NOTIFICATION_CLASS_BITS;
const CLASS_NAMES = Object.keys(NOTIFICATION_CLASS_BITS) as NotificationClassName[];

export type NotificationClassRequest = { readonly [K in NotificationClassName]: boolean };

export interface GetEventStatusNotificationCdb {
  /** Polled operation; asynchronous (0) is not defined for ATAPI/USB drives and MMC drives reject it. */
  readonly polled: boolean;
  readonly classes: NotificationClassRequest;
  readonly allocationLength: number;
}
export interface GetEventStatusNotificationParams {
  /** Defaults to true. */
  readonly polled?: boolean;
  /** Classes asked for; missing ones are false. */
  readonly classes?: Partial<NotificationClassRequest>;
  /** Defaults to 8: header (4) plus one event descriptor (4). */
  readonly allocationLength?: number;
}

export function buildGetEventStatusNotification(params: GetEventStatusNotificationParams = {}): ScsiRequest {
  const polled = params.polled === undefined ? true : checkBool(NAME, "polled", params.polled);
  const allocationLength = checkUint(NAME, "allocationLength", params.allocationLength ?? 8, 16);
  const w = new CdbWriter(GET_EVENT_STATUS_NOTIFICATION_OPCODE, 10).flag(1, 0, polled).u16(7, allocationLength);
  const classes = params.classes ?? {};
  for (const name of Object.keys(classes)) {
    if (!CLASS_NAMES.includes(name as NotificationClassName)) invalid(NAME, "classes", `unknown notification class ${name}`);
  }
  for (const name of CLASS_NAMES) w.flag(4, NOTIFICATION_CLASS_BITS[name], checkBool(NAME, `classes.${name}`, classes[name]));
  return makeRequest("getEventStatusNotification", w.bytes, { dataInLength: allocationLength });
}

export function parseGetEventStatusNotificationCdb(cdb: Uint8Array): GetEventStatusNotificationCdb {
  const r = new CdbReader(cdb, NAME, 10);
  r.reserved(1, 0xfe);
  r.reservedBytes(2, 3);
  r.reserved(4, 0x81);
  r.reservedBytes(5, 6);
  const classes = Object.fromEntries(CLASS_NAMES.map((n) => [n, r.flag(4, NOTIFICATION_CLASS_BITS[n])])) as Record<NotificationClassName, boolean>;
  return { polled: r.flag(1, 0), classes, allocationLength: r.u16(7) };
}
