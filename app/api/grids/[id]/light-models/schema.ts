import { z } from "zod";

/** POST body: the light model and its key as the worker built them; both are checked in lib/server/dso-light-models.ts. */
export const lightModelUploadSchema = z.strictObject({
  lightModel: z.unknown(),
  key: z.unknown(),
  publish: z.boolean(),
});
