/**
 * A large synthetic radial grid in the project JSON format, for runs long enough to
 * watch: progress, Cancel and main-thread responsiveness. Bus i > 1 hangs off bus
 * floor(i / 2) (a binary tree, depth log2 n), so voltages stay reasonable at any size.
 */
export function syntheticFeederJson(buses: number): string {
  const busRows = [];
  const branchRows = [];
  for (let i = 1; i <= buses; i++) {
    busRows.push({ id: i, type: i === 1 ? "REF" : "PQ", pdMw: i === 1 ? 0 : 0.004, qdMvar: i === 1 ? 0 : 0.0015, baseKv: 20, vminPu: 0.9, vmaxPu: 1.1 });
    if (i > 1) branchRows.push({ id: `L${i}`, from: Math.floor(i / 2), to: i, rPu: 0.0008, xPu: 0.0006, rateAMva: 40 });
  }
  return JSON.stringify({
    format: "flexplat-network",
    version: 1,
    name: `synthetic-tree-${buses}`,
    baseMVA: 10,
    buses: busRows,
    branches: branchRows,
    generators: [{ id: "G1", bus: 1, vgPu: 1.02, pmaxMw: 1000, pminMw: 0 }],
  });
}
