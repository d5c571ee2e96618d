import { z } from "zod";

/** Text fields of the buildings upload form (the files are read separately). */
export const fromBuildingsFields = z.object({
  name: z.string().trim().max(120, "name: at most 120 characters").optional(),
  seed: z
    .string()
    .trim()
    .regex(/^-?\d{1,9}$/, "seed: expected an integer")
    .transform(Number)
    .optional(),
});

/** Accepted file names: GeoJSON (.geojson or .json). */
export const GEOJSON_FILE = /\.(geo)?json$/i;
