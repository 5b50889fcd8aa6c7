export * from "./types.js";
export * from "./validate.js";
export * from "./errors.js";
export * from "./queue.js";
