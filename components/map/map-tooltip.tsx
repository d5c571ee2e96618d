import type { ElementDescription } from "./describe";
import styles from "./grid-map.module.css";

/** The tooltip of a hovered element on the map or the diagram: title, kind and its first rows. */
export function MapTooltip({ description, x, y, rows = 4 }: { description: ElementDescription; x: number; y: number; rows?: number }) {
  return (
    <div className={`${styles.tooltip} ${description.alarm ? styles.tooltipAlarm : ""}`} style={{ left: x + 14, top: y + 14 }} data-testid="map-tooltip">
      <strong>{description.title}</strong>
      <div>{description.subtitle}</div>
      {description.rows.slice(0, rows).map(([k, v]) => (
        <div key={k}>
          {k}: {v}
        </div>
      ))}
    </div>
  );
}
