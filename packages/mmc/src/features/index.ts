// Barrel for src/features: identification (INQUIRY, VPD) and configuration (GET CONFIGURATION,
// events, mechanism status) codecs, plus the feature/profile/inquiry tables they use.
export * from "../tables/features.js";
export * from "../tables/profiles.js";
export * from "../tables/inquiry.js";
export * from "./inquiry.js";
export * from "./vpd.js";
export * from "./feature-descriptors.js";
export * from "./configuration.js";
export * from "./event-status.js";
export * from "./mechanism-status.js";
export * from "./media.js";
