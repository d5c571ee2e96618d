import { describe, expect, it } from "vitest";
import { parseMatpowerCase } from "../grid/matpower";
import { readReference, readSharedCase, readSharedText, sharedCaseNames, sharedCasesWithReference } from "../testing/shared";
import { readCsvRows } from "../util/csv";
import { runBatch } from "./batch";
import { solvePowerFlow } from "./index";

interface PfReference {
  success: boolean;
  iterations: number;
  bus_ids: number[];
  vm_pu: number[];
  va_deg: number[];
  vm_min: number;
  vm_min_bus: number;
  loss_p_mw: number;
  loss_q_mvar: number;
  slack_p_mw: number;
  slack_q_mvar: number;
}

/**
 * Golden tests against MATPOWER 8.1.1's Newton power flow (tolerance 1e-8) on every
 * case in ../shared/cases/matpower that has a power-flow reference (case1354pegase
 * ships with its OPF result only; a test below keeps that list from shrinking). Tolerances are the issue's: |Vm| 1e-8 p.u.,
 * |Va| 1e-6 deg, losses and slack 1e-6 MW/MVAr. We run the same Newton iterates from
 * the same start, so the observed differences are rounding (~1e-12).
 */
describe("AC power flow against MATPOWER's results", () => {
  it("every case but case1354pegase has a power-flow reference", () => {
    expect(sharedCaseNames().filter((n) => !sharedCasesWithReference("pf").includes(n))).toEqual(["case1354pegase"]);
  });
  for (const name of sharedCasesWithReference("pf")) {
    it(`${name}: voltages, losses, slack and iterations match`, () => {
      const ref = readReference<PfReference>(`${name}_pf.json`);
      const net = parseMatpowerCase(readSharedCase(name));
      const r = solvePowerFlow(net);
      expect(r.converged).toBe(ref.success);
      expect(r.iterations).toBe(ref.iterations);
      expect(Array.from(r.busIds)).toEqual(ref.bus_ids);
      for (let i = 0; i < ref.vm_pu.length; i++) {
        expect(Math.abs(r.vm[i] - ref.vm_pu[i])).toBeLessThanOrEqual(1e-8);
        expect(Math.abs(r.vaDeg[i] - ref.va_deg[i])).toBeLessThanOrEqual(1e-6);
      }
      expect(Math.abs(r.lossPMw - ref.loss_p_mw)).toBeLessThanOrEqual(1e-6);
      expect(Math.abs(r.lossQMvar - ref.loss_q_mvar)).toBeLessThanOrEqual(1e-6);
      expect(Math.abs(r.slackPMw - ref.slack_p_mw)).toBeLessThanOrEqual(1e-6);
      expect(Math.abs(r.slackQMvar - ref.slack_q_mvar)).toBeLessThanOrEqual(1e-6);
      expect(r.vmMinBusId).toBe(ref.vm_min_bus);
      // Branch flows are consistent with the losses: sum(Pf + Pt) = series I^2 R.
      let pSum = 0;
      for (let l = 0; l < r.pFromMw.length; l++) pSum += r.pFromMw[l] + r.pToMw[l];
      expect(Math.abs(pSum - r.lossPMw)).toBeLessThan(1e-9);
    });
  }
});

describe("200-scenario batch of case533mt_lo against MATPOWER", () => {
  it("every scenario's voltage magnitudes match to 1e-8 p.u.", () => {
    const net = parseMatpowerCase(readSharedCase("case533mt_lo"));
    const parse = (text: string) => {
      const rows: Float64Array[] = [];
      readCsvRows(text, (r) => rows.push(Float64Array.from(r.cells, Number)));
      return rows;
    };
    const scales = parse(readSharedText("reference/batch/case533mt_lo_batch_scales.csv"));
    const vmRef = parse(readSharedText("reference/batch/case533mt_lo_batch_vm.csv"));
    expect(scales.length).toBe(200);
    const r = runBatch(net, scales, { keepVm: true });
    expect(r.converged).toBe(200);
    expect(r.iterations.every((k) => k === 3)).toBe(true);
    let worst = 0;
    r.vm!.forEach((vm, s) => vm.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - vmRef[s][i])))));
    expect(worst).toBeLessThanOrEqual(1e-8);
  });
});
