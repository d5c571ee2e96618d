"use client";

import { useState, type ReactNode } from "react";
import styles from "./bcm.module.css";
import { type Column, TableHead } from "@/components/ui/table-head";

/** Which rows of a table are expanded, by id. */
export function useExpanded(): { isOpen: (id: string) => boolean; toggle: (id: string) => void } {
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
export function ExpandButton({ id, open, onToggle }: { id: string; open: boolean; onToggle: () => void }) {
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
