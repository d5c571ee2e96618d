/**
 * Limits of every importer, in one place (README "Limits on uploads"). Each is checked
 * before the importer allocates what it guards, and a file beyond one is refused with
 * the importer's typed error naming the line (or field) and the limit. The numbers
 * leave room above what the platform handles (case1354pegase, the 60,000-bus synthetic
 * feeder, districts of 5,000 buildings); they exist to stop a small hostile file from
 * costing gigabytes or seconds. Pure constants: the browser's forms read them too.
 */

const MB = 1024 * 1024;

/** Grid uploads: MATPOWER case (.m) or project network JSON (.json), bytes (20 MB). */
export const MAX_GRID_FILE_BYTES = 20 * MB;

/** MATPOWER evaluator (lib/grid/matlab). */
export const MATPOWER_LIMITS = {
  /** The file itself; the same as the upload limit. */
  fileBytes: MAX_GRID_FILE_BYTES,
  /** Statements in the file (case files have a few dozen; one per line at most). */
  statements: 200_000,
  /** Elements of one matrix or cell array (5 million: 40 MB; a 70,000-bus case's branch table is ~1.2 million). */
  matrixElements: 5_000_000,
  /** Elements allocated over the whole evaluation, every intermediate result counted (20 million: 160 MB in total; a 70,000-bus case needs a few million). */
  totalElements: 20_000_000,
  /** Element operations over the whole evaluation (products count rows·inner·cols): about a second of work. */
  operations: 50_000_000,
  /** Nesting of parentheses, brackets, braces, argument lists and unary signs in one expression. */
  nestingDepth: 100,
  /** Depth of one expression's syntax tree (a chain a+b+c+… counts each operator). */
  expressionDepth: 500,
  /** Syntax-tree nodes of one statement (numbers of a plain numeric matrix are not nodes). */
  statementNodes: 1_000_000,
  /** Characters of one string (a bus name). */
  stringLength: 4096,
  /** Characters of one name or number literal. */
  tokenLength: 256,
};

export type MatpowerLimits = typeof MATPOWER_LIMITS;

/** Project network JSON (lib/grid/json.ts). */
export const GRID_JSON_LIMITS = {
  fileBytes: MAX_GRID_FILE_BYTES,
  /** Nesting of arrays and objects (the format needs 5: a branch's geometry). */
  nestingDepth: 32,
  /** Entries of one array (buses, branches, a line's geometry …). */
  arrayLength: 1_000_000,
  /** Characters of one string (names, ids). */
  stringLength: 4096,
};

/** GeoJSON buildings and streets for a generated district (lib/district/geojson.ts). */
export const GEOJSON_LIMITS = {
  fileBytes: MAX_GRID_FILE_BYTES,
  /** Features of one file (the builder connects at most 5,000 buildings). */
  features: 20_000,
  /** Nesting of arrays and objects (a MultiPolygon's positions sit at depth 7). */
  nestingDepth: 32,
  /** Positions of one ring or line. */
  arrayLength: 100_000,
  /** Positions of the whole file. */
  positions: 2_000_000,
  stringLength: 4096,
};

/** Bids and aggregators' portfolios, CSV or JSON (lib/market/bids.ts, aggregated.ts). */
export const BID_LIMITS = {
  /** A portfolio file (5 MB: about 50,000 asset rows). */
  fileBytes: 5 * MB,
  /** Data rows of a CSV file, or bids of a JSON file. */
  rows: 100_000,
  /** Fields of one CSV line. */
  fieldsPerLine: 64,
  /** Characters of one CSV line. */
  lineLength: 16_384,
  /** Assets of one aggregated bid. */
  assetsPerBid: 10_000,
  nestingDepth: 16,
  arrayLength: 100_000,
  stringLength: 1024,
};

/** Light models with their keys (lib/sensitivity/light-model.ts). */
export const LIGHT_MODEL_LIMITS = {
  /** The JSON body of an upload (256 MB, as lib/server/request.ts). */
  fileBytes: 256 * MB,
  /** Operating points of one model. */
  operatingPoints: 1024,
  /** Flexibility locations, monitored buses or monitored branches. */
  ids: 200_000,
  /** Elements of one sensitivity matrix (16 million: 128 MB decoded). */
  matrixElements: 16_000_000,
  /** Elements of all matrices of one model together (32 million: 256 MB decoded). */
  totalElements: 32_000_000,
  nestingDepth: 16,
  /** Characters of one id or label (the base64 matrix data is bounded by matrixElements). */
  stringLength: 1024,
};

/** Published PQ / PQV regions (lib/regions/published.ts; the schema caps polygon and half-spaces). */
export const REGION_LIMITS = {
  /** The JSON body (8 MB). */
  fileBytes: 8 * MB,
  nestingDepth: 16,
  arrayLength: 20_000,
  stringLength: 1024,
};

/** Upload parsing and other heavy server work in the worker pool (lib/server/pool). */
export const POOL_LIMITS = {
  /** An upload's parsing running longer on its thread is stopped and the thread terminated, ms (the wait for a thread is not counted). */
  taskTimeoutMs: 10_000,
  /** A task that waited this long for a thread (behind BCM runs, say) is taken off the queue and answered 503, ms. */
  queueWaitMs: 60_000,
  /** The same for a BCM run, whose MILP (and, when infeasible, the deliverable maximum) legitimately takes seconds, ms. */
  bcmTimeoutMs: 120_000,
  /** Tasks waiting for a thread beyond this are refused (429) rather than queued. */
  maxQueue: 64,
  /** Heap of one worker thread, MB (typed arrays are bounded by the importers' element limits). */
  maxOldGenerationSizeMb: 2048,
};

/** `12,345` for messages. */
export function formatCount(n: number): string {
  return n.toLocaleString("en");
}

/** `20 MB`, `64 KB`, `900 bytes` for messages. */
export function formatBytes(n: number): string {
  if (n >= MB) return `${+(n / MB).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}
