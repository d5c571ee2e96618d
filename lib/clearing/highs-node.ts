import loadHighs from "highs";
import type { HighsLike } from "./solve";

let instance: Promise<HighsLike> | null = null;

/** HiGHS (WebAssembly) in Node, loaded once per process. */
export function nodeHighs(): Promise<HighsLike> {
  instance ??= (loadHighs() as Promise<unknown>).then((h) => h as HighsLike);
  return instance;
}
