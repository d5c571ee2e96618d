import { z } from "zod";

/** PATCH body: the grid's new name (one line; unique among published grids while published). */
export const renameGridSchema = z.strictObject({
  name: z.string().min(1, "enter a name").max(400),
});
