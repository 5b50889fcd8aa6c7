// Barrel for src/cdb: each module adds its export line here.
export {};
