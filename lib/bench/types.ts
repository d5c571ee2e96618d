/** One benchmark: prints its own lines (rates, ratios), returns figures for the summary. */
export interface Benchmark {
  name: string;
  /** Whether it needs ../shared (MATPOWER cases and references). */
  needsShared?: boolean;
  run(log: (line: string) => void): Promise<Record<string, number>> | Record<string, number>;
}
