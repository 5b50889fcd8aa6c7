/**
 * Tiny boot programs whose only job is to prove that firmware found and ran what our images
 * point at: each prints a marker (COM1 at 3F8h, plus BIOS int 10h or UEFI ConOut) and halts.
 * Hand-assembled; the byte comments give the instructions.
 */
import { buildPe32Plus, PE_MACHINES, PE_SUBSYSTEMS } from "../../src/boot/index.js";

function ascii(text: string): number[] {
  return [...text].map((c) => c.charCodeAt(0));
}

/**
 * An El Torito no-emulation image (16-bit real mode; 2048 bytes unless `codeOffset` moves the
 * program further in). It jumps over bytes 8-63 so a
 * boot info table can be patched in, finds its own address with call/pop (it runs from 07C0:0000,
 * 0000:7C00 or wherever an MBR chain-loads it), writes `marker` to COM1, then once more through
 * int 10h (which SeaBIOS mirrors to the serial console), and idles in hlt.
 */
export function biosBootImage(marker: string, options: { readonly codeOffset?: number } = {}): Uint8Array {
  const at = options.codeOffset ?? 0x40;
  const out = new Uint8Array(Math.ceil((at + 0x100) / 2048) * 2048);
  out.set([0xeb, 0x3e], 0x00); // jmp short 40h
  // With a codeOffset, 40h jumps there: the program only runs when that much of the image is loaded.
  if (at !== 0x40) out.set([0xe9, (at - 0x43) & 0xff, (at - 0x43) >> 8], 0x40); // jmp near codeOffset
  const code = [
    0x0e, // 40: push cs
    0x1f, // 41: pop ds
    0xfc, // 42: cld
    0xe8, 0x00, 0x00, // 43: call 46h
    0x5e, // 46: pop si            ; si = offset of 46h
    0x83, 0xc6, 0x2a, // 47: add si, 2Ah   ; si = message at 70h
    0x56, // 4A: push si
    0xac, // 4B: lodsb             ; pass 1: COM1
    0x84, 0xc0, // 4C: test al, al
    0x74, 0x06, // 4E: jz 56h
    0xba, 0xf8, 0x03, // 50: mov dx, 3F8h
    0xee, // 53: out dx, al
    0xeb, 0xf5, // 54: jmp 4Bh
    0x5e, // 56: pop si
    0xac, // 57: lodsb             ; pass 2: BIOS teletype
    0x84, 0xc0, // 58: test al, al
    0x74, 0x09, // 5A: jz 65h
    0xb4, 0x0e, // 5C: mov ah, 0Eh
    0xbb, 0x07, 0x00, // 5E: mov bx, 7
    0xcd, 0x10, // 61: int 10h
    0xeb, 0xf2, // 63: jmp 57h
    0xfb, // 65: sti               ; keep timer interrupts: SeaBIOS flushes its serial console on them
    0xf4, // 66: hlt
    0xeb, 0xfd, // 67: jmp 66h
  ];
  // Offsets in the comments are for codeOffset 40h; the code is position independent.
  out.set(code, at);
  out.set([...ascii(marker), 0x0d, 0x0a, 0], at + 0x30);
  out[510] = 0x55;
  out[511] = 0xaa;
  return out;
}

/**
 * 432 bytes of MBR boot code in the isohybrid convention: reads 4 blocks from the LBA stored at
 * byte 432 (the El Torito boot image, in 512-byte blocks) with int 13h AH=42h to 0800:0000,
 * prints `marker`, then jumps there. Proves the hybrid MBR's boot image address is right.
 */
export function mbrChainTemplate(marker: string): Uint8Array {
  const out = new Uint8Array(432);
  const code = [
    0xfa, // 00: cli
    0x31, 0xc0, // 01: xor ax, ax
    0x8e, 0xd8, // 03: mov ds, ax
    0x8e, 0xd0, // 05: mov ss, ax
    0xbc, 0x00, 0x7c, // 07: mov sp, 7C00h
    0xfb, // 0A: sti
    0xfc, // 0B: cld
    0xa1, 0xb0, 0x7d, // 0C: mov ax, [7DB0h]   ; LBA bits 0-15 (MBR byte 432)
    0xa3, 0x48, 0x7c, // 0F: mov [7C48h], ax   ; DAP.lba
    0xa1, 0xb2, 0x7d, // 12: mov ax, [7DB2h]
    0xa3, 0x4a, 0x7c, // 15: mov [7C4Ah], ax
    0xbe, 0x40, 0x7c, // 18: mov si, 7C40h     ; DAP (DL still holds the boot drive)
    0xb4, 0x42, // 1B: mov ah, 42h
    0xcd, 0x13, // 1D: int 13h          ; extended read
    0x72, 0x13, // 1F: jc 34h
    0xbe, 0x50, 0x7c, // 21: mov si, 7C50h     ; message
    0xac, // 24: lodsb
    0x84, 0xc0, // 25: test al, al
    0x74, 0x06, // 27: jz 2Fh
    0xba, 0xf8, 0x03, // 29: mov dx, 3F8h
    0xee, // 2C: out dx, al         ; COM1
    0xeb, 0xf5, // 2D: jmp 24h
    0xea, 0x00, 0x00, 0x00, 0x08, // 2F: jmp 0800h:0000h
    0xfa, // 34: cli
    0xf4, // 35: hlt
    0xeb, 0xfd, // 36: jmp 35h
  ];
  out.set(code, 0);
  // 40h: disk address packet: size 16, 4 blocks, to 0800:0000, LBA filled in at run time.
  out.set([0x10, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x08], 0x40);
  out.set([...ascii(marker), 0x0d, 0x0a, 0], 0x50);
  return out;
}

/**
 * A PE32+ x64 EFI application: ConOut->OutputString(ConOut, marker) through the system table
 * (EFI_SYSTEM_TABLE.ConOut at offset 40h, OutputString at offset 8 of the protocol), then a
 * tight loop. MS x64 calling convention: RCX = ImageHandle, RDX = SystemTable.
 */
export function efiMarkerApp(marker: string): Uint8Array {
  const code = [
    0x48, 0x83, 0xec, 0x28, // 00: sub rsp, 28h          ; shadow space + alignment
    0x48, 0x8b, 0x4a, 0x40, // 04: mov rcx, [rdx+40h]    ; SystemTable->ConOut
    0x48, 0x8d, 0x15, 0x05, 0x00, 0x00, 0x00, // 08: lea rdx, [rip+5] ; message at 14h
    0xff, 0x51, 0x08, // 0F: call [rcx+8]                ; OutputString
    0xeb, 0xfe, // 12: jmp 12h
  ];
  const text = `${marker}\r\n`;
  const message: number[] = [];
  for (const ch of text) message.push(ch.charCodeAt(0) & 0xff, ch.charCodeAt(0) >> 8);
  message.push(0, 0);
  return buildPe32Plus({ text: Uint8Array.from([...code, ...message]), entryOffset: 0, machine: PE_MACHINES.x64, subsystem: PE_SUBSYSTEMS.efiApplication });
}

/**
 * A 2048-byte no-emulation image that prints `marker`, then "SEG=" and the paragraph it was
 * loaded at (CS + (IP of its first byte >> 4), in hex) on COM1: 07C0 for the default load
 * segment whether the firmware enters at 07C0:0000 or 0000:7C00, else the catalog's segment.
 */
export function biosSegmentProbe(marker: string): Uint8Array {
  const out = new Uint8Array(2048);
  out.set([0xeb, 0x3e], 0x00); // jmp short 40h
  const code = [
    0x0e, // 40: push cs
    0x1f, // 41: pop ds
    0xfc, // 42: cld
    0xe8, 0x00, 0x00, // 43: call 46h
    0x5e, // 46: pop si            ; si = IP of 46h
    0x89, 0xf3, // 47: mov bx, si
    0x83, 0xeb, 0x46, // 49: sub bx, 46h      ; IP of the image's first byte
    0xc1, 0xeb, 0x04, // 4C: shr bx, 4
    0x8c, 0xc8, // 4F: mov ax, cs
    0x01, 0xc3, // 51: add bx, ax          ; load paragraph
    0x83, 0xc6, 0x4a, // 53: add si, 4Ah      ; message at 90h
    0xac, // 56: lodsb
    0x84, 0xc0, // 57: test al, al
    0x74, 0x06, // 59: jz 61h
    0xba, 0xf8, 0x03, // 5B: mov dx, 3F8h
    0xee, // 5E: out dx, al
    0xeb, 0xf5, // 5F: jmp 56h
    0xb9, 0x04, 0x00, // 61: mov cx, 4
    0xc1, 0xc3, 0x04, // 64: rol bx, 4          ; next hex digit into the low nibble
    0x88, 0xd8, // 67: mov al, bl
    0x24, 0x0f, // 69: and al, 0Fh
    0x04, 0x30, // 6B: add al, '0'
    0x3c, 0x39, // 6D: cmp al, '9'
    0x76, 0x02, // 6F: jbe 73h
    0x04, 0x07, // 71: add al, 7            ; 'A'-'F'
    0xba, 0xf8, 0x03, // 73: mov dx, 3F8h
    0xee, // 76: out dx, al
    0xe2, 0xeb, // 77: loop 64h
    0xb0, 0x0d, // 79: mov al, 0Dh
    0xee, // 7B: out dx, al
    0xb0, 0x0a, // 7C: mov al, 0Ah
    0xee, // 7E: out dx, al
    0xfb, // 7F: sti
    0xf4, // 80: hlt
    0xeb, 0xfd, // 81: jmp 80h
  ];
  out.set(code, 0x40);
  out.set([...ascii(`${marker} SEG=`), 0], 0x90);
  return out;
}
