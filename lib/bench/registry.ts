import { powerFlowBench } from "./powerflow.bench";
import type { Benchmark } from "./types";
import { districtBench } from "./district.bench";
import { clearingBench } from "./clearing.bench";
import { opfBench } from "./opf.bench";
import { regionBench } from "./region.bench";
import { layoutBench } from "./layout.bench";
import { pqvBench } from "./pqv.bench";
import { coordBench } from "./coord.bench";
import { uploadConcurrencyBench } from "../server/upload-concurrency.bench";
import { loadBench } from "./load.bench";

/** One line per benchmark; each area adds its own. */
export const BENCHMARKS: Benchmark[] = [powerFlowBench, districtBench, clearingBench, opfBench, regionBench, pqvBench, coordBench, layoutBench, uploadConcurrencyBench, loadBench];
