/** Media identity: DVD+ ADIP (11h), DVD- pre-recorded information (0Eh), BD disc information, CD ATIP lead-in start. */
import { describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toHex } from "@discforge/bytes";
import { InvalidArgumentError } from "@discforge/errors";
import {
  atipCodec,
  bdDiscInformationCodec,
  buildReadDiscStructure,
  buildReadToc,
  discStructureListCodec,
  dvdAdipInformationCodec,
  dvdPreRecordedInformationCodec,
  mediaIdentifier,
} from "@discforge/mmc";
import { EmulatedDrive, PERSONALITIES, VirtualClock, VirtualDisc, openDiscFile } from "../src/index.js";
import { clearAttentions, fails, ok, rig, senseOf } from "./harness.js";

const structure = (formatCode: number, mediaType: "dvd" | "bd" = "dvd") => buildReadDiscStructure({ mediaType, formatCode, allocationLength: 4096 });

describe("DVD+R/+RW ADIP (READ DISC STRUCTURE 11h)", () => {
  it("default DVD+R identity: category Ah, manufacturer, media type, revision at bytes 19-30 of the data", async () => {
    const { drive } = await rig("dvd+r", { personality: PERSONALITIES["dvd-rw-drive"] });
    const bytes = await ok(drive, structure(0x11));
    expect(bytes.length).toBe(4 + 256);
    expect(toHex(bytes.subarray(0, 4))).toBe("01020000"); // data length 258, reserved
    expect(bytes[4]! >> 4).toBe(0xa); // disc category DVD+R
    expect(toHex(bytes.subarray(4 + 19, 4 + 31))).toBe(toHex(new TextEncoder().encode("DISCFRGER01")) + "01");
    const adip = dvdAdipInformationCodec.decode(bytes);
    expect(mediaIdentifier({ kind: "dvd+adip", structure: adip })?.text).toBe("DISCFRGE/R01");
  });

  it("an identity set at creation is reported and survives the sidecar", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mid-"));
    try {
      const path = join(dir, "d.img");
      openDiscFile(path, { media: "dvd+rw", mediaIdentity: { manufacturerId: "RICOHJPN", mediaTypeId: "W11", productRevision: 4 } }).close();
      const disc = openDiscFile(path);
      const { drive } = await rig("dvd+rw", { personality: PERSONALITIES["dvd-rw-drive"], disc });
      const adip = dvdAdipInformationCodec.decode(await ok(drive, structure(0x11)));
      expect([adip.discCategory, adip.manufacturerId, adip.mediaTypeId, adip.productRevision]).toEqual([9, "RICOHJPN", "W11", 4]);
      await drive.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("11h on a DVD-R and 0Eh on a DVD+R are invalid fields (24/00)", async () => {
    const plus = await rig("dvd+r", { personality: PERSONALITIES["dvd-rw-drive"] });
    expect(senseOf(await fails(plus.drive, structure(0x0e)))).toBe("05/24/00");
    const minus = await rig("dvd-r", { personality: PERSONALITIES["dvd-rw-drive"] });
    expect(senseOf(await fails(minus.drive, structure(0x11)))).toBe("05/24/00");
  });

  it("the structure list names the identity structure of the medium", async () => {
    const { drive } = await rig("dvd+r-dl", { personality: PERSONALITIES["dvd-rw-drive"] });
    const list = discStructureListCodec.decode(await ok(drive, structure(0xff)));
    expect(list.entries.map((e) => [e.formatCode, e.structureLength])).toContainEqual([0x11, 260]);
    expect(dvdAdipInformationCodec.decode(await ok(drive, structure(0x11))).discCategory).toBe(0xe);
  });
});

describe("DVD-R/-RW pre-recorded information (0Eh)", () => {
  it("fields 1-5, the manufacturer ID in fields 3 and 4", async () => {
    const disc = VirtualDisc.blank("dvd-r", { mediaIdentity: { manufacturerId: "MCC 03RG20", mediaTypeId: "", productRevision: 0 } });
    const { drive } = await rig("dvd-r", { personality: PERSONALITIES["dvd-rw-drive"], disc });
    const bytes = await ok(drive, structure(0x0e));
    expect(bytes.length).toBe(4 + 40);
    expect(toHex(bytes.subarray(4 + 16, 4 + 32))).toBe(
      "03" + toHex(new TextEncoder().encode("MCC 03")) + "00" + // field 3: ID 3, characters 1-6
        "04" + toHex(new TextEncoder().encode("RG20  ")) + "00", // field 4: ID 4, characters 7-12
    );
    expect(mediaIdentifier({ kind: "dvd-pre-recorded", structure: dvdPreRecordedInformationCodec.decode(bytes) })?.text).toBe("MCC 03RG20");
  });

  it("blanking a DVD-RW keeps its identity", async () => {
    const { drive, disc } = await rig("dvd-rw", { personality: PERSONALITIES["dvd-rw-drive"] });
    await ok(drive, { cdb: Uint8Array.of(0xa1, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), direction: "none" }); // BLANK minimal
    expect(disc.state.mediaIdentity?.manufacturerId).toBe("DISCFORGE W1");
  });
});

describe("BD-R/RE disc information identification", () => {
  it("manufacturer and media type IDs in the recordable disc information unit", async () => {
    const { drive } = await rig("bd-r");
    const di = bdDiscInformationCodec.decode(await ok(drive, structure(0x00, "bd")));
    expect(mediaIdentifier({ kind: "bd-disc-information", structure: di })?.text).toBe("DISCFR/R01");
  });
});

describe("CD-R/RW ATIP", () => {
  it("the ATIP start time of lead-in carries the disc's manufacturer code", async () => {
    const clock = new VirtualClock();
    const disc = VirtualDisc.blank("cd-rw", { mediaIdentity: { manufacturerId: "", mediaTypeId: "", productRevision: 0, atipLeadInStart: { minute: 97, second: 34, frame: 23 } } });
    const drive = new EmulatedDrive({ clock, disc, personality: PERSONALITIES["cd-rw-drive"] });
    await clearAttentions(drive);
    await clearAttentions(drive);
    const atip = atipCodec.decode(await ok(drive, buildReadToc({ format: "atip", allocationLength: 28 })));
    expect(atip.leadInStart).toEqual({ minute: 97, second: 34, frame: 23 });
    const def = await rig("cd-r", { personality: PERSONALITIES["cd-rw-drive"] });
    expect(atipCodec.decode(await ok(def.drive, buildReadToc({ format: "atip", allocationLength: 28 }))).leadInStart).toEqual({ minute: 97, second: 26, frame: 66 });
  });

  it("identities the medium cannot carry are refused", () => {
    expect(() => VirtualDisc.blank("dvd+r", { mediaIdentity: { manufacturerId: "TOO-LONG-ID", mediaTypeId: "R01", productRevision: 0 } })).toThrow(InvalidArgumentError);
    expect(() => VirtualDisc.blank("cd-r", { mediaIdentity: { manufacturerId: "", mediaTypeId: "", productRevision: 0, atipLeadInStart: { minute: 10, second: 0, frame: 0 } } })).toThrow(InvalidArgumentError);
    expect(() => VirtualDisc.blank("bd-r", { mediaIdentity: { manufacturerId: "X", mediaTypeId: "R01", productRevision: 0, atipLeadInStart: { minute: 97, second: 0, frame: 0 } } })).toThrow(InvalidArgumentError);
  });
});
