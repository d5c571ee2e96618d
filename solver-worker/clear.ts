import { clearMarket } from "../lib/clearing/clear";
import type { GridBids } from "../lib/clearing/problem";
import type { HighsLike } from "../lib/clearing/solve";
import { decodeOperatingPoints, parseLightModel, type DecodedOperatingPoint, type LightModel, type LightOperatingPoint } from "../lib/sensitivity/light-model";
import { isHighsLoaded, loadHighs } from "./highs";
import type { ClearGridInput, ClearRequest, ClearResult, ClearStage, JsonText, StageProgress } from "./protocol";

const utf8 = new TextDecoder();
const asText = (json: JsonText): string => (typeof json === "string" ? json : utf8.decode(json));

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${what} is not valid JSON`);
  }
}

/** FNV-1a of a text (with its length): the cache key of a light model's JSON. */
function textKey(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return `${text.length}:${(h >>> 0).toString(16)}`;
}

/**
 * Checked and decoded light models and added points of the last clearings, by their
 * text: an AC-verified clearing sends the same published models every iteration, and
 * decoding megabytes of base64 each time would cost more than the MILP.
 */
const decodedCache = new Map<string, { model: LightModel; decoded: DecodedOperatingPoint[] }>();
const CACHE_ENTRIES = 24;

function cached<T extends { model: LightModel; decoded: DecodedOperatingPoint[] }>(key: string, build: () => T): T {
  const hit = decodedCache.get(key);
  if (hit) return hit as T;
  const value = build();
  decodedCache.set(key, value);
  if (decodedCache.size > CACHE_ENTRIES) decodedCache.delete(decodedCache.keys().next().value!);
  return value;
}

/**
 * A grid's light model as the TSO clears with it: the published model, the points
 * added by re-linearization appended (checked together with the strict schema), and
 * the limits tightened where the AC-verified loop asked for it.
 */
export function clearingModel(g: ClearGridInput): { lightModel: LightModel; decoded: DecodedOperatingPoint[] } {
  const publishedText = asText(g.lightModelJson);
  const published = cached(textKey(publishedText), () => {
    const model = parseLightModel(parseJson(publishedText, `the light model of grid ${g.gridId}`));
    return { model, decoded: decodeOperatingPoints(model) };
  });
  let lm = published.model;
  let decoded = published.decoded;
  (g.addedOperatingPointsJson ?? []).forEach((json, k) => {
    const text = asText(json);
    const at = lm;
    // Keyed with the model it extends: the point was checked against that model's shapes.
    const next = cached(`${at.modelId}/${at.operatingPoints.length}/${textKey(text)}`, () => {
      const op = parseJson(text, `added operating point ${k + 1} of grid ${g.gridId}`) as LightOperatingPoint;
      const model = parseLightModel({ ...at, operatingPoints: [...at.operatingPoints, op] });
      return { model, decoded: decodeOperatingPoints({ ...model, operatingPoints: [model.operatingPoints.at(-1)!] }) };
    });
    const op = next.model.operatingPoints.at(-1)!;
    if (op.id !== `op-${lm.operatingPoints.length}`) throw new Error(`added operating point ${k + 1} of grid ${g.gridId}: expected id 'op-${lm.operatingPoints.length}', got '${op.id}'`);
    lm = { ...lm, operatingPoints: [...lm.operatingPoints, op] };
    decoded = [...decoded, ...next.decoded];
  });
  const t = g.tighten;
  if (!t || (t.vPu === 0 && t.lPct === 0)) return { lightModel: lm, decoded };
  if (!(t.vPu >= 0) || !(t.lPct >= 0)) throw new Error(`grid ${g.gridId}: limits can only be tightened by non-negative amounts`);
  const { vMinPu, vMaxPu, loadingMinPct, loadingMaxPct } = lm.limits;
  return { lightModel: { ...lm, limits: { vMinPu: vMinPu + t.vPu, vMaxPu: vMaxPu - t.vPu, loadingMinPct: loadingMinPct + t.lPct, loadingMaxPct: loadingMaxPct - t.lPct } }, decoded };
}

/** The TSO's clearing in the worker: eq. (11)-(14) over every grid's light model, one shared balance (lib/clearing). */
export async function runClear(req: ClearRequest, progress: (p: StageProgress<ClearStage>) => void): Promise<ClearResult> {
  const t0 = performance.now();
  if (!isHighsLoaded()) progress({ stage: "load", fraction: 0, message: "Loading the HiGHS solver" });
  const highs = (await loadHighs()) as HighsLike;
  if (req.grids.length === 0) throw new Error("no published light model to clear against");

  progress({ stage: "parse", fraction: 0.1, message: `Checking and decoding ${req.grids.length} light model${req.grids.length === 1 ? "" : "s"}` });
  const tParse = performance.now();
  const grids: GridBids[] = req.grids.map((g) => ({ gridId: g.gridId, bids: g.bids, ...clearingModel(g) }));
  const parseMs = performance.now() - tParse;

  const nBids = grids.reduce((s, g) => s + g.bids.length, 0);
  progress({ stage: "solve", fraction: 0.3, message: `Solving the MILP with HiGHS (${nBids} bids, ${req.requestMw} MW)` });
  const tSolve = performance.now();
  const clearing = clearMarket(highs, grids, req.requestMw, { groups: req.groups, reactive: req.options?.reactive, timeLimitS: req.options?.timeLimitS });
  const solveMs = performance.now() - tSolve;

  return {
    clearing,
    grids: grids.map((g, k) => {
      const ops = g.decoded!;
      const r = clearing.grids[k];
      const atOperatingPoint = r.selectedIndex >= 0 && ops.some((op) => op.pFlexMw.every((x, j) => Math.abs(x - r.locationMw[j]) < 1e-9));
      return {
        gridId: g.gridId,
        modelId: g.lightModel.modelId,
        operatingPoints: ops.map((op) => ({ id: op.id, label: op.label })),
        selectedLabel: ops[r.selectedIndex]?.label ?? null,
        atOperatingPoint,
      };
    }),
    parseMs,
    solveMs,
    workerMs: performance.now() - t0,
  };
}
