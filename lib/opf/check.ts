import type { Network } from "../grid/types";
import { solvePowerFlow } from "../powerflow";
import type { OpfSolution } from "./solution";

/**
 * The network with an OPF dispatch applied: every in-service generator at its OPF
 * P and Q, its voltage set-point at its bus's OPF voltage magnitude, and every bus
 * starting from the OPF voltages. An AC power flow of it should reproduce the OPF.
 */
function applyDispatch(net: Network, sol: OpfSolution): Network {
  return {
    ...net,
    buses: net.buses.map((b, i) => (Number.isNaN(sol.vm[i]) ? b : { ...b, vmPu: sol.vm[i], vaDeg: sol.vaDeg[i] })),
    generators: net.generators.map((g, k) => {
      if (!g.inService) return g;
      const i = net.buses.findIndex((b) => b.id === g.bus);
      return { ...g, pgMw: sol.pgMw[k], qgMvar: sol.qgMvar[k], vgPu: sol.vm[i] };
    }),
  };
}

export interface OpfAcCheck {
  converged: boolean;
  /** Largest differences between the power flow and the OPF: |ΔVm| p.u., |ΔVa| degrees, slack ΔP MW. */
  maxDvm: number;
  maxDvaDeg: number;
  slackDpMw: number;
  /** Largest violations in the power flow: voltage p.u. beyond [Vmin, Vmax], loading % beyond 100, generator Q MVAr beyond its limits. */
  voltageViolationPu: number;
  loadingViolationPct: number;
  reactiveViolationMvar: number;
}

/**
 * Independent check of an OPF result: the Newton power flow (not the OPF's equations)
 * of the dispatched network, compared with the OPF's voltages, and its limits.
 */
export function checkOpfWithPowerFlow(net: Network, sol: OpfSolution): OpfAcCheck {
  const dispatched = applyDispatch(net, sol);
  const pf = solvePowerFlow(dispatched, { tol: 1e-10 });
  let maxDvm = 0;
  let maxDvaDeg = 0;
  let vViol = 0;
  net.buses.forEach((b, i) => {
    if (b.type === "NONE" || Number.isNaN(sol.vm[i])) return;
    maxDvm = Math.max(maxDvm, Math.abs(pf.vm[i] - sol.vm[i]));
    maxDvaDeg = Math.max(maxDvaDeg, Math.abs(pf.vaDeg[i] - sol.vaDeg[i]));
    vViol = Math.max(vViol, pf.vm[i] - b.vmaxPu, b.vminPu - pf.vm[i]);
  });
  let lViol = 0;
  pf.loadingPct.forEach((x) => {
    if (!Number.isNaN(x)) lViol = Math.max(lViol, Math.abs(x) - 100);
  });
  let qViol = 0;
  let slackDp = 0;
  net.generators.forEach((g, k) => {
    if (!g.inService) return;
    qViol = Math.max(qViol, pf.genQMvar[k] - g.qmaxMvar, g.qminMvar - pf.genQMvar[k]);
    slackDp = Math.max(slackDp, Math.abs(pf.genPMw[k] - sol.pgMw[k]));
  });
  return {
    converged: pf.converged,
    maxDvm,
    maxDvaDeg,
    slackDpMw: slackDp,
    voltageViolationPu: Math.max(0, vViol),
    loadingViolationPct: Math.max(0, lViol),
    reactiveViolationMvar: Math.max(0, qViol),
  };
}
