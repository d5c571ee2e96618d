import type { ElementDescription } from "./describe";
import styles from "./grid-map.module.css";

/** Details of the selected map element. */
export function ElementDetails({ description, onClose }: { description: ElementDescription; onClose: () => void }) {
  return (
    <div className={`${styles.details} ${description.alarm ? styles.detailsAlarm : ""}`} data-testid="map-details" data-element={description.id}>
      <div style={{ display: "flex", justifyContent: "space-between", gap: 12 }}>
        <div>
          <strong>{description.title}</strong> <span className="muted small">{description.subtitle}</span>
        </div>
        <button type="button" className="btn btn-ghost btn-small" onClick={onClose} aria-label="Close details">
          ×
        </button>
      </div>
      <table>
        <tbody>
          {description.rows.map(([k, v]) => (
            <tr key={k}>
              <td>{k}</td>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
