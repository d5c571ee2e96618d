export * from "./bids";
export * from "./default-bids";
