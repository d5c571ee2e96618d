import styles from "@/components/map/grid-map.module.css";
import type { GridMapData } from "@/lib/map/map-data";

type Point = [number, number];

/** The hovered bus ringed, or the hovered line traced, over the picture (no redraw of the grid). */
export function HoverMark({ data, id, project }: { data: GridMapData; id: string; project: (p: Point) => Point }) {
  if (id.startsWith("bus:")) {
    const b = data.buses.find((x) => `bus:${x.id}` === id);
    if (!b) return null;
    const [x, y] = project(b.position);
    return <circle cx={x} cy={y} r={9} className="hover-ring" fill="none" stroke="rgb(0,180,255)" strokeWidth={3} />;
  }
  const l = data.lines.find((x) => `branch:${x.id}` === id);
  if (!l) return null;
  const [a, b] = [project(l.path[0]), project(l.path[l.path.length - 1])];
  return <line x1={a[0]} y1={a[1]} x2={b[0]} y2={b[1]} stroke="rgba(0,180,255,0.75)" strokeWidth={7} strokeLinecap="round" />;
}

/** A bus being dragged: where it would go and its lines to its neighbours. */
export function DragMark({ data, busId, position, project }: { data: GridMapData; busId: number; position: Point; project: (p: Point) => Point }) {
  const at = project(position);
  const ends = data.lines.flatMap((l) => (l.from === busId ? [l.path[l.path.length - 1]] : l.to === busId ? [l.path[0]] : []));
  return (
    <g>
      {ends.map((p, k) => {
        const q = project(p);
        // biome-ignore lint/suspicious/noArrayIndexKey: the dashed lines to a dragged bus's neighbours: a fresh list each frame, nothing kept per line
        return <line key={k} x1={q[0]} y1={q[1]} x2={at[0]} y2={at[1]} stroke="rgb(0,180,255)" strokeWidth={3} strokeDasharray="6 4" />;
      })}
      <circle cx={at[0]} cy={at[1]} r={7} fill="rgb(0,180,255)" />
    </g>
  );
}

/** The diagram's tools: the "Move buses" switch (when buses may be moved), zoom in and out, fit. */
export function DiagramTools({ moveMode, zoomBy, fit }: { moveMode: { on: boolean; set: (on: boolean) => void } | null; zoomBy: (steps: number) => void; fit: () => void }) {
  return (
    <div className={styles.diagramTools}>
      {moveMode && (
        <label className={styles.diagramTool}>
          <input type="checkbox" checked={moveMode.on} onChange={(e) => moveMode.set(e.target.checked)} data-testid="diagram-move-mode" />
          Move buses
        </label>
      )}
      <button type="button" className={styles.diagramTool} onClick={() => zoomBy(1)} aria-label="Zoom in">
        +
      </button>
      <button type="button" className={styles.diagramTool} onClick={() => zoomBy(-1)} aria-label="Zoom out">
        −
      </button>
      <button type="button" className={styles.diagramTool} onClick={fit} data-testid="diagram-fit">
        Fit
      </button>
    </div>
  );
}
