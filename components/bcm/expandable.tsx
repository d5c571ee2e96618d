"use client";

import { Fragment, useState, type ReactNode } from "react";
import styles from "./bcm.module.css";
import { type Column, TableHead } from "@/components/ui/table-head";

/** Which rows of a table are expanded, by id. */
function useExpanded(): { isOpen: (id: string) => boolean; toggle: (id: string) => void } {
  const [open, setOpen] = useState<Set<string>>(new Set());
  return {
    isOpen: (id) => open.has(id),
    toggle: (id) =>
      setOpen((s) => {
        const next = new Set(s);
        if (!next.delete(id)) next.add(id);
        return next;
      }),
  };
}

/** The button in a row's first cell that opens its sub-table. */
function ExpandButton({ id, open, onToggle }: { id: string; open: boolean; onToggle: () => void }) {
  return (
    <button type="button" className={styles.expander} aria-expanded={open} onClick={onToggle}>
      {id}
    </button>
  );
}

/** A row spanning the table with a sub-table (per-asset rows of an aggregated bid). */
export function SubTableRow({ colSpan, testId, columns, children }: { colSpan: number; testId: string; columns: Column[]; children: ReactNode }) {
  return (
    <tr className={styles.subRow}>
      <td colSpan={colSpan}>
        <table className={styles.subTable} data-testid={testId}>
          <TableHead columns={columns} />
          <tbody>{children}</tbody>
        </table>
      </td>
    </tr>
  );
}

/**
 * A scrolling table whose rows open a sub-table (aggregated bids and their assets): the caller
 * renders each row, given the expand button for its first cell, and each row's sub-table row.
 */
export function ExpandableTable<T>({
  items,
  keyOf,
  columns,
  testId,
  row,
  sub,
}: {
  items: T[];
  keyOf: (item: T) => string;
  columns: Column[];
  testId?: string;
  row: (item: T, expander: ReactNode) => ReactNode;
  sub: (item: T) => ReactNode;
}) {
  const { isOpen, toggle } = useExpanded();
  return (
    <div className={`table-wrap ${styles.scroll}`}>
      <table className="data" data-testid={testId}>
        <TableHead columns={columns} />
        <tbody>
          {items.map((item) => {
            const id = keyOf(item);
            return (
              <Fragment key={id}>
                {row(item, <ExpandButton id={id} open={isOpen(id)} onToggle={() => toggle(id)} />)}
                {isOpen(id) && sub(item)}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
