"use client";

import { RenderFailure } from "@/components/errors/render-failure";
import "./styles/base.css";
import "./styles/layout.css";
import "./styles/forms.css";
import "./styles/tables.css";
import "./styles/pages.css";
import "./styles/workspace.css";

/** The root layout itself failed (it reads the session from the database): the page in its own document. */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body>
        <main className="page">
          <RenderFailure error={error} retry={reset} />
        </main>
      </body>
    </html>
  );
}
