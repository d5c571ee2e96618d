/** Number formatting of the DSO view (units at the UI boundary: p.u., kW/kVAr, MW/MVAr, %). */
export function formatPu(v: number): string {
  return Number.isFinite(v) ? v.toFixed(5) : "—";
}

export function formatKw(mw: number): string {
  return Number.isFinite(mw) ? (mw * 1000).toFixed(2) : "—";
}

export function formatMw(mw: number, digits = 3): string {
  return Number.isFinite(mw) ? mw.toFixed(digits) : "—";
}

export function formatPct(v: number | null): string {
  return v === null || !Number.isFinite(v) ? "—" : v.toFixed(1);
}

export function formatMs(ms: number): string {
  return ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : Math.round(ms).toString();
}

export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return d.toLocaleString("en-GB", { year: "numeric", month: "short", day: "2-digit", hour: "2-digit", minute: "2-digit" });
}
