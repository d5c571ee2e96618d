export * from "./bids";
export * from "./default-bids";
export * from "./aggregated";
export * from "./bcm";
