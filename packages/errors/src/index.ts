export * from "./errors.js";
export * from "./imapi.js";
