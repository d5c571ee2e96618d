"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * False in the server's HTML and during hydration, true once React owns the page. A submit
 * button disabled until then cannot send its form natively (a GET to the same page, which
 * reloads it and loses the file or the typed values) when it is clicked before the scripts
 * have run — on a slow machine an operator, or a test, can be that quick.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
