/**
 * lib/sensitivity/light-model.ts encodes matrices with Node's Buffer when it exists
 * (`typeof Buffer !== "undefined"`) and with btoa/atob otherwise, as in this worker.
 * The worker's type check has no Node types: this declares just the part it uses,
 * as possibly absent, so the feature test type-checks and nothing else can use it.
 */
declare const Buffer:
  | {
      from(data: ArrayBufferLike, byteOffset: number, length: number): { toString(encoding: "base64"): string };
      from(data: string, encoding: "base64"): ArrayLike<number>;
    }
  | undefined;
