import type { LightModel } from "../sensitivity/light-model";

/** The fixed fields of a hand-made light model in tests: schema, version, its id and date, the units and the default limits. */
export function lightModelHeader(modelId: string, createdAt: string): Pick<LightModel, "schema" | "version" | "modelId" | "createdAt" | "units" | "limits"> {
  return {
    schema: "flexplat-light-model",
    version: 1,
    modelId,
    createdAt,
    units: { injection: "MW", voltage: "p.u.", loading: "%", vtdf: "p.u./MW", ltdf: "%/MW", vtdfQ: "p.u./MVAr", ltdfQ: "%/MVAr" },
    limits: { vMinPu: 0.95, vMaxPu: 1.05, loadingMinPct: -100, loadingMaxPct: 100 },
  };
}
