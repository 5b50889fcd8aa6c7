export * from "./cdb/index.js";
export * from "./sense/index.js";
export * from "./features/index.js";
export * from "./structures/index.js";
