export * from "./int.js";
export * from "./text.js";
export * from "./bcd.js";
export * from "./cursor.js";
export * from "./hex.js";
export * from "./crc.js";
