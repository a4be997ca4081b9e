import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { AppProviders } from "@/components/providers/app-providers";
import { ConsoleShell } from "@/components/shell/console-shell";
import type { Me } from "@/lib/api/contract/session.schema";
import { currentSession } from "@/lib/server/auth/current";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const session = await currentSession();
  if (!session) {
    const next = (await headers()).get("x-pathname") ?? "/";
    redirect(`/sign-in?next=${encodeURIComponent(next)}`);
  }
  const me: Me = { user: session.user, customer: session.customer };
  return (
    <AppProviders>
      <ConsoleShell me={me}>{children}</ConsoleShell>
    </AppProviders>
  );
}
