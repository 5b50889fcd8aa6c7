// Barrel for src/structures: each module adds its export line here.
export * from "./codec.js";
export * from "./mode-parameters.js";
export * from "./mode-page-error-recovery.js";
export * from "./mode-page-write-parameters.js";
export * from "./mode-page-power-condition.js";
export * from "./mode-page-timeout-protect.js";
export * from "./mode-page-capabilities.js";
export * from "../tables/mode-pages.js";
export * from "./disc-information.js";
export * from "./track-information.js";
