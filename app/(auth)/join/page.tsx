import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";
import { JoinButton } from "@/components/members/join-button";
import { QueryProvider } from "@/components/providers/query-provider";
import { ROLE_LABELS } from "@/lib/api/contract/roles";
import { currentSession } from "@/lib/server/auth/current";
import { previewInvitation } from "@/lib/server/members/invitations";

export const metadata: Metadata = { title: "Join a team" };

const link = "font-medium text-foreground underline underline-offset-4";

/**
 * An invitation's link: who invited whom to which team as what. Signed out, the person signs up or
 * signs in (and comes back here); signed in as the invited email, they join.
 */
export default async function JoinPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  const invitation = token ? await previewInvitation(token) : null;
  const footer = (
    <Link className={link} href="/">
      Go to the console
    </Link>
  );
  if (!token || !invitation) {
    return (
      <AuthCard title="Invitation not found" description="This invitation link is not valid." footer={footer}>
        <p className="text-sm text-muted-foreground">Ask the person who invited you for a new link.</p>
      </AuthCard>
    );
  }
  const role = ROLE_LABELS[invitation.role];
  if (invitation.status !== "pending") {
    return (
      <AuthCard
        title={`Invitation ${invitation.status}`}
        description={`This invitation to ${invitation.customerName} was ${invitation.status === "expired" ? "valid for 7 days and has expired" : invitation.status}.`}
        footer={footer}
      >
        <p className="text-sm text-muted-foreground">
          Each link works once. Ask {invitation.invitedBy ?? "the team's owner"} for a new one.
        </p>
      </AuthCard>
    );
  }
  const description = `${invitation.invitedBy ?? "A member"} invited ${invitation.email} to join ${invitation.customerName} as ${role}.`;
  const session = await currentSession();
  const next = `/join?token=${encodeURIComponent(token)}`;
  if (!session) {
    const email = encodeURIComponent(invitation.email);
    return (
      <AuthCard title={`Join ${invitation.customerName}`} description={description} footer={footer}>
        <p className="text-sm text-muted-foreground">
          Sign in or create an account as {invitation.email} to join.
        </p>
        <div className="flex flex-col gap-2">
          <Link
            className="inline-flex h-9 items-center justify-center rounded-md bg-primary px-4 text-sm font-medium text-primary-foreground hover:bg-primary/90"
            href={`/sign-up?next=${encodeURIComponent(next)}&email=${email}`}
          >
            Create an account to join
          </Link>
          <Link
            className="inline-flex h-9 items-center justify-center rounded-md border px-4 text-sm font-medium hover:bg-accent"
            href={`/sign-in?next=${encodeURIComponent(next)}&email=${email}`}
          >
            Sign in to join
          </Link>
        </div>
      </AuthCard>
    );
  }
  if (session.user.email.toLowerCase() !== invitation.email) {
    return (
      <AuthCard title={`Join ${invitation.customerName}`} description={description} footer={footer}>
        <p role="alert" className="text-sm">
          You are signed in as {session.user.email}. This invitation is for {invitation.email}: sign out, then
          sign in as that person to accept it.
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={`Join ${invitation.customerName}`} description={description} footer={footer}>
      <p className="text-sm text-muted-foreground">You are signed in as {session.user.email}.</p>
      <QueryProvider>
        <JoinButton token={token} team={invitation.customerName} />
      </QueryProvider>
    </AuthCard>
  );
}
