"use client";

import { createContext, useContext, useState, type ReactNode } from "react";
import { useStore, type StoreApi } from "zustand";
import { createDsoStore, type DsoState } from "./dso-store";
import type { GridSummary } from "@/lib/wire/dso";

const DsoStoreContext = createContext<StoreApi<DsoState> | null>(null);

export function DsoStoreProvider({ grids, selectedId, children }: { grids: GridSummary[]; selectedId: string | null; children: ReactNode }) {
  const [store] = useState(() => createDsoStore({ grids, selectedId }));
  return <DsoStoreContext.Provider value={store}>{children}</DsoStoreContext.Provider>;
}

export function useDsoStore<T>(selector: (s: DsoState) => T): T {
  const store = useContext(DsoStoreContext);
  if (!store) throw new Error("useDsoStore must be used inside <DsoStoreProvider>");
  return useStore(store, selector);
}

export function useDsoStoreApi(): StoreApi<DsoState> {
  const store = useContext(DsoStoreContext);
  if (!store) throw new Error("useDsoStoreApi must be used inside <DsoStoreProvider>");
  return store;
}
