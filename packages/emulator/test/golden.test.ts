/**
 * Golden vectors: CDB bytes in, response or sense bytes out, one comment per field. Each vector
 * states the medium and its state.
 */
import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "@discforge/bytes";
import { PERSONALITIES } from "../src/index.js";
import { blocks, exec, fails, ok, rig, senseOf } from "./harness.js";

const hex = (s: string) => fromHex(s.replace(/\s+|\/\/[^\n]*/g, ""));
const clean = (s: string) => toHex(hex(s));
const cdb = (s: string, dataInLength?: number) => (dataInLength === undefined ? { cdb: hex(s), direction: "none" as const } : { cdb: hex(s), direction: "in" as const, dataInLength });

describe("golden vectors", () => {
  it("standard INQUIRY, cut to 36 bytes", async () => {
    const { drive } = await rig("dvd+r", { personality: PERSONALITIES["dvd-rw-drive"] });
    const data = await ok(drive, cdb("12 00 00 00 24 00", 36));
    expect(toHex(data)).toBe(
      clean(`
      05        // peripheral qualifier 0, device type 05h (MMC)
      80        // RMB
      05        // version SPC-3
      02        // response data format 2
      5b        // additional length: 96 - 5
      00 00 00
      44 49 53 43 46 52 47 45                          // "DISCFRGE"
      45 4d 55 20 44 56 44 2b 2d 52 57 20 32 34 78 20  // "EMU DVD+-RW 24x "
      31 2e 30 30                                      // "1.00"
    `),
    );
  });

  it("VPD 80h unit serial number", async () => {
    const { drive } = await rig("cd-r", { personality: PERSONALITIES["cd-rw-drive"] });
    expect(toHex(await ok(drive, cdb("12 01 80 00 ff 00", 255)))).toBe(
      clean(`05 80 00 0c  45 4d 55 43 44 30 30 30 30 30 30 31 // "EMUCD0000001"`),
    );
  });

  it("READ DISC INFORMATION of a blank DVD+R", async () => {
    const { drive } = await rig("dvd+r");
    expect(toHex(await ok(drive, cdb("51 00 00 00 00 00 00 00 22 00", 34)))).toBe(
      clean(`
      00 20     // length 32
      00        // not erasable, last session empty, disc blank
      01        // first track 1
      01 01 01  // sessions 1, first/last track in last session 1
      20        // URU
      ff        // disc type: not CD
      00 00 00  // MSBs
      00 00 00 00  // disc identification
      00 00 00 00  // next lead-in: LBA 0
      00 23 05 40  // last possible lead-out: 2,295,104
      00 00 00 00 00 00 00 00  // bar code
      00 00     // application code, OPC tables
    `),
    );
  });

  it("READ DISC INFORMATION of a blank CD-R: MSF addresses from the ATIP", async () => {
    const { drive } = await rig("cd-r", { personality: PERSONALITIES["cd-rw-drive"] });
    const data = await ok(drive, cdb("51 00 00 00 00 00 00 00 22 00", 34));
    expect(toHex(data.subarray(8, 24))).toBe(
      clean(`
      00           // disc type CD-DA/CD-ROM
      00 00 00 00 00 00 00
      00 61 1a 42  // lead-in start 97:26:66
      00 4f 3b 48  // last possible lead-out 79:59:72 (LBA 359,847 + 150)
    `),
    );
  });

  it("READ TRACK INFORMATION of the invisible track after 40 blocks on DVD+R", async () => {
    const { drive } = await rig("dvd+r");
    await ok(drive, { cdb: hex("2a 00 00 00 00 00 00 00 28 00"), direction: "out" }, blocks(0, 40));
    expect(toHex(await ok(drive, cdb("52 01 00 00 00 01 00 00 30 00", 48)))).toBe(
      clean(`
      00 2e     // length 46
      01 01     // track 1, session 1
      00
      05        // not damaged, track mode 5 (data, incremental)
      21        // not reserved, not blank, packet/incremental, data mode 1
      03        // LRA_V, NWA_V
      00 00 00 00  // track start
      00 00 00 28  // NWA 40
      00 23 05 18  // free blocks 2,295,064
      00 00 00 10  // blocking factor 16
      00 23 05 40  // track size (grows to the disc end)
      00 00 00 27  // last recorded address 39
      00 00 00 00
      00 00 00 00 00 00 00 00 00 00 00 00
    `),
    );
  });

  it("READ CAPACITY of that disc reports the last recorded block", async () => {
    const { drive } = await rig("dvd+r");
    await ok(drive, { cdb: hex("2a 00 00 00 00 00 00 00 20 00"), direction: "out" }, blocks(0, 32));
    expect(toHex(await ok(drive, cdb("25 00 00 00 00 00 00 00 00 00", 8)))).toBe(clean("00 00 00 1f  00 00 08 00"));
  });

  it("GET CONFIGURATION RT=2 profile list with a BD-R loaded in the BD writer", async () => {
    const { drive } = await rig("bd-r");
    expect(toHex(await ok(drive, cdb("46 02 00 00 00 00 00 00 ff 00", 255)))).toBe(
      clean(`
      00 00 00 40  // data length 64
      00 00 00 41  // current profile BD-R SRM
      00 00 03 38  // feature 0000h, persistent, current; 56 bytes
      00 43 00 00  00 41 01 00  00 40 00 00  // BD-RE, BD-R (current), BD-ROM
      00 2b 00 00  00 1b 00 00  00 1a 00 00  // DVD+R DL, DVD+R, DVD+RW
      00 14 00 00  00 13 00 00  00 12 00 00  // DVD-RW seq, DVD-RW RO, DVD-RAM
      00 11 00 00  00 10 00 00  00 0a 00 00  // DVD-R, DVD-ROM, CD-RW
      00 09 00 00  00 08 00 00               // CD-R, CD-ROM
    `),
    );
  });

  it("MODE SENSE(10) page 05h defaults on CD", async () => {
    const { drive } = await rig("cd-r", { personality: PERSONALITIES["cd-rw-drive"] });
    const data = await ok(drive, cdb("5a 08 05 00 00 00 00 00 40 00", 64));
    expect(toHex(data.subarray(0, 24))).toBe(
      clean(`
      00 3a 00 00 00 00 00 00  // header: mode data length 58, no block descriptors
      05 32     // page 05h, length 50
      01        // BUFE 0, LS_V 0, test write 0, write type TAO
      04        // no multi-session, FP 0, copy 0, track mode 4
      08        // data block type 8 (mode 1)
      00 00 00  // link size, reserved, host application code
      00        // session format CD-DA/CD-ROM
      00 00 00 00 00  // reserved, packet size
      00 96     // audio pause length 150
    `),
    );
  });

  it("READ BUFFER CAPACITY of an idle 2 MiB buffer, byte and block forms", async () => {
    const { drive } = await rig("dvd-r", { personality: PERSONALITIES["dvd-rw-drive"] });
    expect(toHex(await ok(drive, cdb("5c 00 00 00 00 00 00 00 0c 00", 12)))).toBe(clean("00 0a 00 00  00 20 00 00  00 20 00 00"));
    expect(toHex(await ok(drive, cdb("5c 01 00 00 00 00 00 00 0c 00", 12)))).toBe(clean("00 0a 00 01  00 00 00 00  00 00 04 00"));
  });

  it("READ FORMAT CAPACITIES of an unformatted BD-RE", async () => {
    const { drive } = await rig("bd-re");
    expect(toHex(await ok(drive, cdb("23 00 00 00 00 00 00 00 fc 00", 252)))).toBe(
      clean(`
      00 00 00 20  // capacity list length 32
      00 ba 74 00  01 00 08 00  // current: 12,219,392 blocks, unformatted, 2048
      00 b4 74 00  00 00 30 00  // type 00h: 11,826,176 with spare
      00 b4 74 00  c0 00 30 00  // type 30h
      00 ba 74 00  c4 00 00 00  // type 31h: no spare
    `),
    );
  });

  it("sense for a write away from the NWA: 05/21/02 with the LBA in INFORMATION", async () => {
    const { drive } = await rig("dvd-r", { personality: PERSONALITIES["dvd-rw-drive"] });
    const s = await fails(drive, { cdb: hex("2a 00 00 00 00 10 00 00 01 00"), direction: "out" }, blocks(16, 1));
    expect(toHex(s.sense)).toBe(
      clean(`
      f0        // valid, current fixed sense
      00 05     // ILLEGAL REQUEST
      00 00 00 10  // information: LBA 16
      0a        // additional length
      00 00 00 00
      21 02     // invalid address for write
      00 00 00 00
    `),
    );
  });

  it("sense for an invalid CDB field carries the field pointer", async () => {
    const { drive } = await rig("dvd+r");
    const s = await fails(drive, cdb("51 05 00 00 00 00 00 00 22 00", 34));
    expect(senseOf(s)).toBe("05/24/00");
    expect(toHex(s.sense.subarray(15, 18))).toBe(clean("ca 00 01  // SKSV, C/D=CDB, BPV, bit 2; byte 1"));
  });

  it("READ DISC INFORMATION track resources of a CD-R with one closed track", async () => {
    const { drive } = await rig("cd-r", { personality: PERSONALITIES["cd-rw-drive"] });
    await ok(drive, { cdb: hex("2a 00 00 00 00 00 00 00 0a 00"), direction: "out" }, blocks(0, 10));
    await ok(drive, cdb("5b 00 01 00 00 01 00 00 00 00")); // close track 1
    expect(toHex(await ok(drive, cdb("51 01 00 00 00 00 00 00 0c 00", 12)))).toBe(
      clean(`
      00 0a     // length 10
      20        // data type 001b (bits 7-5): track resources
      00
      00 63     // maximum tracks on disc: 99
      00 02     // assigned: track 1 and the invisible track 2
      00 63     // maximum in the appendable session
      00 02     // assigned in it
    `),
    );
  });

  it("unsupported opcode: 05/20/00", async () => {
    const { drive } = await rig("dvd+r");
    expect(senseOf(await fails(drive, cdb("ff 00 00 00 00 00")))).toBe("05/20/00");
  });

  it("REQUEST SENSE during an immediate BLANK reports 02/04/07 and progress", async () => {
    const { drive, clock } = await rig("cd-rw", { personality: PERSONALITIES["cd-rw-drive"] });
    await ok(drive, { cdb: hex("2a 00 00 00 00 00 00 00 01 00"), direction: "out" }, blocks(0, 1));
    await ok(drive, cdb("a1 10 00 00 00 00 00 00 00 00 00 00")); // BLANK full, IMMED
    const total = drive.busy!.endMs - drive.busy!.startMs;
    clock.advance(total / 4);
    const sense = await ok(drive, cdb("03 00 00 00 12 00", 18));
    expect(toHex(sense)).toBe(
      clean(`
      70 00 02 00 00 00 00 0a 00 00 00 00
      04 07     // operation in progress
      00
      80 40 00  // SKSV, progress 16384/65536
    `),
    );
    clock.advance(total);
    expect((await exec(drive, cdb("00 00 00 00 00 00"))).kind).toBe("good");
  });

  it("GET EVENT STATUS NOTIFICATION media class after a load", async () => {
    const { drive } = await rig("dvd+rw");
    expect(toHex(await ok(drive, cdb("4a 01 00 00 10 00 00 00 08 00", 8)))).toBe(
      clean(`
      00 06     // event data length
      04        // media class
      5e        // supported: operational, power, external, media, device busy
      02        // new media
      02        // media present, tray closed
      00 00
    `),
    );
    expect(toHex(await ok(drive, cdb("4a 01 00 00 10 00 00 00 08 00", 8)))).toBe(clean("00 06 04 5e  00 02 00 00 // no change"));
  });

  it("READ TOC format 0 of a finalized DVD+R, and MSF refused on DVD", async () => {
    const { drive } = await rig("dvd+r");
    await ok(drive, { cdb: hex("2a 00 00 00 00 00 00 00 10 00"), direction: "out" }, blocks(0, 16));
    await ok(drive, cdb("5b 00 06 00 00 00 00 00 00 00")); // finalize
    expect(toHex(await ok(drive, cdb("43 00 00 00 00 00 00 00 20 00", 32)))).toBe(
      clean(`
      00 12 01 01  // length 18, tracks 1..1
      00 14 01 00  00 00 00 00  // track 1 at LBA 0, ADR 1 / data
      00 14 aa 00  00 00 00 10  // lead-out at 16
    `),
    );
    expect(senseOf(await fails(drive, cdb("43 02 00 00 00 00 00 00 20 00", 32)))).toBe("05/24/00");
  });

  it("DVD physical format information of a DVD+R", async () => {
    const { drive } = await rig("dvd+r");
    const d = await ok(drive, cdb("ad 00 00 00 00 00 00 00 08 04 00 00", 2052));
    expect(toHex(d.subarray(0, 16))).toBe(
      clean(`
      08 02 00 00  // length 2050
      a2        // book type DVD+R, part version 2
      0f        // 120 mm, rate not specified
      02        // one layer, PTP, recordable
      10        // densities
      00 03 00 00  // data start PSN 30000h
      00 26 05 3f  // data end PSN
    `),
    );
  });
});
