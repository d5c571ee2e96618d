import "server-only";
import { buildGridFromBuildings, DistrictInputError, parseBuildingsGeoJson, parseStreetsGeoJson, type StreetInput } from "../../district";
import { describeGridError, detectGridFormat, parseGridFile, writeNetworkJson } from "../../grid";
import { parseAggregatedBidsFile, type AggregatedBid } from "../../market";
import type { LightModel } from "../../sensitivity/light-model";
import { computeBcmRun, type BcmRunInput, type BcmRunOutput } from "../bcm-run";
import { prepareLightModelUpload } from "../dso-light-models";
import { decodeSharedText, type SharedText } from "../db-text";
import { prepareTransmissionGrid } from "../coordination";
import { registriesOf, rowsFromShared, sidesFromRows, type SharedSideRow } from "../market";
import { marketOfRows, type StoredPortfolioRow } from "../market-bids";
import { aggregatorDemoMap, relinearizeOnSide, tsoDemoMap, validateOnSide, type AggregatorDemoMapInput, type RelinearizeInput, type TsoDemoMapInput, type ValidationInput } from "../tso-side";
import { ApiError } from "../api-error";
import { parsePortfolioUpload } from "../portfolio-upload";
import { fileFromMultipart, GRID_UPLOAD } from "../upload";

/**
 * The CPU-heavy server work that runs in the worker pool (lib/server/pool), one pure
 * function per task: input and output cross the thread boundary by structured clone,
 * so both are plain data. Anything touching the database stays on the request side.
 * A task throws the importer's typed error for bad input; the pool rebuilds it on the
 * other side (see worker-entry.ts), so callers catch the same classes as before.
 */

export interface ParsedGrid {
  name: string;
  sourceFormat: "matpower" | "json";
  busCount: number;
  branchCount: number;
  fpuCount: number;
  /**
   * The network as stored (project JSON), serialized in the worker too, as UTF-8 bytes: they
   * come back by transfer (worker-entry.ts), and go on to the SQLite writer thread the same way
   * (lib/db/sqlite-writer.ts), so the request thread never copies the text (a 10 MB string
   * posted between threads costs it 80–160 ms).
   */
  networkUtf8: Uint8Array<ArrayBuffer>;
}

export const TASKS = {
  /** A grid upload (.m or .json), parsed and validated, and serialized for storage. */
  parseGrid(input: { fileName: string; text: string }): ParsedGrid {
    const net = parseGridFile(input.fileName, input.text);
    return {
      name: net.name,
      sourceFormat: detectGridFormat(input.fileName, input.text),
      busCount: net.buses.length,
      branchCount: net.branches.length,
      fpuCount: net.fpus.length,
      networkUtf8: new TextEncoder().encode(writeNetworkJson(net)),
    };
  },

  /** parseGrid of a file given as UTF-8 bytes (transferred: the caller's thread does not copy the text). */
  parseGridBytes(input: { fileName: string; utf8: Uint8Array<ArrayBuffer> }): ParsedGrid {
    return TASKS.parseGrid({ fileName: input.fileName, text: new TextDecoder().decode(input.utf8) });
  },

  /**
   * A grid upload's raw multipart body (transferred): the form parsed, the file decoded
   * as UTF-8 and imported — a 20 MB body costs the request thread nothing but the copy.
   * Each refusal is an ApiError naming the file.
   */
  async gridUpload(input: { body: Uint8Array<ArrayBuffer>; contentType: string }): Promise<ParsedGrid & { fileName: string; displayName: string }> {
    const upload = await fileFromMultipart(input.body, input.contentType, GRID_UPLOAD);
    if (!upload.text.trim()) throw new ApiError("bad_request", `${upload.fileName}: the file is empty`);
    try {
      const parsed = TASKS.parseGrid({ fileName: upload.fileName, text: upload.text });
      return { ...parsed, fileName: upload.fileName, displayName: upload.name?.trim() || parsed.name };
    } catch (e) {
      throw new ApiError("bad_request", `${upload.fileName}: ${describeGridError(e)}`);
    }
  },

  /** The TSO's transmission grid upload (raw multipart body, transferred): imported and checked for coordination. */
  async transmissionGridUpload(input: { body: Uint8Array<ArrayBuffer>; contentType: string }) {
    return prepareTransmissionGrid(await fileFromMultipart(input.body, input.contentType, GRID_UPLOAD));
  },

  /** A portfolio upload's raw multipart body (transferred): form, encoding and the bids, each refusal an ApiError naming the file. */
  portfolioUpload(input: { body: Uint8Array<ArrayBuffer>; contentType: string }) {
    return parsePortfolioUpload(input.body, input.contentType);
  },

  /** GeoJSON buildings (and streets) to a generated district grid; an input error names the file (or the build) it came from. */
  buildDistrict(input: { buildings: { fileName: string; text: string }; streets: { fileName: string; text: string } | null; seed: number; name?: string }): {
    networkUtf8: Uint8Array<ArrayBuffer>;
    busCount: number;
    branchCount: number;
    fpuCount: number;
    district: { buildings: number; substations: number; feeders: number; warnings: string[] };
  } {
    const { streets: streetsFile } = input;
    const buildings = prefixed(input.buildings.fileName, () => parseBuildingsGeoJson(input.buildings.text));
    const streets: StreetInput[] = streetsFile === null ? [] : prefixed(streetsFile.fileName, () => parseStreetsGeoJson(streetsFile.text));
    const d = prefixed("the grid could not be built", () => buildGridFromBuildings({ buildings, streets, seed: input.seed, name: input.name }));
    return {
      networkUtf8: new TextEncoder().encode(writeNetworkJson(d.network)),
      busCount: d.network.buses.length,
      branchCount: d.network.branches.length,
      fpuCount: d.network.fpus.length,
      district: { buildings: d.buildings.length, substations: d.substations.length, feeders: d.feeders.length, warnings: d.warnings },
    };
  },

  /** An aggregator's portfolio file (.csv or .json). */
  parsePortfolio(input: { fileName: string; text: string }): AggregatedBid[] {
    return parseAggregatedBidsFile(input.fileName, input.text);
  },

  /** A BCM run: place every portfolio against the published sides, clear, re-aggregate (lib/server/bcm-run.ts). */
  bcm(input: BcmRunInput): Promise<BcmRunOutput> {
    return computeBcmRun(input);
  },

  /**
   * A light-model upload's raw body checked against the grid and serialized for storage. The
   * body comes transferred and the grid's text shared (lib/server/db-text.ts), the model's texts
   * go back as transferred bytes: the request thread copies none of them.
   */
  checkLightModelUpload(input: { body: Uint8Array; network: SharedText }) {
    return prepareLightModelUpload(input.body, decodeSharedText(input.network));
  },

  /** The bus ids of a stored network, in order (its text shared, see lib/server/db-text.ts; validated when stored). */
  busIds(input: { network: SharedText }): number[] {
    const net = JSON.parse(decodeSharedText(input.network)) as { buses: { id: number }[] };
    return net.buses.map((b) => b.id);
  },

  /** What the TSO's list shows of a published light model (its stored text shared): ids, labels, counts, limits and size. */
  lightModelSummary(input: { model: SharedText }) {
    const m = JSON.parse(decodeSharedText(input.model)) as LightModel;
    return {
      modelId: m.modelId,
      operatingPoints: m.operatingPoints.map((o) => ({ id: o.id, label: o.label })),
      locations: m.locations.length,
      monitoredBuses: m.monitoredBuses.length,
      monitoredBranches: m.monitoredBranches.length,
      reactive: m.reactive,
      sizeBytes: input.model.byteLength,
      limits: m.limits,
    };
  },

  /** Every stored portfolio placed against the published sides (lib/server/market-bids.ts marketNow). */
  market(input: { sideRows: SharedSideRow[]; portfolios: StoredPortfolioRow[] }) {
    return marketOfRows(sidesFromRows(rowsFromShared(input.sideRows)), input.portfolios);
  },

  /** The asset registries of the published grids: what a portfolio upload and the template check bids against. */
  registries(input: { sideRows: SharedSideRow[] }) {
    return registriesOf(sidesFromRows(rowsFromShared(input.sideRows)));
  },

  /** [P004] A TSO's dispatch validated on the DSO side: the AC power flow against the linear prediction (lib/server/tso-side.ts). */
  tsoValidate(input: { sideRows: SharedSideRow[]; validation: ValidationInput }) {
    return validateOnSide(input.sideRows, input.validation);
  },

  /** A new operating point at a TSO's dispatch (AC-verified clearing), computed on the DSO side. */
  tsoRelinearize(input: { sideRows: SharedSideRow[]; relinearize: RelinearizeInput }) {
    return relinearizeOnSide(input.sideRows, input.relinearize);
  },

  /** The TSO's demonstrator map of a grid in demo mode: its drawing and the power flows before and after a clearing. */
  tsoDemoMap(input: TsoDemoMapInput) {
    return tsoDemoMap(input);
  },

  /** An aggregator's drawing of a grid in demo mode and where its own assets connect. */
  aggregatorDemoMap(input: AggregatorDemoMapInput) {
    return aggregatorDemoMap(input);
  },

  /** Test and benchmark task: spin for `ms` milliseconds (the pool's time limit and fairness). */
  spin(input: { ms: number }): number {
    const t0 = Date.now();
    let k = 0;
    while (Date.now() - t0 < input.ms) k++;
    return k;
  },
};

export type TaskName = keyof typeof TASKS;
export type TaskInput<N extends TaskName> = Parameters<(typeof TASKS)[N]>[0];
export type TaskOutput<N extends TaskName> = Awaited<ReturnType<(typeof TASKS)[N]>>;

/** Run a district step; its input errors are prefixed with what was wrong (the file, or the build). */
function prefixed<T>(prefix: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof DistrictInputError) throw new DistrictInputError(`${prefix}: ${e.message}`);
    throw e;
  }
}
