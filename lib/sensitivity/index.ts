export * from "./locations";
export * from "./compute";
export * from "./light-model";
export * from "./accuracy";
