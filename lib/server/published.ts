import "server-only";

/** The select of a row's grid with the name of the DSO that owns it. */
export const GRID_AND_DSO = { select: { name: true, owner: { select: { displayName: true } } } } as const;

/** The fields a published listing (light models, regions) starts with: the row, its grid and the DSO that owns it. */
export function publishedOrigin(r: { id: string; gridId: string; grid: { name: string; owner: { displayName: string } } }) {
  return { id: r.id, gridId: r.gridId, gridName: r.grid.name, dso: r.grid.owner.displayName };
}
