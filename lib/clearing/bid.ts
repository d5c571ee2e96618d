/**
 * A flexibility bid as the TSO's clearing sees it: at an opaque location of a light
 * model, a volume in MW (positive = upward: more injection / less consumption,
 * negative = downward) at a price in €/MWh, optionally with a minimum activation
 * (MW, magnitude) or indivisible (all or nothing).
 */
export interface Bid {
  id: string;
  owner: string;
  location: string;
  volumeMw: number;
  priceEurPerMwh: number;
  minActivationMw?: number;
  indivisible?: boolean;
  /** Reactive injection change per MW activated (MVAr/MW): the unit's tan(phi) at constant power factor. */
  qPerP?: number;
  /** The asset behind the bid (FPU id), for the DSO side and the bid congestion manager. */
  assetId?: string;
  /**
   * Disaggregated assets of one aggregated bid share a group: its minimum activation
   * or indivisibility applies to the group (set by the bid congestion manager, not in files).
   */
  groupId?: string;
}

/** A file's text as a message quotes it: at most 80 characters. */
export function cellText(s: string): string {
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

export class BidFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BidFormatError";
  }
}

/** Checks every bid; `knownLocations` (if given) must contain each bid's location. */
export function validateBids(bids: Bid[], knownLocations?: Set<string>, where: (i: number) => string = (i) => `bid ${i + 1}`): Bid[] {
  const seen = new Map<string, number>();
  bids.forEach((b, i) => {
    const at = `${where(i)} (${cellText(b.id) || "no id"})`;
    if (!b.id) throw new BidFormatError(`${where(i)}: missing id`);
    if (seen.has(b.id)) throw new BidFormatError(`${at}: duplicate bid id '${cellText(b.id)}' (also ${where(seen.get(b.id)!)})`);
    seen.set(b.id, i);
    if (!b.owner) throw new BidFormatError(`${at}: missing owner`);
    if (!b.location) throw new BidFormatError(`${at}: missing location`);
    if (knownLocations && !knownLocations.has(b.location)) {
      throw new BidFormatError(`${at}: unknown location '${cellText(b.location)}' (not in the light model)`);
    }
    if (!Number.isFinite(b.volumeMw)) throw new BidFormatError(`${at}: volume is not a number`);
    if (b.volumeMw === 0) throw new BidFormatError(`${at}: volume is zero`);
    if (!Number.isFinite(b.priceEurPerMwh)) throw new BidFormatError(`${at}: price is not a number`);
    if (b.minActivationMw !== undefined) {
      if (!Number.isFinite(b.minActivationMw) || b.minActivationMw < 0) {
        throw new BidFormatError(`${at}: minimum activation must be a non-negative number of MW`);
      }
      if (b.minActivationMw > Math.abs(b.volumeMw) + 1e-12) {
        throw new BidFormatError(`${at}: minimum activation ${b.minActivationMw} MW exceeds the volume ${Math.abs(b.volumeMw)} MW`);
      }
    }
    if (b.qPerP !== undefined && !Number.isFinite(b.qPerP)) throw new BidFormatError(`${at}: qPerP is not a number`);
  });
  return bids;
}
