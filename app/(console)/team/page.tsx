import type { Metadata } from "next";
import { TeamView } from "@/components/members/team-view";
import { memberQueries } from "@/lib/api/queries/members";
import { currentSession } from "@/lib/server/auth/current";
import { Prefetch } from "@/lib/server/console/prefetch";

export const metadata: Metadata = { title: "Team" };

export default async function TeamPage() {
  const session = await currentSession();
  if (!session?.customer || session.user.role === "support") {
    return (
      <div className="flex flex-col gap-2">
        <h1 className="text-2xl font-semibold tracking-tight">Team</h1>
        <p className="text-sm text-muted-foreground">
          Teams belong to customer accounts; this account has none.
        </p>
      </div>
    );
  }
  return (
    <Prefetch queries={[memberQueries.members(), memberQueries.invitations()]}>
      <TeamView me={{ userId: session.user.id, role: session.user.role }} />
    </Prefetch>
  );
}
