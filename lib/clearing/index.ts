export * from "./clear";
export * from "./milp";
export * from "./result";
export type { HighsLike } from "./solve";
export * from "./validate";
export * from "./dso";
export * from "./verified";
export * from "./verify-step";
