import type { ReactNode } from "react";

/** A card of the workspaces: its heading, an optional muted note beside it, then its content. */
export function Card({ title, note, testId, children }: { title: ReactNode; note?: ReactNode; testId?: string; children: ReactNode }) {
  return (
    <div className="card" data-testid={testId}>
      <div className="card-title">
        <h2>{title}</h2>
        {note !== undefined && <span className="muted small">{note}</span>}
      </div>
      {children}
    </div>
  );
}
