/** The columns every TSO table of bids starts with: which bid, whose, where (opaque), how much, at what price. */
export function BidHeadCells({ volume }: { volume: string }) {
  return (
    <>
      <th>Bid</th>
      <th>Owner</th>
      <th>Grid</th>
      <th>Location</th>
      <th className="num">{volume} (MW)</th>
      <th className="num">Price (€/MWh)</th>
    </>
  );
}

export function BidCells({ id, owner, grid, location, volumeMw, priceEurPerMwh }: { id: string; owner: string; grid: string; location: string; volumeMw: number; priceEurPerMwh: number }) {
  return (
    <>
      <td className="mono small">{id}</td>
      <td>{owner}</td>
      <td>{grid}</td>
      <td className="mono">{location}</td>
      <td className="num">{volumeMw.toFixed(4)}</td>
      <td className="num">{priceEurPerMwh.toFixed(2)}</td>
    </>
  );
}
