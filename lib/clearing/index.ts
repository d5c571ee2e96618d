export * from "./clear";
export * from "./milp";
export * from "./validate";
export * from "./dso";
export * from "./verified";
export * from "./verify-step";
