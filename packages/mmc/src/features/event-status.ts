/**
 * GET EVENT STATUS NOTIFICATION response (MMC-6 6.7.2): a 4-byte event header (EVENT DESCRIPTOR
 * LENGTH counting the bytes after itself, NEA, NOTIFICATION CLASS, SUPPORTED EVENT CLASSES) and,
 * unless NEA is set, one 4-byte event descriptor of the class named in the header
 * (MMC-6 6.7.2.2 to 6.7.2.7).
 */
import { ByteWriter } from "@discforge/bytes";
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";
import { bit, bits, flag, uint, type Codec, type Truncation } from "./codec-util.js";

/** NOTIFICATION CLASS field values (and bit numbers of SUPPORTED EVENT CLASSES / the CDB's class request). */
export const NOTIFICATION_CLASS = {
  none: 0,
  operationalChange: 1,
  powerManagement: 2,
  externalRequest: 3,
  media: 4,
  multiHost: 5,
  deviceBusy: 6,
} as const;
export type NotificationClass = (typeof NOTIFICATION_CLASS)[keyof typeof NOTIFICATION_CLASS];

/** The SUPPORTED EVENT CLASSES / NOTIFICATION CLASS REQUEST bit of a class. */
export const eventClassBit = (notificationClass: number): number => 1 << notificationClass;

export const OPERATIONAL_EVENT = { noChange: 0, changeRequested: 1, changeOccurred: 2 } as const;
export const OPERATIONAL_STATUS = { available: 0, temporaryBusy: 1, extendedBusy: 2 } as const;
/** OPERATIONAL REPORT: what changed. */
export const OPERATIONAL_REPORT = { none: 0, featureChange: 1, featureAdded: 2, unitReset: 3, firmwareChanged: 4, inquiryChanged: 5 } as const;

export const POWER_EVENT = { noChange: 0, powerChangeSucceeded: 1, powerChangeFailed: 2 } as const;
export const POWER_STATUS = { active: 1, idle: 2, standby: 3, sleep: 4 } as const;

export const EXTERNAL_REQUEST_EVENT = { noChange: 0, keyDown: 1, keyUp: 2, externalRequestNotification: 3 } as const;
export const EXTERNAL_REQUEST_STATUS = { ready: 0, otherPrevent: 1 } as const;
/** EXTERNAL REQUEST codes: 0200h-02FFh are ASCII buttons, F000h-FFFFh vendor unique. */
export const EXTERNAL_REQUEST_CODE = {
  none: 0x0000,
  queueOverrun: 0x0001,
  play: 0x0101,
  rewind: 0x0102,
  fastForward: 0x0103,
  pause: 0x0104,
  stop: 0x0106,
  asciiButtonFirst: 0x0200,
  asciiButtonLast: 0x02ff,
  vendorUniqueFirst: 0xf000,
} as const;

export const MEDIA_EVENT = {
  noChange: 0,
  ejectRequest: 1,
  newMedia: 2,
  mediaRemoval: 3,
  mediaChanged: 4,
  backgroundFormatCompleted: 5,
  backgroundFormatRestarted: 6,
} as const;

export const MULTI_HOST_EVENT = { noChange: 0, controlRequest: 1, controlGrant: 2, controlRelease: 3 } as const;
export const MULTI_HOST_STATUS = { ready: 0, otherPrevent: 1 } as const;
export const MULTI_HOST_PRIORITY = { none: 0, low: 1, medium: 2, high: 3 } as const;

export const DEVICE_BUSY_EVENT = { noChange: 0, busy: 1, logicalUnitChange: 2 } as const;
/** Why the drive is busy. */
export const DEVICE_BUSY_STATUS = { noEvent: 0, power: 1, immediate: 2, deferred: 3 } as const;

export interface OperationalChangeEvent {
  readonly class: "operationalChange";
  readonly eventCode: number;
  readonly persistentPrevented: boolean;
  readonly operationalStatus: number;
  readonly operationalReport: number;
}
export interface PowerManagementEvent {
  readonly class: "powerManagement";
  readonly eventCode: number;
  readonly powerStatus: number;
}
export interface ExternalRequestEvent {
  readonly class: "externalRequest";
  readonly eventCode: number;
  readonly persistentPrevented: boolean;
  readonly externalRequestStatus: number;
  readonly externalRequest: number;
}
export interface MediaEvent {
  readonly class: "media";
  readonly eventCode: number;
  readonly mediaPresent: boolean;
  /** Door or tray open. */
  readonly doorOpen: boolean;
  readonly startSlot: number;
  readonly endSlot: number;
}
export interface MultiHostEvent {
  readonly class: "multiHost";
  readonly eventCode: number;
  readonly multiHostStatus: number;
  readonly multiHostPriority: number;
}
export interface DeviceBusyEvent {
  readonly class: "deviceBusy";
  readonly eventCode: number;
  readonly busyStatus: number;
  /** Predicted time until not busy, in units of 100 ms. */
  readonly time: number;
}
/** A descriptor of a reserved notification class, kept as sent. */
export interface RawEvent {
  readonly class: "raw";
  readonly data: Uint8Array;
}

export type EventDescriptor =
  | OperationalChangeEvent
  | PowerManagementEvent
  | ExternalRequestEvent
  | MediaEvent
  | MultiHostEvent
  | DeviceBusyEvent
  | RawEvent;

export interface EventStatusResponse {
  /** No Event Available: no descriptor follows. */
  readonly nea: boolean;
  readonly notificationClass: number;
  /** Bit n set: notification class n is supported. */
  readonly supportedEventClasses: number;
  /** Absent when NEA is set (or the drive sent only the header). */
  readonly event?: EventDescriptor;
  /** Bytes past the 4-byte descriptor, kept as sent; absent when none. */
  readonly extra?: Uint8Array;
  readonly truncated?: Truncation;
}

export type EventStatusResponseInit = Omit<EventStatusResponse, "truncated">;

const STRUCTURE = "GET EVENT STATUS NOTIFICATION response";
const CLASS_BY_NAME: Record<Exclude<EventDescriptor["class"], "raw">, number> = {
  operationalChange: 1,
  powerManagement: 2,
  externalRequest: 3,
  media: 4,
  multiHost: 5,
  deviceBusy: 6,
};

function decodeEvent(notificationClass: number, d: Uint8Array): EventDescriptor {
  const code = bits(d[0]!, 3, 0);
  const u16 = (d[2]! << 8) | d[3]!;
  switch (notificationClass) {
    case 1:
      return {
        class: "operationalChange",
        eventCode: code,
        persistentPrevented: bit(d[1]!, 7),
        operationalStatus: bits(d[1]!, 3, 0),
        operationalReport: u16,
      };
    case 2:
      return { class: "powerManagement", eventCode: code, powerStatus: d[1]! };
    case 3:
      return {
        class: "externalRequest",
        eventCode: code,
        persistentPrevented: bit(d[1]!, 7),
        externalRequestStatus: bits(d[1]!, 3, 0),
        externalRequest: u16,
      };
    case 4:
      return { class: "media", eventCode: code, mediaPresent: bit(d[1]!, 1), doorOpen: bit(d[1]!, 0), startSlot: d[2]!, endSlot: d[3]! };
    case 5:
      return { class: "multiHost", eventCode: code, multiHostStatus: bits(d[1]!, 3, 0), multiHostPriority: u16 };
    case 6:
      return { class: "deviceBusy", eventCode: code, busyStatus: d[1]!, time: u16 };
    default:
      return { class: "raw", data: d.slice() };
  }
}

function decode(bytes: Uint8Array): EventStatusResponse {
  if (bytes.length < 4) throw new MalformedDataError(STRUCTURE, bytes.length, `needs the 4-byte event header, got ${bytes.length}`);
  const declaredLength = 2 + ((bytes[0]! << 8) | bytes[1]!);
  if (declaredLength < 4) throw new MalformedDataError(STRUCTURE, 0, `event descriptor length ${declaredLength - 2} is shorter than the header`);
  const end = Math.min(bytes.length, declaredLength);
  const nea = bit(bytes[2]!, 7);
  const notificationClass = bits(bytes[2]!, 2, 0);
  let value: EventStatusResponse = { nea, notificationClass, supportedEventClasses: bytes[3]! };
  if (!nea && end >= 8) value = { ...value, event: decodeEvent(notificationClass, bytes.subarray(4, 8)) };
  const extraFrom = !nea && end >= 8 ? 8 : 4;
  // A descriptor cut short by the allocation length is not decoded; anything else left is kept.
  if (end > extraFrom && !(end < 8 && !nea && bytes.length < declaredLength)) value = { ...value, extra: bytes.slice(extraFrom, end) };
  return bytes.length < declaredLength ? { ...value, truncated: { declaredLength, availableLength: bytes.length } } : value;
}

function encodeEvent(e: EventDescriptor): Uint8Array {
  const w = new ByteWriter(4);
  switch (e.class) {
    case "operationalChange":
      w.u8(uint("eventCode", e.eventCode, 4)).u8(flag(e.persistentPrevented, 7) | uint("operationalStatus", e.operationalStatus, 4));
      w.u16be(uint("operationalReport", e.operationalReport, 16));
      break;
    case "powerManagement":
      w.u8(uint("eventCode", e.eventCode, 4)).u8(uint("powerStatus", e.powerStatus, 8)).u16be(0);
      break;
    case "externalRequest":
      w.u8(uint("eventCode", e.eventCode, 4)).u8(flag(e.persistentPrevented, 7) | uint("externalRequestStatus", e.externalRequestStatus, 4));
      w.u16be(uint("externalRequest", e.externalRequest, 16));
      break;
    case "media":
      w.u8(uint("eventCode", e.eventCode, 4)).u8(flag(e.mediaPresent, 1) | flag(e.doorOpen, 0));
      w.u8(uint("startSlot", e.startSlot, 8)).u8(uint("endSlot", e.endSlot, 8));
      break;
    case "multiHost":
      w.u8(uint("eventCode", e.eventCode, 4)).u8(uint("multiHostStatus", e.multiHostStatus, 4));
      w.u16be(uint("multiHostPriority", e.multiHostPriority, 16));
      break;
    case "deviceBusy":
      w.u8(uint("eventCode", e.eventCode, 4)).u8(uint("busyStatus", e.busyStatus, 8)).u16be(uint("time", e.time, 16));
      break;
    case "raw":
      if (e.data.length !== 4) throw new InvalidArgumentError("event.data", `must be 4 bytes, got ${e.data.length}`);
      w.raw(e.data);
      break;
  }
  return w.bytes;
}

function encode(v: EventStatusResponseInit): Uint8Array {
  uint("notificationClass", v.notificationClass, 3);
  if (v.event !== undefined) {
    if (v.nea) throw new InvalidArgumentError("event", "no descriptor may follow when NEA is set");
    if (v.event.class !== "raw" && CLASS_BY_NAME[v.event.class] !== v.notificationClass) {
      throw new InvalidArgumentError("notificationClass", `${v.notificationClass} does not match a ${v.event.class} event`);
    }
  }
  const event = v.event ? encodeEvent(v.event) : new Uint8Array(0);
  const extra = v.extra ?? new Uint8Array(0);
  const size = 4 + event.length + extra.length;
  if (size - 2 > 0xffff) throw new InvalidArgumentError("extra", "response too long");
  const w = new ByteWriter(size);
  w.u16be(size - 2).u8(flag(v.nea, 7) | v.notificationClass).u8(uint("supportedEventClasses", v.supportedEventClasses, 8));
  w.raw(event).raw(extra);
  return w.bytes;
}

export const eventStatusCodec: Codec<EventStatusResponse, EventStatusResponseInit> = { structure: STRUCTURE, decode, encode };
