import { cssColor } from "@/components/map/colors";
import styles from "@/components/map/grid-map.module.css";
import { MapLegend } from "@/components/map/map-legend";
import { DEFAULT_HIGHLIGHT, DEFAULT_MARKER, DEFAULT_SCALE, scaleDomain, formatValue, type DiagramOverlays } from "./overlays";

/** The district map's legend (loading, voltage) with the diagram's own symbols and its overlays' legends. */
export function DiagramLegend({ overlays, slackLabel = "PCC" }: { overlays?: DiagramOverlays; slackLabel?: string }) {
  const values = overlays?.busValues ?? null;
  const domain = values ? scaleDomain(values) : null;
  const fmt = values?.format ?? formatValue;
  const colors = values?.colors && values.colors.length >= 2 ? values.colors : DEFAULT_SCALE;
  const markerKinds = new Map<string, { color: string; label: string; count: number }>();
  for (const m of overlays?.markers ?? []) {
    const color = cssColor(m.color ?? DEFAULT_MARKER);
    const k = markerKinds.get(color);
    if (k) k.count++;
    else markerKinds.set(color, { color, label: m.label, count: 1 });
  }
  const symbols = (
    <div className={styles.legendGroup}>
      <span className={styles.legendItem}>
        <span className={styles.swatchDot} style={{ width: 14, height: 14, background: "rgb(95,40,150)", border: "2px solid #fff" }} />
        {slackLabel === "PCC" ? "PCC (slack)" : "slack bus"}
      </span>
      <span className={styles.legendItem}>
        <span className={styles.swatchDot} style={{ width: 10, height: 10, background: "#fff", border: "2px solid rgb(40,50,80)" }} />
        transformer
      </span>
      <span className={styles.legendItem}>
        <span aria-hidden style={{ fontSize: 13 }}>
          ▶
        </span>
        direction of active power
      </span>
    </div>
  );
  return (
    <MapLegend symbols={symbols} testId="diagram-legend">
      {values && domain && (
        <div className={styles.legendGroup} data-testid="diagram-legend-values">
          <span className={styles.legendTitle}>{values.label}</span>
          <span>{fmt(domain[0])}</span>
          <span className={styles.swatchLine} style={{ width: 110, height: 10, background: `linear-gradient(to right, ${colors.map(cssColor).join(", ")})` }} />
          <span>{fmt(domain[1])}</span>
        </div>
      )}
      {(overlays?.highlights ?? []).length > 0 && (
        <div className={styles.legendGroup}>
          {overlays!.highlights!.map((h) => (
            <span key={h.label} className={styles.legendItem}>
              <span className={styles.swatchLine} style={{ height: 7, background: cssColor(h.color ?? DEFAULT_HIGHLIGHT) }} />
              {h.label}
            </span>
          ))}
        </div>
      )}
      {markerKinds.size > 0 && (
        <div className={styles.legendGroup}>
          {[...markerKinds.values()].map((k) => (
            <span key={k.color} className={styles.legendItem}>
              <span className={styles.swatchDot} style={{ width: 14, height: 14, background: "transparent", border: `3px solid ${k.color}` }} />
              {k.count === 1 ? k.label : `${k.count} marked buses`}
            </span>
          ))}
        </div>
      )}
    </MapLegend>
  );
}
