import { describe, expect, it } from "vitest";
import { decideVerifyStep, TIGHTEN_MARGIN, VERIFY_DEFAULTS, worstExcess, type GridCheck } from "./verify-step";

const tol = { ...VERIFY_DEFAULTS };
const ok: GridCheck = { converged: true, violations: 0, vMaxErrPu: 1e-6, lMaxErrPct: 1e-3, worstExcess: { voltagePu: 0, loadingPct: 0 }, atOperatingPoint: false };
const zero = { vPu: 0, lPct: 0 };

describe("the AC-verified clearing's decision", () => {
  it("accepts when every grid is within its limits and the tolerances", () => {
    expect(decideVerifyStep(1, [ok, ok], [zero, zero], tol)).toEqual({ action: "accepted" });
  });

  it("re-linearizes a grid whose linear prediction is off (or whose dispatch violates a limit away from a linearization point), keeps the others", () => {
    const off = { ...ok, vMaxErrPu: 2e-5 };
    const violating = { ...ok, violations: 2, worstExcess: { voltagePu: 3e-3, loadingPct: 0 } };
    expect(decideVerifyStep(1, [ok, off, violating], [zero, zero, zero], tol)).toEqual({ action: "continue", grids: [{ kind: "keep" }, { kind: "relinearize" }, { kind: "relinearize" }] });
  });

  it("tightens a grid by its worst excess (plus a margin) when the dispatch is a linearization point and still violates, never loosening", () => {
    const atPoint = { ...ok, atOperatingPoint: true, violations: 1, worstExcess: { voltagePu: 2e-3, loadingPct: 0 } };
    const d = decideVerifyStep(2, [atPoint], [{ vPu: 0, lPct: 0.5 }], tol);
    expect(d).toEqual({ action: "continue", grids: [{ kind: "tighten", tightening: { vPu: 2e-3 + TIGHTEN_MARGIN.vPu, lPct: 0.5 } }] });
    const again = decideVerifyStep(3, [{ ...atPoint, worstExcess: { voltagePu: 1e-4, loadingPct: 1.5 } }], [{ vPu: 5e-3, lPct: 0.5 }], tol);
    expect(again).toEqual({ action: "continue", grids: [{ kind: "tighten", tightening: { vPu: 5e-3, lPct: 1.5 + TIGHTEN_MARGIN.lPct } }] });
  });

  it("a power flow that does not converge is never accepted; the last iteration stops", () => {
    expect(decideVerifyStep(1, [{ ...ok, converged: false }], [zero], tol)).toEqual({ action: "continue", grids: [{ kind: "relinearize" }] });
    expect(decideVerifyStep(tol.maxIterations, [{ ...ok, converged: false }], [zero], tol)).toEqual({ action: "stopped" });
  });

  it("worstExcess takes the largest distance past a limit of each kind", () => {
    expect(
      worstExcess([
        { kind: "voltage", element: "bus 1", value: 0.948, limit: 0.95 },
        { kind: "voltage", element: "bus 2", value: 1.0507, limit: 1.05 },
        { kind: "loading", element: "branch 3", value: 103.5, limit: 100 },
      ]),
    ).toEqual({ voltagePu: expect.closeTo(0.002, 12), loadingPct: expect.closeTo(3.5, 12) });
    expect(worstExcess([])).toEqual({ voltagePu: 0, loadingPct: 0 });
  });
});
