import type { Fpu } from "../grid/types";
import { round6 } from "./design";
import { SCENARIO, type BuildingProfile } from "./profiles";

/**
 * A building's FPUs in the scenario's time frame (MW, injection positive):
 * PV scheduled at the feed-in limit, range [0, available] with an inverter PQ chart
 * (cos φ ≥ 0.9 as VDE-AR-N 4105 requires, apparent power ≤ kWp); battery charging,
 * range ± inverter rating, reactive box ±30 %; EV chargers plugged in at noon,
 * range [−plugged, 0]; heat pump running, range [−rating, 0].
 */
export function buildingFpus(id: string, bus: number, p: BuildingProfile): Fpu[] {
  const out: Fpu[] = [];
  if (p.pvKwp > 0) {
    const avail = (SCENARIO.pvAvailable * p.pvKwp) / 1000;
    const sched = (Math.min(SCENARIO.pvAvailable, SCENARIO.pvFeedInLimit) * p.pvKwp) / 1000;
    const s = p.pvKwp / 1000;
    const qLim = Math.min(avail * Math.tan(Math.acos(0.9)), Math.sqrt(Math.max(0, s * s - avail * avail)));
    out.push({
      id: `pv-${id}`,
      bus,
      kind: "pv",
      pMw: round6(sched),
      pMinMw: 0,
      pMaxMw: round6(avail),
      qMvar: 0,
      reactive: {
        type: "polygon",
        points: [
          { pMw: 0, qMvar: 0 },
          { pMw: round6(avail), qMvar: -round6(qLim) },
          { pMw: round6(avail), qMvar: round6(qLim) },
        ],
      },
      buildingId: id,
    });
  }
  if (p.batteryKw > 0) {
    const r = p.batteryKw / 1000;
    out.push({
      id: `bat-${id}`,
      bus,
      kind: "battery",
      pMw: round6(-SCENARIO.batteryCharge * r),
      pMinMw: round6(-r),
      pMaxMw: round6(r),
      qMvar: 0,
      reactive: { type: "box", qMinMvar: round6(-0.3 * r), qMaxMvar: round6(0.3 * r) },
      buildingId: id,
    });
  }
  if (p.evPluggedKw > 0) {
    out.push({
      id: `ev-${id}`,
      bus,
      kind: "ev",
      pMw: round6(-p.evChargingKw / 1000),
      pMinMw: round6(-p.evPluggedKw / 1000),
      pMaxMw: 0,
      qMvar: 0,
      reactive: { type: "box", qMinMvar: 0, qMaxMvar: 0 },
      buildingId: id,
    });
  }
  if (p.heatPumpKw > 0) {
    const r = p.heatPumpKw / 1000;
    out.push({
      id: `hp-${id}`,
      bus,
      kind: "heat_pump",
      pMw: round6(-SCENARIO.heatPumpDuty * r),
      pMinMw: round6(-r),
      pMaxMw: 0,
      qMvar: 0,
      reactive: { type: "box", qMinMvar: 0, qMaxMvar: 0 },
      buildingId: id,
    });
  }
  return out;
}
