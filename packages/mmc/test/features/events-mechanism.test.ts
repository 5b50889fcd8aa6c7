import { fromHex, toHex } from "@discforge/bytes";
import { InvalidArgumentError, MalformedDataError } from "@discforge/errors";
import { describe, expect, it } from "vitest";
import {
  DEVICE_BUSY_EVENT,
  DEVICE_BUSY_STATUS,
  MEDIA_EVENT,
  OPERATIONAL_EVENT,
  OPERATIONAL_REPORT,
  NOTIFICATION_CLASS,
  eventClassBit,
  eventStatusCodec,
  mechanismStatusCodec,
  type EventStatusResponse,
} from "../../src/features/index.js";

interface Vector {
  readonly title: string;
  readonly hex: string;
  readonly value: EventStatusResponse;
}

const SUPPORTED = `5e   # supported: operational, power, external, media, device busy`;

const EVENT_VECTORS: readonly Vector[] = [
  {
    title: "media class: new media, medium present",
    hex: `00 06   # event descriptor length 6
          04      # NEA 0, class 4 (media)
          ${SUPPORTED}
          02      # event code: new media
          02      # media present, tray closed
          00 00   # start slot, end slot`,
    value: { nea: false, notificationClass: 4, supportedEventClasses: 0x5e, event: { class: "media", eventCode: MEDIA_EVENT.newMedia, mediaPresent: true, doorOpen: false, startSlot: 0, endSlot: 0 } },
  },
  {
    title: "media class: eject request with the tray open",
    hex: `00 06 04 ${SUPPORTED}
          01      # eject request
          01      # door/tray open, no medium
          00 00`,
    value: { nea: false, notificationClass: 4, supportedEventClasses: 0x5e, event: { class: "media", eventCode: 1, mediaPresent: false, doorOpen: true, startSlot: 0, endSlot: 0 } },
  },
  {
    title: "operational change",
    hex: `00 06 01 ${SUPPORTED}
          02      # event: change occurred
          81      # persistent prevented, status 1 (temporary busy)
          00 02   # report: feature added`,
    value: { nea: false, notificationClass: 1, supportedEventClasses: 0x5e, event: { class: "operationalChange", eventCode: OPERATIONAL_EVENT.changeOccurred, persistentPrevented: true, operationalStatus: 1, operationalReport: OPERATIONAL_REPORT.featureAdded } },
  },
  {
    title: "power management",
    hex: `00 06 02 ${SUPPORTED}
          01      # power change succeeded
          03      # standby
          00 00`,
    value: { nea: false, notificationClass: 2, supportedEventClasses: 0x5e, event: { class: "powerManagement", eventCode: 1, powerStatus: 3 } },
  },
  {
    title: "external request",
    hex: `00 06 03 ${SUPPORTED}
          03      # external request notification
          81      # persistent prevented, status 1 (other prevent)
          01 01   # request: play`,
    value: { nea: false, notificationClass: 3, supportedEventClasses: 0x5e, event: { class: "externalRequest", eventCode: 3, persistentPrevented: true, externalRequestStatus: 1, externalRequest: 0x0101 } },
  },
  {
    title: "multi-host",
    hex: `00 06 05 7e
          01      # control request
          01      # other prevent
          00 03   # high priority`,
    value: { nea: false, notificationClass: 5, supportedEventClasses: 0x7e, event: { class: "multiHost", eventCode: 1, multiHostStatus: 1, multiHostPriority: 3 } },
  },
  {
    title: "device busy",
    hex: `00 06 06 ${SUPPORTED}
          01      # busy event
          02      # status: busy with an immediate command
          00 32   # 50 x 100 ms`,
    value: { nea: false, notificationClass: 6, supportedEventClasses: 0x5e, event: { class: "deviceBusy", eventCode: DEVICE_BUSY_EVENT.busy, busyStatus: DEVICE_BUSY_STATUS.immediate, time: 50 } },
  },
  {
    title: "no event available",
    hex: `00 02   # header only
          80      # NEA, class 0
          ${SUPPORTED}`,
    value: { nea: true, notificationClass: 0, supportedEventClasses: 0x5e },
  },
];

describe("GET EVENT STATUS NOTIFICATION", () => {
  for (const v of EVENT_VECTORS) {
    it(`decodes and encodes ${v.title}`, () => {
      const bytes = fromHex(v.hex);
      expect(eventStatusCodec.decode(bytes)).toEqual(v.value);
      expect(toHex(eventStatusCodec.encode(v.value))).toBe(toHex(bytes));
    });
  }

  it("names the class bits", () => {
    expect(eventClassBit(NOTIFICATION_CLASS.media)).toBe(0x10);
    expect(eventClassBit(NOTIFICATION_CLASS.deviceBusy)).toBe(0x40);
  });

  it("keeps a reserved class descriptor raw", () => {
    const v = eventStatusCodec.decode(fromHex("0006 07 00 01020304"));
    expect(v.event).toEqual({ class: "raw", data: fromHex("01020304") });
  });

  it("marks a response cut before its descriptor", () => {
    expect(eventStatusCodec.decode(fromHex("0006 04 5e 02"))).toEqual({
      nea: false, notificationClass: 4, supportedEventClasses: 0x5e, truncated: { declaredLength: 8, availableLength: 5 },
    });
  });

  it("rejects a short header or a length below the header", () => {
    expect(() => eventStatusCodec.decode(fromHex("0006 04"))).toThrow(MalformedDataError);
    expect(() => eventStatusCodec.decode(fromHex("0001 04 5e"))).toThrow(/shorter than the header/);
  });

  it("refuses an event that contradicts the header", () => {
    const media = EVENT_VECTORS[0]!.value;
    expect(() => eventStatusCodec.encode({ ...media, notificationClass: 2 })).toThrow(InvalidArgumentError);
    expect(() => eventStatusCodec.encode({ ...media, nea: true })).toThrow(InvalidArgumentError);
  });
});

describe("MECHANISM STATUS", () => {
  const CHANGER = `
    a5        # fault, changer state 1 (loading), current slot low bits 5
    31        # mechanism state 1 (playing), door open, current slot high bits 001b
    01 02 03  # current LBA 66051
    03        # 3 slots available
    00 0c     # slot table length 12
    81 00 00 00   # slot 0: disc present, changed
    00 03 00 00   # slot 1: CWP valid, CWP
    80 00 00 00   # slot 2: disc present
  `;

  it("decodes the header and the slot table", () => {
    const bytes = fromHex(CHANGER);
    const v = mechanismStatusCodec.decode(bytes);
    expect(v).toEqual({
      fault: true,
      changerState: 1,
      currentSlot: (1 << 5) | 5,
      mechanismState: 1,
      doorOpen: true,
      currentLba: 0x010203,
      numberOfSlotsAvailable: 3,
      slots: [
        { discPresent: true, change: true, cwpValid: false, cwp: false },
        { discPresent: false, change: false, cwpValid: true, cwp: true },
        { discPresent: true, change: false, cwpValid: false, cwp: false },
      ],
    });
    expect(toHex(mechanismStatusCodec.encode(v))).toBe(toHex(bytes));
  });

  it("decodes a single drive: idle, tray closed, no slot table", () => {
    const bytes = fromHex("00 00  00 00 00  00  00 00");
    expect(mechanismStatusCodec.decode(bytes)).toEqual({
      fault: false, changerState: 0, currentSlot: 0, mechanismState: 0, doorOpen: false, currentLba: 0, numberOfSlotsAvailable: 0, slots: [],
    });
  });

  it("keeps complete slot entries of a cut response", () => {
    const v = mechanismStatusCodec.decode(fromHex(CHANGER).subarray(0, 14));
    expect(v.slots).toHaveLength(1);
    expect(v.truncated).toEqual({ declaredLength: 20, availableLength: 14 });
  });

  it("rejects a short header and a slot table length that is not a multiple of 4", () => {
    expect(() => mechanismStatusCodec.decode(fromHex("00 00 00 00 00 00 00"))).toThrow(MalformedDataError);
    expect(() => mechanismStatusCodec.decode(fromHex("00 00 00 00 00 01 00 05 80 00 00 00 00"))).toThrow(/multiple of 4/);
  });
});
