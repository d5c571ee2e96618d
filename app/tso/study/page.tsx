import type { Metadata } from "next";
import { forbidden, redirect } from "next/navigation";
import { StudyPanel } from "@/components/tso/study-panel";
import { currentUser } from "@/lib/server/auth";

export const metadata: Metadata = { title: "Coordination study" };

/** The TSO's 29-feeder coordination study (papers 000/002), computed in the browser's solver workers. TSO only. */
export default async function StudyPage() {
  const user = await currentUser();
  if (!user) redirect(`/signin?next=${encodeURIComponent("/tso/study")}`);
  if (user.role !== "TSO") forbidden();
  return (
    <>
      <div className="page-header">
        <div>
          <h1>TSO–DSO coordination with regions</h1>
          <p>
            Each distribution system appears to the TSO only as its region at the PCC and the cost of its exchange; the TSO&apos;s AC-OPF sets every PCC, and each DSO then dispatches its own units.
            Compared here with the centralized AC-OPF of the whole system, as in paper 000&apos;s Fig. 3.
          </p>
        </div>
      </div>
      <StudyPanel />
    </>
  );
}
