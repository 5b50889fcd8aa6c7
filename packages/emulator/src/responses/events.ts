/**
 * GET EVENT STATUS NOTIFICATION (MMC-6 6.7) and MECHANISM STATUS (6.9) responses, encoded by the
 * mmc package's codecs. The event vocabulary (classes, event codes) is the mmc package's.
 */
import {
  DEVICE_BUSY_EVENT,
  DEVICE_BUSY_STATUS,
  EXTERNAL_REQUEST_EVENT,
  EXTERNAL_REQUEST_STATUS,
  MEDIA_EVENT,
  NOTIFICATION_CLASS,
  OPERATIONAL_EVENT,
  OPERATIONAL_REPORT,
  OPERATIONAL_STATUS,
  POWER_EVENT,
  eventClassBit,
  eventStatusCodec,
  mechanismStatusCodec,
} from "@discforge/mmc";

export { MEDIA_EVENT };

/** Classes the drive reports. */
export const SUPPORTED_EVENT_CLASSES =
  eventClassBit(NOTIFICATION_CLASS.operationalChange) |
  eventClassBit(NOTIFICATION_CLASS.powerManagement) |
  eventClassBit(NOTIFICATION_CLASS.externalRequest) |
  eventClassBit(NOTIFICATION_CLASS.media) |
  eventClassBit(NOTIFICATION_CLASS.deviceBusy);

export interface EventState {
  readonly mediaEvent: number | undefined;
  readonly operationalChange: boolean;
  readonly mediaPresent: boolean;
  readonly trayOpen: boolean;
  readonly busy: boolean;
  /** Predicted time until the drive is free, ms. */
  readonly busyRemainingMs: number;
  readonly persistentPrevented: boolean;
  readonly powerStatus: number;
}

/**
 * The event to report for a polled request (bit n of `request` = class n): a pending event of
 * the lowest requested class first, else the status of the lowest requested class.
 */
export function encodeEventStatus(request: number, s: EventState): { bytes: Uint8Array; consumed: "media" | "operational" | undefined } {
  const wants = (cls: number) => (request & eventClassBit(cls)) !== 0;
  const frame = (notificationClass: number, event: Parameters<typeof eventStatusCodec.encode>[0]["event"]) =>
    eventStatusCodec.encode({ nea: false, notificationClass, supportedEventClasses: SUPPORTED_EVENT_CLASSES, ...(event ? { event } : {}) });
  const operational = (eventCode: number) =>
    frame(NOTIFICATION_CLASS.operationalChange, {
      class: "operationalChange",
      eventCode,
      persistentPrevented: s.persistentPrevented,
      operationalStatus: s.busy ? OPERATIONAL_STATUS.extendedBusy : OPERATIONAL_STATUS.available,
      operationalReport: eventCode === OPERATIONAL_EVENT.changeOccurred ? OPERATIONAL_REPORT.featureChange : OPERATIONAL_REPORT.none,
    });
  const media = (eventCode: number) =>
    frame(NOTIFICATION_CLASS.media, { class: "media", eventCode, mediaPresent: s.mediaPresent, doorOpen: s.trayOpen, startSlot: 0, endSlot: 0 });
  if (wants(NOTIFICATION_CLASS.operationalChange) && s.operationalChange) return { bytes: operational(OPERATIONAL_EVENT.changeOccurred), consumed: "operational" };
  if (wants(NOTIFICATION_CLASS.media) && s.mediaEvent !== undefined) return { bytes: media(s.mediaEvent), consumed: "media" };
  if (wants(NOTIFICATION_CLASS.operationalChange)) return { bytes: operational(OPERATIONAL_EVENT.noChange), consumed: undefined };
  if (wants(NOTIFICATION_CLASS.powerManagement)) {
    return { bytes: frame(NOTIFICATION_CLASS.powerManagement, { class: "powerManagement", eventCode: POWER_EVENT.noChange, powerStatus: s.powerStatus }), consumed: undefined };
  }
  if (wants(NOTIFICATION_CLASS.externalRequest)) {
    return {
      bytes: frame(NOTIFICATION_CLASS.externalRequest, { class: "externalRequest", eventCode: EXTERNAL_REQUEST_EVENT.noChange, persistentPrevented: s.persistentPrevented, externalRequestStatus: EXTERNAL_REQUEST_STATUS.ready, externalRequest: 0 }),
      consumed: undefined,
    };
  }
  if (wants(NOTIFICATION_CLASS.media)) return { bytes: media(MEDIA_EVENT.noChange), consumed: undefined };
  if (wants(NOTIFICATION_CLASS.deviceBusy)) {
    return {
      bytes: frame(NOTIFICATION_CLASS.deviceBusy, {
        class: "deviceBusy",
        eventCode: s.busy ? DEVICE_BUSY_EVENT.busy : DEVICE_BUSY_EVENT.noChange,
        busyStatus: s.busy ? DEVICE_BUSY_STATUS.immediate : DEVICE_BUSY_STATUS.noEvent,
        time: Math.min(0xffff, Math.ceil(s.busyRemainingMs / 100)),
      }),
      consumed: undefined,
    };
  }
  // No supported class requested: header only, No Event Available.
  return { bytes: eventStatusCodec.encode({ nea: true, notificationClass: NOTIFICATION_CLASS.none, supportedEventClasses: SUPPORTED_EVENT_CLASSES }), consumed: undefined };
}

/** Mechanism state 0 idle; 1 playing or other activity (a long operation). */
export function encodeMechanismStatus(trayOpen: boolean, busy: boolean): Uint8Array {
  return mechanismStatusCodec.encode({ fault: false, changerState: 0, currentSlot: 0, mechanismState: busy ? 1 : 0, doorOpen: trayOpen, currentLba: 0, numberOfSlotsAvailable: 0, slots: [] });
}
