// Barrel for src/sense: each module adds its export line here.
export * from "./sense-data.js";
export * from "./asc-lookup.js";
export * from "./classify.js";
export * from "./imapi.js";
export * from "./error.js";
export * from "./explain.js";
export * from "../tables/asc.js";
export * from "../tables/sense-keys.js";
export * from "../tables/sense-descriptors.js";
export * from "../tables/sense-classes.js";
export * from "../tables/imapi-map.js";
