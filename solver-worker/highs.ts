import highsLoader, { type Highs } from "highs";

let locateFile: ((file: string) => string) | undefined;
let instance: Promise<Highs> | null = null;

/** Where the browser finds highs.wasm (the worker entry sets "/" + file; Node needs nothing). */
export function configureHighs(opts: { locateFile?: (file: string) => string }): void {
  if (instance) throw new Error("configureHighs must be called before HiGHS is first loaded");
  locateFile = opts.locateFile;
}

/** HiGHS, instantiated once per worker on first use and reused afterwards. */
export function loadHighs(): Promise<Highs> {
  instance ??= highsLoader(locateFile ? { locateFile } : {}).catch((e: unknown) => {
    instance = null;
    throw new Error(`HiGHS (highs.wasm) could not be loaded: ${(e as Error)?.message ?? String(e)}`);
  });
  return instance;
}

export function isHighsLoaded(): boolean {
  return instance !== null;
}
