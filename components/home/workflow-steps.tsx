const STEPS = [
  {
    title: "DSO: model and check the grid",
    text: "The DSO loads its network, runs AC power flows at its operating points and derives a sensitivity light model (VTDF/LTDF and base values) with opaque ids.",
  },
  {
    title: "Bid congestion manager",
    text: "Aggregators' bids are checked against the DSO's grid limits; bids that would congest the distribution grid are filtered or bounded before they reach the market.",
  },
  {
    title: "TSO: clear the market",
    text: "The TSO clears the remaining bids in a MILP (HiGHS) that respects every grid's limits through the light models only, and sends back a dispatch per bid.",
  },
  {
    title: "DSO: validate the dispatch",
    text: "The DSO runs an AC power flow of the dispatched operating point on its full grid and checks voltages, loadings and the accuracy of the light model.",
  },
] as const;

export function WorkflowSteps() {
  return (
    <ol className="steps">
      {STEPS.map((s) => (
        <li key={s.title}>
          <h3>{s.title}</h3>
          <p>{s.text}</p>
        </li>
      ))}
    </ol>
  );
}
