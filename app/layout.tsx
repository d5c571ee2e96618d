import type { Metadata } from "next";
import type { ReactNode } from "react";
import { TopBar } from "@/components/nav/top-bar";
import { currentUser } from "@/lib/server/auth";
import "./styles/base.css";
import "./styles/layout.css";
import "./styles/forms.css";
import "./styles/tables.css";
import "./styles/pages.css";
import "./styles/workspace.css";

export const metadata: Metadata = {
  title: { default: "FlexPlat", template: "%s · FlexPlat" },
  description: "TSO–DSO flexibility platform: grid operators trade flexibility without giving away their grids.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  return (
    <html lang="en">
      <body>
        <TopBar user={user} />
        <main className="page">{children}</main>
        <footer className="footer">FlexPlat · grid data stays with its DSO; only sensitivity models, opaque ids and bids cross to the TSO.</footer>
      </body>
    </html>
  );
}
