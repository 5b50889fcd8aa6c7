/**
 * Every response the emulator produces decodes cleanly with the mmc package's decoders, for every
 * shipped personality and every medium it reads, and the decoded values match the drive's state.
 */
import { describe, expect, it } from "vitest";
import {
  buildGetConfiguration,
  buildModeSense10,
  buildGetEventStatusNotification,
  buildMechanismStatus,
  buildReadFormatCapacities,
  buildReadDiscStructure,
  configurationCodec,
  modeParameterList10Codec,
  modePageBytes,
  capabilitiesPageCodec,
  errorRecoveryPageCodec,
  powerConditionPageCodec,
  timeoutProtectPageCodec,
  writeParametersPageCodec,
  eventStatusCodec,
  mechanismStatusCodec,
  formatCapacitiesCodec,
  dvdPhysicalFormatCodec,
  bdDiscInformationCodec,
  standardInquiryCodec,
  buildInquiry,
  deviceIdentificationCodec,
  unitSerialNumberCodec,
  supportedVpdPagesCodec,
} from "@discforge/mmc";
import { MEDIA, PERSONALITIES, type BlankMediaId, type Personality } from "../src/index.js";
import { ok, rig } from "./harness.js";

const BLANK: BlankMediaId[] = ["cd-r", "cd-rw", "dvd-r", "dvd-rw", "dvd+r", "dvd+r-dl", "dvd+rw", "dvd-ram", "bd-r", "bd-re"];

describe("responses decode with the mmc codecs", () => {
  for (const p of Object.values(PERSONALITIES) as Personality[]) {
    for (const media of BLANK.filter((m) => p.reads.includes(m))) {
      it(`${p.id} with ${media}`, async () => {
        const { drive } = await rig(media, { personality: p });
        const config = configurationCodec.decode(await ok(drive, buildGetConfiguration({ allocationLength: 65530 })));
        expect(config.currentProfile).toBe(MEDIA[media].profile);
        const problems = config.features.filter((f) => f.kind === "raw").map((f) => `${f.code.toString(16)}: ${"problem" in f ? f.problem : "unknown"}`);
        expect(problems).toEqual([]);
        const current = new Set(config.features.filter((f) => f.current).map((f) => f.kind));
        const writable = p.writes.includes(media);
        expect(current.has("dvdPlusR")).toBe(media === "dvd+r" && writable);
        expect(current.has("cdTrackAtOnce")).toBe(MEDIA[media].family === "cd" && writable);
        expect(current.has("bdRead")).toBe(MEDIA[media].family === "bd");
        const profiles = config.features.find((f) => f.kind === "profileList");
        expect(profiles && "profiles" in profiles ? profiles.profiles.filter((x) => x.current).map((x) => x.profile) : []).toEqual([MEDIA[media].profile]);

        const all = modeParameterList10Codec.decode(await ok(drive, buildModeSense10({ pageCode: 0x3f, allocationLength: 4096 })));
        expect(all.pages.map((x) => x.pageCode)).toEqual([0x01, 0x05, 0x1a, 0x1d, 0x2a]);
        const page = (code: number) => modePageBytes(all.pages.find((x) => x.pageCode === code)!);
        errorRecoveryPageCodec.decode(page(0x01));
        writeParametersPageCodec.decode(page(0x05));
        powerConditionPageCodec.decode(page(0x1a));
        expect(timeoutProtectPageCodec.decode(page(0x1d))).toMatchObject({ group1MinimumTimeout: 60, group2MinimumTimeout: 600 });
        const caps = capabilitiesPageCodec.decode(page(0x2a));
        expect(caps.bufferSize).toBe(p.bufferBytes / 1024);
        expect((caps.writeSpeedDescriptors ?? []).length > 0).toBe(writable);
        expect(caps.currentWriteSpeed).toBe(writable ? caps.writeSpeedDescriptors![0]!.writeSpeed : 0);

        const inquiry = standardInquiryCodec.decode(await ok(drive, buildInquiry({ allocationLength: 96 })));
        expect(inquiry).toMatchObject({ peripheralDeviceType: 5, removable: true, vendor: p.identity.vendor, product: p.identity.product, versionDescriptors: [0x0300, 0x04e0] });
        expect(supportedVpdPagesCodec.decode(await ok(drive, buildInquiry({ evpd: true, pageCode: 0x00, allocationLength: 255 }))).pages).toEqual([0, 0x80, 0x83]);
        expect(unitSerialNumberCodec.decode(await ok(drive, buildInquiry({ evpd: true, pageCode: 0x80, allocationLength: 255 }))).serialNumber).toBe(p.identity.serial);
        expect(deviceIdentificationCodec.decode(await ok(drive, buildInquiry({ evpd: true, pageCode: 0x83, allocationLength: 255 }))).descriptors.length).toBe(1);

        const ev = eventStatusCodec.decode(await ok(drive, buildGetEventStatusNotification({ classes: { media: true }, allocationLength: 8 })));
        expect(ev.notificationClass).toBe(4);
        expect(mechanismStatusCodec.decode(await ok(drive, buildMechanismStatus({ allocationLength: 8 }))).doorOpen).toBe(false);
        formatCapacitiesCodec.decode(await ok(drive, buildReadFormatCapacities({ allocationLength: 252 })));
        if (MEDIA[media].family === "dvd") {
          const pf = dvdPhysicalFormatCodec.decode(await ok(drive, buildReadDiscStructure({ mediaType: "dvd", formatCode: 0x00, allocationLength: 2052 })));
          expect(pf.numberOfLayers).toBe(MEDIA[media].layers);
        }
        if (MEDIA[media].family === "bd") bdDiscInformationCodec.decode(await ok(drive, buildReadDiscStructure({ mediaType: "bd", formatCode: 0x00, allocationLength: 4096 })));
        expect(drive.internalErrors).toEqual([]);
      });
    }
  }
});
