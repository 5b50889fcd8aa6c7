// Golden CDB vectors: every command built from typed parameters must give exactly these bytes,
// and these bytes must parse (directly and through decodeCdb) back into the same parameters.
import { fromHex, toHex } from "@discforge/bytes";
import { describe, expect, it } from "vitest";
import * as m from "../../src/cdb/index.js";

interface Vector {
  readonly title: string;
  /** CDB hex, one field per line with its name. */
  readonly hex: string;
  readonly build: () => m.ScsiRequest;
  readonly parse: (cdb: Uint8Array) => unknown;
  readonly op: m.DecodableOp;
  readonly params: unknown;
  readonly direction: "none" | "in" | "out";
  readonly dataInLength?: number;
  readonly dataOutLength?: number;
}

const V: Vector[] = [
  {
    title: "TEST UNIT READY",
    hex: `00 # opcode
          00 00 00 00 # reserved
          00 # control`,
    build: () => m.buildTestUnitReady(),
    parse: m.parseTestUnitReadyCdb,
    op: "testUnitReady",
    params: {},
    direction: "none",
  },
  {
    title: "REQUEST SENSE, fixed format, 252 bytes",
    hex: `03 # opcode
          00 # DESC=0
          00 00 # reserved
          fc # allocation length 252
          00 # control`,
    build: () => m.buildRequestSense(),
    parse: m.parseRequestSenseCdb,
    op: "requestSense",
    params: { desc: false, allocationLength: 252 },
    direction: "in",
    dataInLength: 252,
  },
  {
    title: "REQUEST SENSE, descriptor format, 18 bytes",
    hex: `03 01 # DESC=1
          00 00 12 # allocation length 18
          00`,
    build: () => m.buildRequestSense({ desc: true, allocationLength: 18 }),
    parse: m.parseRequestSenseCdb,
    op: "requestSense",
    params: { desc: true, allocationLength: 18 },
    direction: "in",
    dataInLength: 18,
  },
  {
    title: "INQUIRY, standard data",
    hex: `12 # opcode
          00 # EVPD=0
          00 # page code
          00 60 # allocation length 96
          00 # control`,
    build: () => m.buildInquiry(),
    parse: m.parseInquiryCdb,
    op: "inquiry",
    params: { evpd: false, pageCode: 0, allocationLength: 96 },
    direction: "in",
    dataInLength: 96,
  },
  {
    title: "INQUIRY, VPD 80h unit serial number",
    hex: `12 01 # EVPD=1
          80 # page 80h
          00 ff # allocation length 255
          00`,
    build: () => m.buildInquiry({ evpd: true, pageCode: m.VPD_PAGES.unitSerialNumber }),
    parse: m.parseInquiryCdb,
    op: "inquiry",
    params: { evpd: true, pageCode: 0x80, allocationLength: 255 },
    direction: "in",
    dataInLength: 255,
  },
  {
    title: "INQUIRY, VPD 83h device identification, 0x200 bytes",
    hex: `12 01 83 # EVPD, page 83h
          02 00 # allocation length 512 (two bytes since SPC-3)
          00`,
    build: () => m.buildInquiry({ evpd: true, pageCode: 0x83, allocationLength: 512 }),
    parse: m.parseInquiryCdb,
    op: "inquiry",
    params: { evpd: true, pageCode: 0x83, allocationLength: 512 },
    direction: "in",
    dataInLength: 512,
  },
  {
    title: "MODE SENSE(10), current 2Ah page, DBD",
    hex: `5a # opcode
          08 # LLBAA=0 DBD=1
          2a # PC=00b current, page 2Ah
          00 # subpage
          00 00 00 # reserved
          01 00 # allocation length 256
          00`,
    build: () => m.buildModeSense10({ pageCode: 0x2a, dbd: true, allocationLength: 256 }),
    parse: m.parseModeSense10Cdb,
    op: "modeSense10",
    params: { pageControl: "current", pageCode: 0x2a, subpageCode: 0, dbd: true, llbaa: false, allocationLength: 256 },
    direction: "in",
    dataInLength: 256,
  },
  {
    title: "MODE SENSE(10), changeable 05h page, LLBAA",
    hex: `5a 10 # LLBAA=1
          45 # PC=01b changeable, page 05h
          00 00 00 00
          00 3c # allocation length 60
          00`,
    build: () => m.buildModeSense10({ pageControl: "changeable", pageCode: 0x05, llbaa: true, allocationLength: 60 }),
    parse: m.parseModeSense10Cdb,
    op: "modeSense10",
    params: { pageControl: "changeable", pageCode: 5, subpageCode: 0, dbd: false, llbaa: true, allocationLength: 60 },
    direction: "in",
    dataInLength: 60,
  },
  {
    title: "MODE SENSE(6), saved, all pages and subpages",
    hex: `1a 00 # DBD=0
          ff # PC=11b saved, page 3Fh
          ff # subpage FFh (all)
          fc # allocation length 252
          00`,
    build: () => m.buildModeSense6({ pageControl: "saved", pageCode: m.ALL_MODE_PAGES, subpageCode: 0xff }),
    parse: m.parseModeSense6Cdb,
    op: "modeSense6",
    params: { pageControl: "saved", pageCode: 0x3f, subpageCode: 0xff, dbd: false, allocationLength: 252 },
    direction: "in",
    dataInLength: 252,
  },
  {
    title: "MODE SELECT(10), PF, 60-byte list",
    hex: `55 # opcode
          10 # PF=1 SP=0
          00 00 00 00 00 # reserved
          00 3c # parameter list length 60
          00`,
    build: () => m.buildModeSelect10({ parameterListLength: 60 }),
    parse: m.parseModeSelect10Cdb,
    op: "modeSelect10",
    params: { pf: true, sp: false, parameterListLength: 60 },
    direction: "out",
    dataOutLength: 60,
  },
  {
    title: "MODE SELECT(10), PF and SP, length from the data",
    hex: `55 11 # PF=1 SP=1
          00 00 00 00 00
          00 10 # 16 bytes
          00`,
    build: () => m.buildModeSelect10({ sp: true }, new Uint8Array(16)),
    parse: m.parseModeSelect10Cdb,
    op: "modeSelect10",
    params: { pf: true, sp: true, parameterListLength: 16 },
    direction: "out",
    dataOutLength: 16,
  },
  {
    title: "MODE SELECT(6), PF, 28 bytes",
    hex: `15 10 # PF=1
          00 00 # reserved
          1c # parameter list length 28
          00`,
    build: () => m.buildModeSelect6({ parameterListLength: 28 }),
    parse: m.parseModeSelect6Cdb,
    op: "modeSelect6",
    params: { pf: true, sp: false, parameterListLength: 28 },
    direction: "out",
    dataOutLength: 28,
  },
  {
    title: "GET CONFIGURATION, RT=1 current features from 001Fh",
    hex: `46 # opcode
          01 # RT=01b
          00 1f # starting feature 001Fh
          00 00 00 # reserved
          00 08 # allocation length 8
          00`,
    build: () => m.buildGetConfiguration({ requestType: "current", startingFeature: 0x1f, allocationLength: 8 }),
    parse: m.parseGetConfigurationCdb,
    op: "getConfiguration",
    params: { requestType: "current", startingFeature: 0x1f, allocationLength: 8 },
    direction: "in",
    dataInLength: 8,
  },
  {
    title: "GET CONFIGURATION, RT=2 one feature 0107h",
    hex: `46 02 # RT=10b
          01 07 # feature 0107h (Real Time Streaming)
          00 00 00
          00 20 # 32 bytes
          00`,
    build: () => m.buildGetConfiguration({ requestType: "one", startingFeature: 0x0107, allocationLength: 32 }),
    parse: m.parseGetConfigurationCdb,
    op: "getConfiguration",
    params: { requestType: "one", startingFeature: 0x0107, allocationLength: 32 },
    direction: "in",
    dataInLength: 32,
  },
  {
    title: "GET CONFIGURATION, defaults (RT=0 all from 0000h)",
    hex: `46 00 00 00 00 00 00
          ff fa # allocation length 65530
          00`,
    build: () => m.buildGetConfiguration(),
    parse: m.parseGetConfigurationCdb,
    op: "getConfiguration",
    params: { requestType: "all", startingFeature: 0, allocationLength: 65530 },
    direction: "in",
    dataInLength: 65530,
  },
  {
    title: "GET EVENT STATUS NOTIFICATION, polled, media class",
    hex: `4a # opcode
          01 # polled
          00 00 # reserved
          10 # class request: bit 4 media
          00 00 # reserved
          00 08 # allocation length 8
          00`,
    build: () => m.buildGetEventStatusNotification({ classes: { media: true } }),
    parse: m.parseGetEventStatusNotificationCdb,
    op: "getEventStatusNotification",
    params: {
      polled: true,
      classes: { operationalChange: false, powerManagement: false, externalRequest: false, media: true, multiHost: false, deviceBusy: false },
      allocationLength: 8,
    },
    direction: "in",
    dataInLength: 8,
  },
  {
    title: "GET EVENT STATUS NOTIFICATION, every class",
    hex: `4a 01 00 00
          7e # bits 1..6: operational change, power, external request, media, multi-host, busy
          00 00 00 28 # 40 bytes
          00`,
    build: () =>
      m.buildGetEventStatusNotification({
        classes: { operationalChange: true, powerManagement: true, externalRequest: true, media: true, multiHost: true, deviceBusy: true },
        allocationLength: 40,
      }),
    parse: m.parseGetEventStatusNotificationCdb,
    op: "getEventStatusNotification",
    params: {
      polled: true,
      classes: { operationalChange: true, powerManagement: true, externalRequest: true, media: true, multiHost: true, deviceBusy: true },
      allocationLength: 40,
    },
    direction: "in",
    dataInLength: 40,
  },
  {
    title: "READ CAPACITY",
    hex: `25 00 # opcode, reserved
          00 00 00 00 # LBA 0
          00 00 # reserved
          00 # PMI=0
          00`,
    build: () => m.buildReadCapacity10(),
    parse: m.parseReadCapacity10Cdb,
    op: "readCapacity10",
    params: { lba: 0, pmi: false },
    direction: "in",
    dataInLength: 8,
  },
  {
    title: "READ CAPACITY(16)",
    hex: `9e # SERVICE ACTION IN(16)
          10 # service action READ CAPACITY(16)
          00 00 00 00 00 00 00 00 # LBA 0
          00 00 00 20 # allocation length 32
          00 # PMI=0
          00`,
    build: () => m.buildReadCapacity16(),
    parse: m.parseReadCapacity16Cdb,
    op: "readCapacity16",
    params: { lba: 0, pmi: false, allocationLength: 32 },
    direction: "in",
    dataInLength: 32,
  },
  {
    title: "READ(10), FUA, 16 blocks at 12345h",
    hex: `28 # opcode
          08 # DPO=0 FUA=1
          00 01 23 45 # LBA
          00 # group/reserved
          00 10 # 16 blocks
          00`,
    build: () => m.buildRead10({ lba: 0x12345, transferLength: 16, fua: true }),
    parse: m.parseRead10Cdb,
    op: "read10",
    params: { lba: 0x12345, transferLength: 16, dpo: false, fua: true },
    direction: "in",
    dataInLength: 16 * 2048,
  },
  {
    title: "READ(12), streaming, 65536 blocks",
    hex: `a8 10 # DPO=1
          00 00 01 00 # LBA 256
          00 01 00 00 # 65536 blocks
          80 # STREAMING
          00`,
    build: () => m.buildRead12({ lba: 256, transferLength: 0x10000, dpo: true, streaming: true }),
    parse: m.parseRead12Cdb,
    op: "read12",
    params: { lba: 256, transferLength: 0x10000, dpo: true, fua: false, streaming: true },
    direction: "in",
    dataInLength: 0x10000 * 2048,
  },
  {
    title: "READ CD, CD-DA with raw P-W sub-channel",
    hex: `be # opcode
          04 # expected sector type 001b CD-DA, DAP=0
          00 00 00 00 # LBA 0
          00 00 01 # 1 block
          10 # SYNC=0 headers=00b USER DATA=1 EDC=0 C2=00b
          01 # sub-channel 001b raw
          00`,
    build: () => m.buildReadCd({ expectedSectorType: "cdda", lba: 0, transferLength: 1, subchannel: "raw" }),
    parse: m.parseReadCdCdb,
    op: "readCd",
    params: {
      expectedSectorType: "cdda",
      dap: false,
      lba: 0,
      transferLength: 1,
      sync: false,
      headerCodes: "none",
      userData: true,
      edcEcc: false,
      c2ErrorInfo: "none",
      subchannel: "raw",
    },
    direction: "in",
    dataInLength: 2352 + 96,
  },
  {
    title: "READ CD, mode 1 whole sector with C2 and block errors, Q sub-channel, DAP",
    hex: `be 0a # sector type 010b mode 1, DAP=1
          00 00 00 10 # LBA 16
          00 00 02 # 2 blocks
          fc # SYNC=1 headers=11b USER DATA=1 EDC&ECC=1 C2=10b
          02 # sub-channel 010b Q
          00`,
    build: () =>
      m.buildReadCd({
        expectedSectorType: "mode1",
        dap: true,
        lba: 16,
        transferLength: 2,
        sync: true,
        headerCodes: "all",
        edcEcc: true,
        c2ErrorInfo: "c2AndBlockErrors",
        subchannel: "q",
      }),
    parse: m.parseReadCdCdb,
    op: "readCd",
    params: {
      expectedSectorType: "mode1",
      dap: true,
      lba: 16,
      transferLength: 2,
      sync: true,
      headerCodes: "all",
      userData: true,
      edcEcc: true,
      c2ErrorInfo: "c2AndBlockErrors",
      subchannel: "q",
    },
    direction: "in",
    dataInLength: 2 * (2352 + 296 + 16),
  },
  {
    title: "READ CD, mode 2 form 1 subheader and user data, R-W sub-channel",
    hex: `be 10 # sector type 100b mode 2 form 1
          00 00 12 34 # LBA
          00 00 03 # 3 blocks
          50 # headers=10b subheader, USER DATA
          04 # sub-channel 100b R-W
          00`,
    build: () => m.buildReadCd({ expectedSectorType: "mode2Form1", lba: 0x1234, transferLength: 3, headerCodes: "subheader", subchannel: "rw" }),
    parse: m.parseReadCdCdb,
    op: "readCd",
    params: {
      expectedSectorType: "mode2Form1",
      dap: false,
      lba: 0x1234,
      transferLength: 3,
      sync: false,
      headerCodes: "subheader",
      userData: true,
      edcEcc: false,
      c2ErrorInfo: "none",
      subchannel: "rw",
    },
    direction: "in",
    dataInLength: 3 * (8 + 2048 + 96),
  },
  {
    title: "READ CD MSF, CD-DA 00:02:00 to 00:02:10",
    hex: `b9 # opcode
          04 # expected sector type 001b CD-DA
          00 # reserved
          00 02 00 # starting M S F
          00 02 0a # ending M S F (exclusive)
          10 # USER DATA
          00 # no sub-channel
          00`,
    build: () => m.buildReadCdMsf({ expectedSectorType: "cdda", start: { minute: 0, second: 2, frame: 0 }, end: { minute: 0, second: 2, frame: 10 } }),
    parse: m.parseReadCdMsfCdb,
    op: "readCdMsf",
    params: {
      expectedSectorType: "cdda",
      dap: false,
      sync: false,
      headerCodes: "none",
      userData: true,
      edcEcc: false,
      c2ErrorInfo: "none",
      subchannel: "none",
      start: { minute: 0, second: 2, frame: 0 },
      end: { minute: 0, second: 2, frame: 10 },
    },
    direction: "in",
    dataInLength: 10 * 2352,
  },
  {
    title: "READ SUB-CHANNEL, current position in MSF",
    hex: `42 # opcode
          02 # MSF=1
          40 # SUBQ=1
          01 # parameter list 01h current position
          00 00 # reserved
          00 # track number
          00 10 # 16 bytes
          00`,
    build: () => m.buildReadSubChannel({ format: "currentPosition", msf: true, allocationLength: 16 }),
    parse: m.parseReadSubChannelCdb,
    op: "readSubChannel",
    params: { msf: true, subQ: true, format: "currentPosition", trackNumber: 0, allocationLength: 16 },
    direction: "in",
    dataInLength: 16,
  },
  {
    title: "READ SUB-CHANNEL, ISRC of track 2",
    hex: `42 00 40
          03 # ISRC
          00 00
          02 # track 2
          00 30 # 48 bytes
          00`,
    build: () => m.buildReadSubChannel({ format: "isrc", trackNumber: 2 }),
    parse: m.parseReadSubChannelCdb,
    op: "readSubChannel",
    params: { msf: false, subQ: true, format: "isrc", trackNumber: 2, allocationLength: 48 },
    direction: "in",
    dataInLength: 48,
  },
  {
    title: "READ SUB-CHANNEL, media catalogue number",
    hex: `42 00 40 02 # MCN
          00 00 00 00 30 00`,
    build: () => m.buildReadSubChannel({ format: "mediaCatalogNumber" }),
    parse: m.parseReadSubChannelCdb,
    op: "readSubChannel",
    params: { msf: false, subQ: true, format: "mediaCatalogNumber", trackNumber: 0, allocationLength: 48 },
    direction: "in",
    dataInLength: 48,
  },
  {
    title: "SEEK(10)",
    hex: `2b 00 # opcode, reserved
          00 00 10 00 # LBA 4096
          00 00 00 # reserved
          00`,
    build: () => m.buildSeek10({ lba: 0x1000 }),
    parse: m.parseSeek10Cdb,
    op: "seek10",
    params: { lba: 0x1000 },
    direction: "none",
  },
  {
    title: "REPORT LUNS",
    hex: `a0 00 # opcode, reserved
          00 # SELECT REPORT 00h
          00 00 00 # reserved
          00 00 08 00 # allocation length 2048
          00 # reserved
          00`,
    build: () => m.buildReportLuns(),
    parse: m.parseReportLunsCdb,
    op: "reportLuns",
    params: { selectReport: 0, allocationLength: 2048 },
    direction: "in",
    dataInLength: 2048,
  },
  {
    title: "READ TOC/PMA/ATIP, format 0 TOC in MSF from track 1",
    hex: `43 # opcode
          02 # MSF=1
          00 # format 0000b TOC
          00 00 00 # reserved
          01 # track 1
          03 24 # allocation length 804
          00`,
    build: () => m.buildReadToc({ format: "toc", msf: true, trackSessionNumber: 1, allocationLength: 804 }),
    parse: m.parseReadTocCdb,
    op: "readTocPmaAtip",
    params: { format: "toc", msf: true, trackSessionNumber: 1, allocationLength: 804 },
    direction: "in",
    dataInLength: 804,
  },
  {
    title: "READ TOC/PMA/ATIP, format 1 session info",
    hex: `43 00 01 # format 0001b
          00 00 00 00 # reserved, session number 0
          00 0c # 12 bytes
          00`,
    build: () => m.buildReadToc({ format: "sessionInfo", allocationLength: 12 }),
    parse: m.parseReadTocCdb,
    op: "readTocPmaAtip",
    params: { format: "sessionInfo", msf: false, trackSessionNumber: 0, allocationLength: 12 },
    direction: "in",
    dataInLength: 12,
  },
  {
    title: "READ TOC/PMA/ATIP, format 2 full TOC from session 1",
    hex: `43 02 02 # MSF, format 0010b
          00 00 00
          01 # session 1
          ff fe # 65534 bytes (default)
          00`,
    build: () => m.buildReadToc({ format: "fullToc", msf: true, trackSessionNumber: 1 }),
    parse: m.parseReadTocCdb,
    op: "readTocPmaAtip",
    params: { format: "fullToc", msf: true, trackSessionNumber: 1, allocationLength: 0xfffe },
    direction: "in",
    dataInLength: 0xfffe,
  },
  {
    title: "READ TOC/PMA/ATIP, format 3 PMA",
    hex: `43 00 03 00 00 00 00 ff fe 00`,
    build: () => m.buildReadToc({ format: "pma" }),
    parse: m.parseReadTocCdb,
    op: "readTocPmaAtip",
    params: { format: "pma", msf: false, trackSessionNumber: 0, allocationLength: 0xfffe },
    direction: "in",
    dataInLength: 0xfffe,
  },
  {
    title: "READ TOC/PMA/ATIP, format 4 ATIP",
    hex: `43 00 04 # format 0100b
          00 00 00 00
          00 1c # 28 bytes
          00`,
    build: () => m.buildReadToc({ format: "atip", allocationLength: 28 }),
    parse: m.parseReadTocCdb,
    op: "readTocPmaAtip",
    params: { format: "atip", msf: false, trackSessionNumber: 0, allocationLength: 28 },
    direction: "in",
    dataInLength: 28,
  },
  {
    title: "READ TOC/PMA/ATIP, format 5 CD-TEXT",
    hex: `43 00 05 00 00 00 00 ff fe 00`,
    build: () => m.buildReadToc({ format: "cdText" }),
    parse: m.parseReadTocCdb,
    op: "readTocPmaAtip",
    params: { format: "cdText", msf: false, trackSessionNumber: 0, allocationLength: 0xfffe },
    direction: "in",
    dataInLength: 0xfffe,
  },
  {
    title: "READ TOC/PMA/ATIP, format 0 from the lead-out",
    hex: `43 00 00 00 00 00
          aa # lead-out
          00 0c 00`,
    build: () => m.buildReadToc({ format: "toc", trackSessionNumber: m.LEAD_OUT_TRACK, allocationLength: 12 }),
    parse: m.parseReadTocCdb,
    op: "readTocPmaAtip",
    params: { format: "toc", msf: false, trackSessionNumber: 0xaa, allocationLength: 12 },
    direction: "in",
    dataInLength: 12,
  },
  {
    title: "READ DISC INFORMATION, standard",
    hex: `51 # opcode
          00 # data type 000b
          00 00 00 00 00 # reserved
          08 00 # 2048 bytes
          00`,
    build: () => m.buildReadDiscInformation(),
    parse: m.parseReadDiscInformationCdb,
    op: "readDiscInformation",
    params: { dataType: "standard", allocationLength: 2048 },
    direction: "in",
    dataInLength: 2048,
  },
  {
    title: "READ DISC INFORMATION, track resources",
    hex: `51 01 # data type 001b
          00 00 00 00 00 00 0c 00`,
    build: () => m.buildReadDiscInformation({ dataType: "trackResources", allocationLength: 12 }),
    parse: m.parseReadDiscInformationCdb,
    op: "readDiscInformation",
    params: { dataType: "trackResources", allocationLength: 12 },
    direction: "in",
    dataInLength: 12,
  },
  {
    title: "READ DISC INFORMATION, POW resources",
    hex: `51 02 00 00 00 00 00 00 10 00`,
    build: () => m.buildReadDiscInformation({ dataType: "powResources", allocationLength: 16 }),
    parse: m.parseReadDiscInformationCdb,
    op: "readDiscInformation",
    params: { dataType: "powResources", allocationLength: 16 },
    direction: "in",
    dataInLength: 16,
  },
  {
    title: "READ TRACK INFORMATION, invisible track FFh",
    hex: `52 # opcode
          01 # OPEN=0, type 01b track number
          00 00 00 ff # track FFh
          00 # reserved
          00 30 # 48 bytes
          00`,
    build: () => m.buildReadTrackInformation({ addressType: "track", address: m.INVISIBLE_TRACK }),
    parse: m.parseReadTrackInformationCdb,
    op: "readTrackInformation",
    params: { open: false, addressType: "track", address: 0xff, allocationLength: 48 },
    direction: "in",
    dataInLength: 48,
  },
  {
    title: "READ TRACK INFORMATION, first open track from track 1",
    hex: `52 05 # OPEN=1, type 01b
          00 00 00 01 00 00 30 00`,
    build: () => m.buildReadTrackInformation({ open: true, addressType: "track", address: 1 }),
    parse: m.parseReadTrackInformationCdb,
    op: "readTrackInformation",
    params: { open: true, addressType: "track", address: 1, allocationLength: 48 },
    direction: "in",
    dataInLength: 48,
  },
  {
    title: "READ TRACK INFORMATION, by LBA",
    hex: `52 00 # type 00b LBA
          00 01 00 00 # LBA 65536
          00 00 30 00`,
    build: () => m.buildReadTrackInformation({ addressType: "lba", address: 0x10000 }),
    parse: m.parseReadTrackInformationCdb,
    op: "readTrackInformation",
    params: { open: false, addressType: "lba", address: 0x10000, allocationLength: 48 },
    direction: "in",
    dataInLength: 48,
  },
  {
    title: "READ TRACK INFORMATION, by session",
    hex: `52 02 # type 10b session
          00 00 00 02 # session 2
          00 00 30 00`,
    build: () => m.buildReadTrackInformation({ addressType: "session", address: 2 }),
    parse: m.parseReadTrackInformationCdb,
    op: "readTrackInformation",
    params: { open: false, addressType: "session", address: 2, allocationLength: 48 },
    direction: "in",
    dataInLength: 48,
  },
  {
    title: "READ FORMAT CAPACITIES",
    hex: `23 # opcode
          00 00 00 00 00 00 # reserved
          01 0c # 268 bytes: header + current + 32 descriptors
          00`,
    build: () => m.buildReadFormatCapacities(),
    parse: m.parseReadFormatCapacitiesCdb,
    op: "readFormatCapacities",
    params: { allocationLength: 268 },
    direction: "in",
    dataInLength: 268,
  },
  {
    title: "READ BUFFER CAPACITY, block form",
    hex: `5c # opcode
          01 # BLOCK=1
          00 00 00 00 00
          00 0c # 12 bytes
          00`,
    build: () => m.buildReadBufferCapacity({ block: true }),
    parse: m.parseReadBufferCapacityCdb,
    op: "readBufferCapacity",
    params: { block: true, allocationLength: 12 },
    direction: "in",
    dataInLength: 12,
  },
  {
    title: "READ BUFFER CAPACITY, byte form",
    hex: `5c 00 00 00 00 00 00 00 0c 00`,
    build: () => m.buildReadBufferCapacity(),
    parse: m.parseReadBufferCapacityCdb,
    op: "readBufferCapacity",
    params: { block: false, allocationLength: 12 },
    direction: "in",
    dataInLength: 12,
  },
  {
    title: "READ DISC STRUCTURE, BD disc information",
    hex: `ad # opcode
          01 # media type 0001b BD
          00 00 00 00 # address
          00 # layer 0
          00 # format 00h disc information
          00 70 # 112 bytes
          00 # AGID 0
          00`,
    build: () => m.buildReadDiscStructure({ mediaType: "bd", formatCode: m.BD_STRUCTURE_FORMAT.discInformation, allocationLength: 112 }),
    parse: m.parseReadDiscStructureCdb,
    op: "readDiscStructure",
    params: { mediaType: "bd", address: 0, layerNumber: 0, formatCode: 0, allocationLength: 112, agid: 0 },
    direction: "in",
    dataInLength: 112,
  },
  {
    title: "READ DISC STRUCTURE, BD write protection status (C0h)",
    hex: `ad # opcode
          01 # media type 0001b BD
          00 00 00 00 # address
          00 # layer 0
          c0 # format C0h write protection status
          00 08 # 8 bytes: header + 4 data bytes
          00 # AGID 0
          00`,
    build: () => m.buildReadDiscStructure({ mediaType: "bd", formatCode: m.BD_STRUCTURE_FORMAT.writeProtectionStatus, allocationLength: 8 }),
    parse: m.parseReadDiscStructureCdb,
    op: "readDiscStructure",
    params: { mediaType: "bd", address: 0, layerNumber: 0, formatCode: 0xc0, allocationLength: 8, agid: 0 },
    direction: "in",
    dataInLength: 8,
  },
  {
    title: "READ DISC STRUCTURE, DVD physical format of layer 1",
    hex: `ad 00 # DVD
          00 00 00 00
          01 # layer 1
          00 # format 00h physical
          08 04 # 2052 bytes
          00 00`,
    build: () => m.buildReadDiscStructure({ layerNumber: 1, formatCode: m.DVD_STRUCTURE_FORMAT.physicalFormat }),
    parse: m.parseReadDiscStructureCdb,
    op: "readDiscStructure",
    params: { mediaType: "dvd", address: 0, layerNumber: 1, formatCode: 0, allocationLength: 2052, agid: 0 },
    direction: "in",
    dataInLength: 2052,
  },
  {
    title: "READ DISC STRUCTURE, DVD disc key with AGID 2",
    hex: `ad 00
          00 00 00 00
          00
          02 # format 02h disc key
          08 04
          80 # AGID 10b
          00`,
    build: () => m.buildReadDiscStructure({ formatCode: m.DVD_STRUCTURE_FORMAT.discKey, agid: 2 }),
    parse: m.parseReadDiscStructureCdb,
    op: "readDiscStructure",
    params: { mediaType: "dvd", address: 0, layerNumber: 0, formatCode: 2, allocationLength: 2052, agid: 2 },
    direction: "in",
    dataInLength: 2052,
  },
  {
    title: "GET PERFORMANCE, type 00h write performance, nominal",
    hex: `ac # opcode
          14 # tolerance 10b, WRITE=1, EXCEPT=00b
          00 00 00 00 # starting LBA
          00 00 # reserved
          00 01 # 1 descriptor
          00 # type 00h
          00`,
    build: () => m.buildGetPerformance({ type: "performance", write: true, maxDescriptors: 1 }),
    parse: m.parseGetPerformanceCdb,
    op: "getPerformance",
    params: { type: "performance", tolerance: 2, write: true, except: "nominal", startingLba: 0, maxDescriptors: 1 },
    direction: "in",
    dataInLength: 8 + 16,
  },
  {
    title: "GET PERFORMANCE, type 00h read performance, entire list with exceptions",
    hex: `ac 11 # tolerance 10b, WRITE=0, EXCEPT=01b
          00 00 10 00 # starting LBA 4096
          00 00 00 04 # 4 descriptors
          00 00`,
    build: () => m.buildGetPerformance({ type: "performance", except: "entire", startingLba: 4096, maxDescriptors: 4 }),
    parse: m.parseGetPerformanceCdb,
    op: "getPerformance",
    params: { type: "performance", tolerance: 2, write: false, except: "entire", startingLba: 4096, maxDescriptors: 4 },
    direction: "in",
    dataInLength: 8 + 64,
  },
  {
    title: "GET PERFORMANCE, type 03h write speed descriptors",
    hex: `ac 00 # data type reserved
          00 00 00 00 # starting LBA reserved
          00 00
          00 10 # 16 descriptors
          03 # type 03h
          00`,
    build: () => m.buildGetPerformance({ type: "writeSpeed", maxDescriptors: 16 }),
    parse: m.parseGetPerformanceCdb,
    op: "getPerformance",
    params: { type: "writeSpeed", maxDescriptors: 16 },
    direction: "in",
    dataInLength: 8 + 16 * 16,
  },
  {
    title: "SET CD SPEED, fastest read, 1765 kB/s write, CLV",
    hex: `bb # opcode
          00 # rotational control 00b CLV
          ff ff # read speed: maximum
          06 e5 # write speed 1765 kB/s (10x CD)
          00 00 00 00 00 # reserved
          00`,
    build: () => m.buildSetCdSpeed({ writeSpeed: 1765 }),
    parse: m.parseSetCdSpeedCdb,
    op: "setCdSpeed",
    params: { rotationalControl: "clv", readSpeed: 0xffff, writeSpeed: 1765 },
    direction: "none",
  },
  {
    title: "SET CD SPEED, pure CAV",
    hex: `bb 01 # pure CAV
          1b 90 # read 7056 kB/s
          ff ff # write max
          00 00 00 00 00 00`,
    build: () => m.buildSetCdSpeed({ rotationalControl: "pureCav", readSpeed: 7056 }),
    parse: m.parseSetCdSpeedCdb,
    op: "setCdSpeed",
    params: { rotationalControl: "pureCav", readSpeed: 7056, writeSpeed: 0xffff },
    direction: "none",
  },
  {
    title: "SET STREAMING, performance descriptor",
    hex: `b6 # opcode
          00 00 00 00 00 00 00 # reserved
          00 # type 00h performance descriptor
          00 1c # 28 bytes
          00`,
    build: () => m.buildSetStreaming(),
    parse: m.parseSetStreamingCdb,
    op: "setStreaming",
    params: { type: "performance", parameterListLength: 28 },
    direction: "out",
    dataOutLength: 28,
  },
  {
    title: "SET STREAMING, DBI cache zone",
    hex: `b6 00 00 00 00 00 00 00
          05 # type 05h
          00 08 # 8 bytes
          00`,
    build: () => m.buildSetStreaming({ type: "dbiCacheZone", parameterListLength: 8 }),
    parse: m.parseSetStreamingCdb,
    op: "setStreaming",
    params: { type: "dbiCacheZone", parameterListLength: 8 },
    direction: "out",
    dataOutLength: 8,
  },
  {
    title: "WRITE(10), 32 blocks at 1000h",
    hex: `2a # opcode
          00 # DPO=0 FUA=0
          00 00 10 00 # LBA 4096
          00
          00 20 # 32 blocks
          00`,
    build: () => m.buildWrite10({ lba: 0x1000, transferLength: 32 }),
    parse: m.parseWrite10Cdb,
    op: "write10",
    params: { lba: 0x1000, transferLength: 32, dpo: false, fua: false },
    direction: "out",
  },
  {
    title: "WRITE(10), FUA, with data",
    hex: `2a 08 # FUA=1
          00 00 00 00 00 00 01 00`,
    build: () => m.buildWrite10({ lba: 0, transferLength: 1, fua: true }, new Uint8Array(2048)),
    parse: m.parseWrite10Cdb,
    op: "write10",
    params: { lba: 0, transferLength: 1, dpo: false, fua: true },
    direction: "out",
  },
  {
    title: "WRITE(12), streaming",
    hex: `aa # opcode
          00
          00 00 00 00 # LBA 0
          00 00 00 10 # 16 blocks
          80 # STREAMING
          00`,
    build: () => m.buildWrite12({ lba: 0, transferLength: 16, streaming: true }),
    parse: m.parseWrite12Cdb,
    op: "write12",
    params: { lba: 0, transferLength: 16, dpo: false, fua: false, streaming: true },
    direction: "out",
  },
  {
    title: "WRITE AND VERIFY(10), BYTCHK",
    hex: `2e # opcode
          02 # DPO=0 BYTCHK=1
          00 00 00 10 # LBA 16
          00
          00 01 # 1 block
          00`,
    build: () => m.buildWriteAndVerify10({ lba: 16, transferLength: 1, bytchk: true }),
    parse: m.parseWriteAndVerify10Cdb,
    op: "writeAndVerify10",
    params: { lba: 16, transferLength: 1, dpo: false, bytchk: true },
    direction: "out",
  },
  {
    title: "VERIFY(10), medium check only",
    hex: `2f # opcode
          10 # DPO=1 BYTCHK=0
          00 00 00 00
          00
          01 00 # 256 blocks
          00`,
    build: () => m.buildVerify10({ lba: 0, transferLength: 256, dpo: true }),
    parse: m.parseVerify10Cdb,
    op: "verify10",
    params: { lba: 0, transferLength: 256, dpo: true, bytchk: false },
    direction: "none",
  },
  {
    title: "VERIFY(10), byte compare",
    hex: `2f 02 # BYTCHK=1
          00 00 00 20 00 00 02 00`,
    build: () => m.buildVerify10({ lba: 32, transferLength: 2, bytchk: true }, new Uint8Array(4096)),
    parse: m.parseVerify10Cdb,
    op: "verify10",
    params: { lba: 32, transferLength: 2, dpo: false, bytchk: true },
    direction: "out",
  },
  {
    title: "SYNCHRONIZE CACHE(10), IMMED",
    hex: `35 # opcode
          02 # IMMED=1
          00 00 00 00 # LBA 0
          00
          00 00 # all blocks
          00`,
    build: () => m.buildSynchronizeCache({ immed: true }),
    parse: m.parseSynchronizeCacheCdb,
    op: "synchronizeCache10",
    params: { immed: true, lba: 0, blocks: 0 },
    direction: "none",
  },
  {
    title: "SYNCHRONIZE CACHE(10), range",
    hex: `35 00 00 00 01 00 00 00 10 00`,
    build: () => m.buildSynchronizeCache({ lba: 256, blocks: 16 }),
    parse: m.parseSynchronizeCacheCdb,
    op: "synchronizeCache10",
    params: { immed: false, lba: 256, blocks: 16 },
    direction: "none",
  },
  {
    title: "RESERVE TRACK, size form",
    hex: `53 # opcode
          00 # RMZ=0 ARSV=0
          00 00 00 # reserved
          00 00 10 00 # reservation size 4096 blocks
          00`,
    build: () => m.buildReserveTrack({ form: "size", reservationSize: 4096 }),
    parse: m.parseReserveTrackCdb,
    op: "reserveTrack",
    params: { form: "size", rmz: false, reservationSize: 4096 },
    direction: "none",
  },
  {
    title: "RESERVE TRACK, RMZ",
    hex: `53 02 # RMZ=1
          00 00 00
          00 00 00 01 # 1
          00`,
    build: () => m.buildReserveTrack({ form: "size", rmz: true, reservationSize: 1 }),
    parse: m.parseReserveTrackCdb,
    op: "reserveTrack",
    params: { form: "size", rmz: true, reservationSize: 1 },
    direction: "none",
  },
  {
    title: "RESERVE TRACK, LBA form",
    hex: `53 01 # ARSV=1
          00 02 30 00 # LBA 23000h
          00 00 00 # reserved
          00`,
    build: () => m.buildReserveTrack({ form: "lba", lba: 0x23000 }),
    parse: m.parseReserveTrackCdb,
    op: "reserveTrack",
    params: { form: "lba", lba: 0x23000 },
    direction: "none",
  },
  {
    title: "CLOSE TRACK/SESSION, close track 1, IMMED",
    hex: `5b # opcode
          01 # IMMED=1
          01 # close function 001b
          00 # reserved
          00 01 # track 1
          00 00 00 # reserved
          00`,
    build: () => m.buildCloseTrackSession({ immed: true, closeFunction: "closeTrack", trackNumber: 1 }),
    parse: m.parseCloseTrackSessionCdb,
    op: "closeTrackSession",
    params: { immed: true, closeFunction: "closeTrack", trackNumber: 1 },
    direction: "none",
  },
  {
    title: "CLOSE TRACK/SESSION, finalize",
    hex: `5b 00 06 # close function 110b
          00 00 00 00 00 00 00`,
    build: () => m.buildCloseTrackSession({ closeFunction: "finalize" }),
    parse: m.parseCloseTrackSessionCdb,
    op: "closeTrackSession",
    params: { immed: false, closeFunction: "finalize", trackNumber: 0 },
    direction: "none",
  },
  {
    // growisofs ends DVD+RW de-icing this way before writing the lead-out with 010b.
    title: "CLOSE TRACK/SESSION, DVD+RW quick stop of background format, IMMED",
    hex: `5b 01 # IMMED=1
          00 # close function 000b
          00 00 00 00 00 00 00`,
    build: () => m.buildCloseTrackSession({ immed: true, closeFunction: "stopBackgroundFormatQuick" }),
    parse: m.parseCloseTrackSessionCdb,
    op: "closeTrackSession",
    params: { immed: true, closeFunction: "stopBackgroundFormatQuick", trackNumber: 0 },
    direction: "none",
  },
  {
    // What growisofs sends to finalise DVD+R DL and libburn to finalise DVD+R and DVD+R DL.
    title: "CLOSE TRACK/SESSION, finalize at the minimal radius, IMMED",
    hex: `5b 01 # IMMED=1
          05 # close function 101b
          00 00 00 00 00 00 00`,
    build: () => m.buildCloseTrackSession({ immed: true, closeFunction: "finalizeMinimalRadius" }),
    parse: m.parseCloseTrackSessionCdb,
    op: "closeTrackSession",
    params: { immed: true, closeFunction: "finalizeMinimalRadius", trackNumber: 0 },
    direction: "none",
  },
  {
    title: "BLANK, minimal, IMMED",
    hex: `a1 # opcode
          11 # IMMED=1, blanking type 001b
          00 00 00 00 # start address
          00 00 00 00 00 # reserved
          00`,
    build: () => m.buildBlank({ immed: true, blankingType: "minimal" }),
    parse: m.parseBlankCdb,
    op: "blank",
    params: { immed: true, blankingType: "minimal", startAddress: 0 },
    direction: "none",
  },
  {
    title: "BLANK, track 3",
    hex: `a1 02 # IMMED=0, type 010b
          00 00 00 03 # track number 3
          00 00 00 00 00 00`,
    build: () => m.buildBlank({ blankingType: "track", startAddress: 3 }),
    parse: m.parseBlankCdb,
    op: "blank",
    params: { immed: false, blankingType: "track", startAddress: 3 },
    direction: "none",
  },
  {
    title: "BLANK, track tail from LBA 5000h",
    hex: `a1 14 # IMMED=1, type 100b
          00 00 50 00 # LBA
          00 00 00 00 00 00`,
    build: () => m.buildBlank({ immed: true, blankingType: "trackTail", startAddress: 0x5000 }),
    parse: m.parseBlankCdb,
    op: "blank",
    params: { immed: true, blankingType: "trackTail", startAddress: 0x5000 },
    direction: "none",
  },
  {
    title: "FORMAT UNIT, FMTDATA, format code 001b",
    hex: `04 # opcode
          11 # FMTDATA=1 CMPLIST=0 format code 001b
          00 # vendor specific
          00 00 # interleave (obsolete)
          00`,
    build: () => m.buildFormatUnit(),
    parse: m.parseFormatUnitCdb,
    op: "formatUnit",
    params: { fmtData: true, cmpList: false, formatCode: 1 },
    direction: "out",
  },
  {
    title: "FORMAT UNIT, FMTDATA and CMPLIST, with a 12-byte list",
    hex: `04 19 # FMTDATA=1 CMPLIST=1 code 001b
          00 00 00 00`,
    build: () => m.buildFormatUnit({ cmpList: true }, new Uint8Array(12)),
    parse: m.parseFormatUnitCdb,
    op: "formatUnit",
    params: { fmtData: true, cmpList: true, formatCode: 1 },
    direction: "out",
  },
  {
    title: "START STOP UNIT, eject",
    hex: `1b # opcode
          00 # IMMED=0
          00 00 # reserved / power condition modifier
          02 # power condition 0h, LOEJ=1 START=0
          00`,
    build: () => m.buildStartStopUnit(m.START_STOP_ACTIONS.eject),
    parse: m.parseStartStopUnitCdb,
    op: "startStopUnit",
    params: { immed: false, powerCondition: "startValid", fl: false, loej: true, start: false },
    direction: "none",
  },
  {
    title: "START STOP UNIT, load, IMMED",
    hex: `1b 01 00 00
          03 # LOEJ=1 START=1
          00`,
    build: () => m.buildStartStopUnit({ immed: true, ...m.START_STOP_ACTIONS.load }),
    parse: m.parseStartStopUnitCdb,
    op: "startStopUnit",
    params: { immed: true, powerCondition: "startValid", fl: false, loej: true, start: true },
    direction: "none",
  },
  {
    title: "START STOP UNIT, standby power condition",
    hex: `1b 00 00 00
          30 # power condition 3h standby
          00`,
    build: () => m.buildStartStopUnit({ powerCondition: "standby" }),
    parse: m.parseStartStopUnitCdb,
    op: "startStopUnit",
    params: { immed: false, powerCondition: "standby", fl: false, loej: false, start: false },
    direction: "none",
  },
  {
    title: "START STOP UNIT, load selecting the format layer",
    hex: `1b 00 00 00
          07 # FL=1 LOEJ=1 START=1
          00`,
    build: () => m.buildStartStopUnit({ fl: true, loej: true, start: true }),
    parse: m.parseStartStopUnitCdb,
    op: "startStopUnit",
    params: { immed: false, powerCondition: "startValid", fl: true, loej: true, start: true },
    direction: "none",
  },
  {
    title: "PREVENT ALLOW MEDIUM REMOVAL, prevent",
    hex: `1e # opcode
          00 00 00 # reserved
          01 # PERSISTENT=0 PREVENT=1
          00`,
    build: () => m.buildPreventAllowMediumRemoval({ prevent: true }),
    parse: m.parsePreventAllowMediumRemovalCdb,
    op: "preventAllowMediumRemoval",
    params: { prevent: true, persistent: false },
    direction: "none",
  },
  {
    title: "PREVENT ALLOW MEDIUM REMOVAL, persistent prevent",
    hex: `1e 00 00 00
          03 # PERSISTENT=1 PREVENT=1
          00`,
    build: () => m.buildPreventAllowMediumRemoval({ prevent: true, persistent: true }),
    parse: m.parsePreventAllowMediumRemovalCdb,
    op: "preventAllowMediumRemoval",
    params: { prevent: true, persistent: true },
    direction: "none",
  },
  {
    title: "PREVENT ALLOW MEDIUM REMOVAL, allow (release persistent)",
    hex: `1e 00 00 00
          02 # PERSISTENT=1 PREVENT=0
          00`,
    build: () => m.buildPreventAllowMediumRemoval({ prevent: false, persistent: true }),
    parse: m.parsePreventAllowMediumRemovalCdb,
    op: "preventAllowMediumRemoval",
    params: { prevent: false, persistent: true },
    direction: "none",
  },
  {
    title: "MECHANISM STATUS",
    hex: `bd # opcode
          00 00 00 00 00 00 00 # reserved
          04 04 # 1028 bytes
          00 # reserved
          00`,
    build: () => m.buildMechanismStatus(),
    parse: m.parseMechanismStatusCdb,
    op: "mechanismStatus",
    params: { allocationLength: 1028 },
    direction: "in",
    dataInLength: 1028,
  },
  {
    title: "SEND OPC INFORMATION, DoOpc",
    hex: `54 # opcode
          01 # DOOPC=1
          00 # EXCLUDE1=0 EXCLUDE0=0
          00 00 00 00 # reserved
          00 00 # no parameter list
          00`,
    build: () => m.buildSendOpcInformation(),
    parse: m.parseSendOpcInformationCdb,
    op: "sendOpcInformation",
    params: { doOpc: true, exclude0: false, exclude1: false, parameterListLength: 0 },
    direction: "none",
  },
  {
    title: "SEND OPC INFORMATION, DoOpc excluding layer 1",
    hex: `54 01
          02 # EXCLUDE1=1
          00 00 00 00 00 00 00`,
    build: () => m.buildSendOpcInformation({ exclude1: true }),
    parse: m.parseSendOpcInformationCdb,
    op: "sendOpcInformation",
    params: { doOpc: true, exclude0: false, exclude1: true, parameterListLength: 0 },
    direction: "none",
  },
  {
    title: "SEND OPC INFORMATION, OPC table sent",
    hex: `54 00 # DOOPC=0
          01 # EXCLUDE0=1
          00 00 00 00
          00 08 # 8 bytes
          00`,
    build: () => m.buildSendOpcInformation({ doOpc: false, exclude0: true }, new Uint8Array(8)),
    parse: m.parseSendOpcInformationCdb,
    op: "sendOpcInformation",
    params: { doOpc: false, exclude0: true, exclude1: false, parameterListLength: 8 },
    direction: "out",
    dataOutLength: 8,
  },
  {
    title: "SEND CUE SHEET, 12 entries",
    hex: `5d # opcode
          00 00 00 00 00 # reserved
          00 00 60 # cue sheet size 96
          00`,
    build: () => m.buildSendCueSheet({ cueSheetSize: 96 }),
    parse: m.parseSendCueSheetCdb,
    op: "sendCueSheet",
    params: { cueSheetSize: 96 },
    direction: "out",
    dataOutLength: 96,
  },
];

describe("CDB golden vectors", () => {
  for (const v of V) {
    describe(v.title, () => {
      const cdb = fromHex(v.hex);
      it("builds the exact bytes and transfer", () => {
        const req = v.build();
        expect(toHex(req.cdb)).toBe(toHex(cdb));
        expect(req.direction).toBe(v.direction);
        expect(req.dataInLength).toBe(v.dataInLength);
        if (v.dataOutLength !== undefined) expect(req.dataOutLength).toBe(v.dataOutLength);
        expect(req.name).toBe(m.opcodeInfo(cdb[0]!)!.name === "SERVICE ACTION IN(16)" ? "READ CAPACITY(16)" : m.opcodeInfo(cdb[0]!)!.name);
      });
      it("parses back to the same parameters", () => {
        expect(v.parse(cdb)).toEqual(v.params);
      });
      it("decodes through the opcode table", () => {
        const d = m.decodeCdb(cdb);
        expect(d.op).toBe(v.op);
        expect(d.params).toEqual(v.params);
        expect(d.info.opcode).toBe(cdb[0]);
        const transfer = m.cdbTransfer(d);
        expect(transfer.direction).toBe(v.direction);
        if (v.dataInLength !== undefined) expect(transfer.length).toBe(v.dataInLength);
        if (v.dataOutLength !== undefined) expect(transfer.length).toBe(v.dataOutLength);
      });
      it("accepts ATAPI padding to 12 bytes and ignores vendor CONTROL bits", () => {
        const padded = new Uint8Array(Math.max(12, cdb.length));
        padded.set(cdb);
        padded[cdb.length - 1] = 0xc0; // vendor-specific bits 7-6 of CONTROL
        expect(v.parse(padded)).toEqual(v.params);
      });
    });
  }

  it("covers every decodable command", () => {
    const covered = new Set(V.map((v) => v.op));
    expect([...Object.keys(m.CDB_PARSERS)].filter((k) => !covered.has(k as m.DecodableOp))).toEqual([]);
  });

  it("names all eight close functions and every blanking type", () => {
    expect(m.CLOSE_FUNCTIONS.map((f) => f.code)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const f of m.CLOSE_FUNCTIONS) {
      if (f.name === "reserved") continue;
      const req = m.buildCloseTrackSession({ closeFunction: f.name, trackNumber: 2 });
      expect(toHex(req.cdb)).toBe(`5b000${f.code}00000200000000`);
      expect(m.parseCloseTrackSessionCdb(req.cdb)).toEqual({ immed: false, closeFunction: f.name, trackNumber: 2 });
    }
    for (const [name, code] of Object.entries(m.BLANKING_TYPE)) {
      const req = m.buildBlank({ blankingType: name as m.BlankingType, immed: true });
      expect(toHex(req.cdb)).toBe(`a11${code}000000000000000000000000`.slice(0, 24));
      expect(m.parseBlankCdb(req.cdb).blankingType).toBe(name);
    }
  });
});
