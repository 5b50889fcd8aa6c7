/**
 * IMAPI result codes that discforge operations report alongside their own typed errors.
 *
 * Source: Microsoft IMAPI documentation (IDiscFormat2Data::Write return values, imapi2error.h
 * "IMAPI Return Values", IDiscMaster::RecordDisc / imapierror.h for IMAPI v1's IMAPI_E_*).
 * Values are HRESULTs as unsigned 32-bit numbers.
 */
export const IMAPI_CODES = {
  S_OK: { hresult: 0x00000000, text: "Success." },
  S_IMAPI_SPEEDADJUSTED: { hresult: 0x00aa0004, text: "The requested write speed was not supported by the drive and the speed was adjusted." },
  S_IMAPI_ROTATIONADJUSTED: { hresult: 0x00aa0005, text: "The requested rotation type was not supported by the drive and the rotation type was adjusted." },
  S_IMAPI_BOTHADJUSTED: { hresult: 0x00aa0006, text: "The requested write speed and rotation type were not supported by the drive and they were both adjusted." },
  E_IMAPI_BURN_VERIFICATION_FAILED: { hresult: 0xc0aa0007, text: "The disc failed verification after burning; its data may be corrupt or unreadable." },
  S_IMAPI_COMMAND_HAS_SENSE_DATA: { hresult: 0x00aa0200, text: "The device accepted the command but returned sense data describing an error." },
  E_IMAPI_REQUEST_CANCELLED: { hresult: 0xc0aa0002, text: "The request was canceled." },
  E_IMAPI_RECORDER_REQUIRED: { hresult: 0xc0aa0003, text: "The request requires a current disc recorder to be selected." },
  E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE: { hresult: 0xc0aa0201, text: "The device reported that the requested mode page (and type) is not present." },
  E_IMAPI_RECORDER_MEDIA_NO_MEDIA: { hresult: 0xc0aa0202, text: "There is no media in the device." },
  E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE: { hresult: 0xc0aa0203, text: "The media is not compatible or of unknown physical format." },
  E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN: { hresult: 0xc0aa0204, text: "The media is inserted upside down." },
  E_IMAPI_RECORDER_MEDIA_BECOMING_READY: { hresult: 0xc0aa0205, text: "The drive is in the process of becoming ready; try the request again later." },
  E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS: { hresult: 0xc0aa0206, text: "The media is currently being formatted." },
  E_IMAPI_RECORDER_MEDIA_BUSY: { hresult: 0xc0aa0207, text: "The drive is performing a long-running operation, such as finishing a write." },
  E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS: { hresult: 0xc0aa0208, text: "The drive does not support the combination of mode page parameters sent with MODE SELECT." },
  E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED: { hresult: 0xc0aa0209, text: "The media is write protected." },
  E_IMAPI_RECORDER_NO_SUCH_FEATURE: { hresult: 0xc0aa020a, text: "The device does not report the requested feature." },
  E_IMAPI_RECORDER_FEATURE_IS_NOT_CURRENT: { hresult: 0xc0aa020b, text: "The device supports the requested feature, but it is not current for the inserted media." },
  E_IMAPI_RECORDER_GET_CONFIGURATION_NOT_SUPPORTED: { hresult: 0xc0aa020c, text: "The device does not support GET CONFIGURATION." },
  E_IMAPI_RECORDER_COMMAND_TIMEOUT: { hresult: 0xc0aa020d, text: "The device failed to accept the command within the timeout period." },
  E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT: { hresult: 0xc0aa020e, text: "The DVD structure is not present." },
  E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH: { hresult: 0xc0aa020f, text: "The media's speed is incompatible with the device." },
  E_IMAPI_RECORDER_LOCKED: { hresult: 0xc0aa0210, text: "The device has been exclusively locked by another client." },
  E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID: { hresult: 0xc0aa0211, text: "The client name given for exclusive access is not valid." },
  E_IMAPI_RECORDER_MEDIA_NOT_FORMATTED: { hresult: 0xc0aa0212, text: "The media is not formatted." },
  E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE: { hresult: 0xc0aa02ff, text: "The device reported unexpected or invalid data for a command." },
  E_IMAPI_LOSS_OF_STREAMING: { hresult: 0xc0aa0300, text: "The drive did not receive data quickly enough to continue writing." },
  E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE: { hresult: 0xc0aa0301, text: "The drive returned error information that could not be recovered from." },
  S_IMAPI_WRITE_NOT_IN_PROGRESS: { hresult: 0x00aa0302, text: "No write operation is in progress." },
  E_IMAPI_DF2DATA_WRITE_IN_PROGRESS: { hresult: 0xc0aa0400, text: "There is currently a write operation in progress." },
  E_IMAPI_DF2DATA_WRITE_NOT_IN_PROGRESS: { hresult: 0xc0aa0401, text: "No write operation is in progress." },
  E_IMAPI_DF2DATA_INVALID_MEDIA_STATE: { hresult: 0xc0aa0402, text: "The media is in a state that does not allow this operation (e.g. closed, or not blank where blank is needed)." },
  E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED: { hresult: 0xc0aa0403, text: "The size of the data stream is invalid; it must be a multiple of 2048." },
  E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA: { hresult: 0xc0aa0404, text: "The data does not fit in the free space of the current media." },
  E_IMAPI_DF2DATA_MEDIA_NOT_BLANK: { hresult: 0xc0aa0405, text: "The operation needs blank media, and the media is not blank." },
  E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED: { hresult: 0xc0aa0406, text: "The current media type is unsupported." },
  E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED: { hresult: 0xc0aa0407, text: "This device does not support the operations required by this disc format." },
  E_IMAPI_DF2DATA_CLIENT_NAME_IS_NOT_VALID: { hresult: 0xc0aa0408, text: "The client name given for the data writer is not valid." },
  E_IMAPI_ERASE_RECORDER_IN_USE: { hresult: 0x80aa0900, text: "The recorder is in use by another application." },
  E_IMAPI_ERASE_ONLY_ONE_RECORDER_SUPPORTED: { hresult: 0x80aa0901, text: "Only one recorder can be erased at a time." },
  E_IMAPI_ERASE_DISC_INFORMATION_TOO_SMALL: { hresult: 0x80aa0902, text: "The drive returned less disc information than erasing needs." },
  E_IMAPI_ERASE_MODE_PAGE_2A_TOO_SMALL: { hresult: 0x80aa0903, text: "The drive returned a capabilities mode page (2Ah) shorter than erasing needs." },
  E_IMAPI_ERASE_MEDIA_IS_NOT_ERASABLE: { hresult: 0x80aa0904, text: "The media is not erasable." },
  E_IMAPI_ERASE_DRIVE_FAILED_ERASE_COMMAND: { hresult: 0x80aa0905, text: "The drive rejected or failed the BLANK command." },
  E_IMAPI_ERASE_TOOK_LONGER_THAN_ONE_HOUR: { hresult: 0x80aa0906, text: "Erasing did not finish within one hour." },
  E_IMAPI_ERASE_UNEXPECTED_DRIVE_RESPONSE_DURING_ERASE: { hresult: 0x80aa0907, text: "The drive answered unexpectedly while erasing." },
  E_IMAPI_ERASE_DRIVE_FAILED_SPINUP_COMMAND: { hresult: 0x80aa0908, text: "The drive failed to spin up the media after erasing." },
  E_IMAPI_ERASE_MEDIA_IS_NOT_SUPPORTED: { hresult: 0xc0aa0909, text: "The media type cannot be erased by this operation." },
  E_IMAPI_ERASE_RECORDER_NOT_SUPPORTED: { hresult: 0xc0aa090a, text: "The recorder does not support erasing." },
  E_IMAPI_ERASE_CLIENT_NAME_IS_NOT_VALID: { hresult: 0xc0aa090b, text: "The client name given for the eraser is not valid." },
  HRESULT_ERROR_INVALID_HANDLE: { hresult: 0x80070006, text: "The specified handle is invalid." },
  HRESULT_ERROR_DEV_NOT_EXIST: { hresult: 0x80070037, text: "The device is no longer available." },
  E_INVALIDARG: { hresult: 0x80070057, text: "One or more arguments are not valid." },
  E_POINTER: { hresult: 0x80004003, text: "Pointer is not valid." },
  E_FAIL: { hresult: 0x80004005, text: "Unspecified failure." },
  E_OUTOFMEMORY: { hresult: 0x8007000e, text: "Failed to allocate the required memory." },
  E_NOTIMPL: { hresult: 0x80004001, text: "Not implemented." },
  IMAPI_E_WRONGDISC: { hresult: 0x80040223, text: "The disc in the recorder is not the disc the operation started with." },
  IMAPI_E_USERABORT: { hresult: 0x8004020d, text: "The user cancelled the operation (IMAPI v1)." },
  IMAPI_E_DISCFULL: { hresult: 0x8004021c, text: "The disc has no room for the data (IMAPI v1)." },
  IMAPI_E_DEVICE_STILL_IN_USE: { hresult: 0x80040226, text: "Another application is using the device (IMAPI v1)." },
  IMAPI_E_LOSS_OF_STREAMING: { hresult: 0x80040227, text: "The drive ran out of data while writing (IMAPI v1)." },
  IMAPI_E_CANNOT_WRITE_TO_MEDIA: { hresult: 0x8004022c, text: "The media cannot be written (IMAPI v1)." },
} as const satisfies Record<string, { hresult: number; text: string }>;

export type ImapiCodeName = keyof typeof IMAPI_CODES;

export interface ImapiCode {
  readonly name: ImapiCodeName;
  readonly hresult: number;
}

export function imapiCode(name: ImapiCodeName): ImapiCode {
  return { name, hresult: IMAPI_CODES[name].hresult };
}

/** "0xC0AA0202" */
export function formatHresult(hresult: number): string {
  return "0x" + (hresult >>> 0).toString(16).toUpperCase().padStart(8, "0");
}
