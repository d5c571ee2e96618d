import "server-only";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { StudyCases } from "@/solver-worker/protocol";
import { ApiError } from "./api-error";

/**
 * The four MATPOWER cases of the 29-feeder study (case30 and the feeders case10ba, case33mg,
 * case118zh), read from ../shared/cases/matpower beside the project (or FLEX_SHARED_DIR):
 * public test data the project does not copy into its tree. They are the same for every
 * TSO and carry nothing of any operator's grid.
 */
function studyCasesDir(env: Record<string, string | undefined> = process.env): string {
  return join(env.FLEX_SHARED_DIR ?? resolve(process.cwd(), "..", "shared"), "cases", "matpower");
}

export async function readStudyCases(env: Record<string, string | undefined> = process.env): Promise<StudyCases> {
  const dir = studyCasesDir(env);
  const read = async (name: string) => {
    try {
      return await readFile(join(dir, `${name}.m`), "utf8");
    } catch {
      throw new ApiError("not_found", `the study's MATPOWER case ${name}.m is not installed on this server (looked in ${dir}; set FLEX_SHARED_DIR)`);
    }
  };
  const [transmission, case10ba, case33mg, case118zh] = await Promise.all(["case30", "case10ba", "case33mg", "case118zh"].map(read));
  return { transmission, case10ba, case33mg, case118zh };
}
