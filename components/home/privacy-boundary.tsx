const STAYS = [
  "Topology: which bus connects to which",
  "Line and transformer impedances and ratings",
  "Coordinates, streets and building footprints",
  "Individual loads and the units behind them",
  "Full AC power flow results per bus and branch",
];

const CROSSES = [
  "Sensitivity matrices (VTDF, LTDF) and base values per operating point",
  "Opaque ids in place of bus, branch and unit ids",
  "Feasible PQ(V) region coefficients and a cost model at the connection point",
  "Bids after the bid congestion manager",
  "Dispatch per bid and connection-point set-points (TSO → DSO)",
];

export function PrivacyBoundary() {
  return (
    <div className="boundary" data-testid="privacy-boundary">
      <div className="side">
        <h3>Never leaves the DSO</h3>
        <ul>
          {STAYS.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
      </div>
      <div className="wall" aria-hidden="true" />
      <div className="side">
        <h3>Crosses to the TSO</h3>
        <ul>
          {CROSSES.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
      </div>
    </div>
  );
}
