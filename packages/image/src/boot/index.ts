/**
 * The boot side of an image: El Torito (boot record, catalog, boot info table), hybrid MBR/GPT
 * layouts for USB boot, and the small builders a bootable image needs (FAT12/16 EFI system
 * partitions, PE32+ EFI applications).
 *
 * Entry points: `bootExtension(image, options)` joins the planner (`planImage(image,
 * { extensions: [...] })`); `planElTorito` and `layoutHybrid` are the writer-independent
 * planners; `inspectBoot` reads the same structures back; the `*Codec` constants are the
 * byte-level codecs.
 */
export * from "./crc32.js";
export * from "./guid.js";
export * from "./boot-record.js";
export * from "./boot-catalog.js";
export * from "./boot-info-table.js";
export * from "./mbr.js";
export * from "./gpt.js";
export * from "./hybrid.js";
export * from "./eltorito.js";
export * from "./fat.js";
export * from "./pe32.js";
export * from "./extension.js";
export * from "./inspect.js";
export * from "./cli-options.js";
