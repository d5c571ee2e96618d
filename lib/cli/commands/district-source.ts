import type { Network } from "../../grid";
import { numberOption } from "../args";

/** The options of commands that accept --district [--seed N] [--buildings N]. */
export const DISTRICT_OPTIONS = {
  district: { type: "boolean" },
  seed: { type: "string" },
  buildings: { type: "string" },
} as const;

/** The generated district as a Network, for commands that accept --district. */
export async function loadDistrictNetwork(seed?: string, buildings?: string): Promise<Network> {
  const { generateDistrict } = await import("../../district");
  const s = numberOption(seed, "seed", (v) => (!Number.isInteger(v) ? "must be an integer" : null));
  const b = numberOption(buildings, "buildings", (v) => (!Number.isInteger(v) || v < 1 ? "must be a positive integer" : null));
  return generateDistrict({ seed: s, buildings: b }).network;
}
