import type { ReactNode } from "react";
import { cssColor, loadingColor, LOADING_LEGEND, VOLTAGE_LEGEND } from "./colors";
import styles from "./grid-map.module.css";

/**
 * Legend of the grid map: line loading, bus voltage, markers. The network diagram
 * passes its own `symbols` (slack, transformers, flow arrows) in place of the map's
 * substation and PCC markers, and its overlays' legends as children.
 */
export function MapLegend({ symbols, children, testId = "map-legend" }: { symbols?: ReactNode; children?: ReactNode; testId?: string } = {}) {
  return (
    <div className={styles.legend} data-testid={testId}>
      <div className={styles.legendGroup}>
        <span className={styles.legendTitle}>Line loading</span>
        {LOADING_LEGEND.map((e) => (
          <span key={e.label} className={styles.legendItem}>
            <span className={styles.swatchLine} style={{ height: Math.max(2, Math.round(e.width)), background: cssColor(e.color) }} />
            {e.label}
          </span>
        ))}
        {!symbols && (
          <span className={styles.legendItem}>
            <span className={styles.swatchLine} style={{ height: 4, background: cssColor(loadingColor(30)!), outline: "2px solid rgb(20,30,70)" }} />
            20 kV cable
          </span>
        )}
        <span className={styles.legendItem}>
          <span className={styles.swatchDashed} />
          open point / out of service
        </span>
      </div>
      <div className={styles.legendGroup}>
        <span className={styles.legendTitle}>Bus voltage</span>
        {VOLTAGE_LEGEND.map((e) => (
          <span key={e.label} className={styles.legendItem}>
            <span className={styles.swatchDot} style={{ background: cssColor(e.color) }} />
            {e.label}
          </span>
        ))}
      </div>
      {symbols ?? (
        <div className={styles.legendGroup}>
          <span className={styles.legendItem}>
            <span className={styles.swatchDot} style={{ width: 14, height: 14, background: "#fff", border: "3px solid rgb(40,50,80)" }} />
            20/0.4 kV substation (ring: transformer loading)
          </span>
          <span className={styles.legendItem}>
            <span className={styles.swatchDot} style={{ width: 14, height: 14, background: "rgb(95,40,150)", border: "2px solid #fff" }} />
            PCC (slack)
          </span>
        </div>
      )}
      {children}
    </div>
  );
}
