// Barrel for src/sense: each module adds its export line here.
export {};
