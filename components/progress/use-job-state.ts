"use client";

import { useCallback, useEffect, useMemo, useState } from "react";
import { latestOnly } from "@/lib/client/latest-only";

/** How often a running job's progress reaches the page at most, ms. */
const PROGRESS_INTERVAL_MS = 100;

/**
 * A job's state with two setters: `setJob` for the steps the page must show at once (start,
 * result, failure), and `report` for progress, which reaches the page at most every
 * PROGRESS_INTERVAL_MS. `setJob` drops a report still waiting, so a late progress never
 * overwrites the result.
 */
export function useJobState<Job>(initial: Job) {
  const [job, setState] = useState<Job>(initial);
  const throttled = useMemo(() => latestOnly((j: Job) => setState(j), PROGRESS_INTERVAL_MS), []);
  useEffect(() => () => throttled.drop(), [throttled]);
  const setJob = useCallback(
    (j: Job) => {
      throttled.drop();
      setState(j);
    },
    [throttled],
  );
  return { job, setJob, report: throttled.call };
}
