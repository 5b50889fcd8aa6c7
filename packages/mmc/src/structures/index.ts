// Barrel for src/structures: each module adds its export line here.
export {};
