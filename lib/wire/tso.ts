import type { BidGroup } from "@/lib/clearing/milp";
import type { ValidationResult } from "@/lib/clearing/validate";
import type { LightModel } from "@/lib/sensitivity/light-model";

/**
 * What crosses the wire in the TSO's view (app/api/tso/*): published light models, the
 * market by opaque location, the DSO side's verdicts, stored clearings. Types only,
 * imported by the server (lib/server/tso.ts, tso-clearings.ts) and the browser alike.
 */

/** What the TSO view lists of each published light model (read from the model itself) and whether its grid is in demo mode. */
export interface PublishedModelSummary {
  id: string;
  gridId: string;
  gridName: string;
  dso: string;
  publishedAt: string;
  modelId: string;
  operatingPoints: { id: string; label: string }[];
  locations: number;
  monitoredBuses: number;
  monitoredBranches: number;
  reactive: boolean;
  sizeBytes: number;
  limits: { vMinPu: number; vMaxPu: number; loadingMinPct: number; loadingMaxPct: number };
  /** The DSO lets the TSO see the grid on the map (demonstrator). */
  demoMode: boolean;
}

/** A per-asset bid as the TSO sees it: an opaque location in a grid's light model, no asset id, no bus. */
export interface TsoBid {
  /**
   * An opaque id drawn when the portfolio was stored ("X-…"): the aggregator's own
   * bid ids may name a substation, a street or a unit, which stay on the DSO side.
   */
  id: string;
  owner: string;
  gridId: string;
  location: string;
  volumeMw: number;
  priceEurPerMwh: number;
  minActivationMw?: number;
  indivisible?: boolean;
  /** Opaque id ("G-…") of the aggregated bid whose joint minimum or indivisibility applies (bid congestion manager). */
  groupId?: string;
  /** The unit's reactive ratio (MVAr per MW activated) for the reactive sensitivities. */
  qPerP?: number;
}

export interface TsoMarket {
  grids: { gridId: string; lightModelId: string; bids: TsoBid[] }[];
  groups: BidGroup[];
}

/** What the DSO side tells the TSO about a dispatch in its grid: a verdict and metrics, elements by opaque id. */
/** The errors of the light model against the AC power flow are ValidationResult's; the violations only counted. */
export interface TsoValidation extends Pick<ValidationResult, "converged" | "vMaePu" | "vRmsePu" | "vMaxErrPu" | "lMaePct" | "lRmsePct" | "lMaxErrPct"> {
  lightModelId: string;
  gridId: string;
  gridName: string;
  verdict: "no violation" | "violations" | "not converged";
  violations: number;
  /** Largest excess over a limit, by kind (0 without violations): what the AC-verified loop tightens by. */
  worstExcess: { voltagePu: number; loadingPct: number };
  /** Critical monitored elements (opaque ids): the linear prediction against the AC power flow ([P004] Fig. 4-5). */
  criticalBuses: { id: string; linear: number; ac: number }[];
  criticalBranches: { id: string; linear: number; ac: number }[];
  /** Exchange at the point of common coupling (import from the TSO grid, MW/MVAr): with the dispatch and without. */
  pcc: { pMw: number; qMvar: number; basePMw: number; baseQMvar: number };
  limits: LightModel["limits"];
}

/** A grid's part of a stored TSO clearing: enough to show it again and to draw its dispatch. */
export interface StoredRunGrid {
  gridId: string;
  lightModelId: string;
  selectedOperatingPoint: string | null;
  selectedLabel: string | null;
  locationMw: number[];
  locationMvar: number[];
  totalMw: number;
}

export interface StoredRun {
  /** The clearing (lib/server/tso-clearings.ts) this run stores; absent in runs stored before clearings existed. */
  clearingId?: string;
  requestMw: number;
  verified: boolean;
  reactive: boolean;
  status: string;
  message: string;
  totalMw: number;
  objectiveEur: number | null;
  grids: StoredRunGrid[];
  dispatch: { bidId: string; owner: string; gridId: string; location: string; volumeMw: number; priceEurPerMwh: number; activatedMw: number; fraction: number; state: string; costEur: number }[];
  validation: { gridId: string; verdict: string; violations: number; vMaePu: number; vRmsePu: number; lMaePct: number; lRmsePct: number }[];
  iterations: { iteration: number; status: string; totalMw: number; objectiveEur: number | null; violations: number; vMaxErrPu: number | null; lMaxErrPct: number | null; action: string }[];
  solveMs: number;
}

export interface RunListItem {
  id: string;
  createdAt: string;
  by: string;
  requestMw: number;
  verified: boolean;
  status: string;
  totalMw: number;
  objectiveEur: number | null;
  iterations: number;
  violations: number | null;
}

export interface OpenedClearing {
  clearing: { id: string; requestMw: number; expiresAt: string; maxIterations: number };
  market: TsoMarket;
}
