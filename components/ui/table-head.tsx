/** A column of a data table's header: its title, or `{ num: title }` for a right-aligned column of numbers. */
export type Column = string | { num: string };

/** The header row of a data table. */
export function TableHead({ columns }: { columns: Column[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c) =>
          typeof c === "string" ? (
            <th key={c}>{c || null}</th>
          ) : (
            <th key={`num:${c.num}`} className="num">
              {c.num}
            </th>
          ),
        )}
      </tr>
    </thead>
  );
}
