/** POST body: the light model and its key as the worker built them; both are checked in lib/server/dso-light-models.ts. */
export { lightModelUploadSchema } from "@/lib/server/dso-light-models";
