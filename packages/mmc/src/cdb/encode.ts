/**
 * The inverse of decodeCdb(): builds the request a decoded CDB describes, through the same
 * validating builders. Used to re-issue or trace decoded commands, and by the completeness tests
 * (every decodable CDB rebuilds byte for byte, so no parser can silently drop a field).
 * Throws InvalidArgumentError for the few combinations a drive ignores but a builder refuses
 * (e.g. LoEj together with a power condition).
 */
import type { DecodedCdb } from "./decode.js";
import type { ScsiRequest } from "./request.js";
import { buildBlank } from "./blank.js";
import { buildCloseTrackSession } from "./close-track-session.js";
import { buildFormatUnit } from "./format-unit.js";
import { buildGetConfiguration } from "./get-configuration.js";
import { buildGetEventStatusNotification } from "./get-event-status-notification.js";
import { buildGetPerformance } from "./get-performance.js";
import { buildInquiry } from "./inquiry.js";
import { buildMechanismStatus } from "./mechanism-status.js";
import { buildModeSelect10, buildModeSelect6 } from "./mode-select.js";
import { buildModeSense10, buildModeSense6 } from "./mode-sense.js";
import { buildPreventAllowMediumRemoval } from "./prevent-allow-medium-removal.js";
import { buildRead10, buildRead12 } from "./read.js";
import { buildReadBufferCapacity } from "./read-buffer-capacity.js";
import { buildReadCapacity10, buildReadCapacity16 } from "./read-capacity.js";
import { buildReadCd } from "./read-cd.js";
import { buildReadCdMsf } from "./read-cd-msf.js";
import { buildReadDiscInformation } from "./read-disc-information.js";
import { buildReadDiscStructure } from "./read-disc-structure.js";
import { buildReadFormatCapacities } from "./read-format-capacities.js";
import { buildReadSubChannel } from "./read-sub-channel.js";
import { buildReadToc } from "./read-toc.js";
import { buildReadTrackInformation } from "./read-track-information.js";
import { buildReportLuns } from "./report-luns.js";
import { buildRequestSense } from "./request-sense.js";
import { buildReserveTrack } from "./reserve-track.js";
import { buildSeek10 } from "./seek.js";
import { buildSendCueSheet } from "./send-cue-sheet.js";
import { buildSendOpcInformation } from "./send-opc-information.js";
import { buildSetCdSpeed } from "./set-cd-speed.js";
import { buildSetStreaming } from "./set-streaming.js";
import { buildStartStopUnit } from "./start-stop-unit.js";
import { buildSynchronizeCache } from "./synchronize-cache.js";
import { buildTestUnitReady } from "./test-unit-ready.js";
import { buildVerify10, buildWriteAndVerify10 } from "./verify.js";
import { buildWrite10, buildWrite12 } from "./write.js";

export interface EncodeCdbOptions {
  /** Block size for the data length of READ(10)/(12); defaults to 2048. */
  readonly blockSize?: number;
  /** Bytes per sector for READ CD / READ CD MSF; defaults to 2352. */
  readonly bytesPerSector?: number;
}

export function encodeCdb(d: DecodedCdb, options: EncodeCdbOptions = {}): ScsiRequest {
  switch (d.op) {
    case "testUnitReady":
      return buildTestUnitReady();
    case "requestSense":
      return buildRequestSense(d.params);
    case "formatUnit":
      return buildFormatUnit(d.params);
    case "inquiry":
      return buildInquiry(d.params);
    case "modeSelect6":
      return buildModeSelect6(d.params);
    case "modeSense6":
      return buildModeSense6(d.params);
    case "startStopUnit":
      return buildStartStopUnit(d.params);
    case "preventAllowMediumRemoval":
      return buildPreventAllowMediumRemoval(d.params);
    case "readFormatCapacities":
      return buildReadFormatCapacities(d.params);
    case "readCapacity10":
      return buildReadCapacity10(d.params);
    case "read10":
      return buildRead10(d.params, { blockSize: options.blockSize ?? 2048 });
    case "write10":
      return buildWrite10(d.params);
    case "seek10":
      return buildSeek10(d.params);
    case "writeAndVerify10":
      return buildWriteAndVerify10(d.params);
    case "verify10":
      return buildVerify10(d.params);
    case "synchronizeCache10":
      return buildSynchronizeCache(d.params);
    case "readSubChannel":
      return buildReadSubChannel(d.params);
    case "readTocPmaAtip":
      return buildReadToc(d.params);
    case "getConfiguration":
      return buildGetConfiguration(d.params);
    case "getEventStatusNotification":
      return buildGetEventStatusNotification(d.params);
    case "readDiscInformation":
      return buildReadDiscInformation(d.params);
    case "readTrackInformation":
      return buildReadTrackInformation(d.params);
    case "reserveTrack":
      return buildReserveTrack(d.params);
    case "sendOpcInformation":
      return buildSendOpcInformation(d.params);
    case "modeSelect10":
      return buildModeSelect10(d.params);
    case "modeSense10":
      return buildModeSense10(d.params);
    case "closeTrackSession":
      return buildCloseTrackSession(d.params);
    case "readBufferCapacity":
      return buildReadBufferCapacity(d.params);
    case "sendCueSheet":
      return buildSendCueSheet(d.params);
    case "readCapacity16":
      return buildReadCapacity16(d.params);
    case "reportLuns":
      return buildReportLuns(d.params);
    case "blank":
      return buildBlank(d.params);
    case "read12":
      return buildRead12(d.params, { blockSize: options.blockSize ?? 2048 });
    case "write12":
      return buildWrite12(d.params);
    case "getPerformance":
      return buildGetPerformance(d.params);
    case "readDiscStructure":
      return buildReadDiscStructure(d.params);
    case "setStreaming":
      return buildSetStreaming(d.params);
    case "readCdMsf":
      return buildReadCdMsf(d.params, { bytesPerSector: options.bytesPerSector ?? 2352 });
    case "setCdSpeed":
      return buildSetCdSpeed(d.params);
    case "mechanismStatus":
      return buildMechanismStatus(d.params);
    case "readCd":
      return buildReadCd(d.params, { bytesPerSector: options.bytesPerSector ?? 2352 });
  }
}
