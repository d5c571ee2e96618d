"use client";

import { RenderFailure } from "@/components/errors/render-failure";

/**
 * A page whose server rendering failed, inside the root layout. proxy.ts answers 503
 * before rendering when the database is down; this covers a database lost mid-render.
 */
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <RenderFailure error={error} retry={reset} />;
}
