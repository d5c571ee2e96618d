import type { StudyCases } from "@/solver-worker/protocol";
import { json } from "./api";

/** The MATPOWER texts of the 29-feeder study (TSO only). */
export async function fetchStudyCases(signal?: AbortSignal): Promise<StudyCases> {
  return (await json<{ cases: StudyCases }>(await fetch("/api/tso/study/cases", { signal }))).cases;
}
