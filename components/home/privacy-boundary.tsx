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

function Side({ title, items }: { title: string; items: string[] }) {
  return (
    <div className="side">
      <h3>{title}</h3>
      <ul>
        {items.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ul>
    </div>
  );
}

export function PrivacyBoundary() {
  return (
    <div className="boundary" data-testid="privacy-boundary">
      <Side title="Never leaves the DSO" items={STAYS} />
      <div className="wall" aria-hidden="true" />
      <Side title="Crosses to the TSO" items={CROSSES} />
    </div>
  );
}
