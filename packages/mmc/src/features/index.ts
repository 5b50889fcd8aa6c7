// Barrel for src/features: each module adds its export line here.
export {};
