import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { AppProviders } from "@/components/providers/app-providers";
import { QueryProvider } from "@/components/providers/query-provider";
import { TimeZoneProvider } from "@/components/common/time-zone";
import { ConsoleShell } from "@/components/shell/console-shell";
import { ConsoleSlots } from "./console-slots";
import { Hydrate } from "@/components/providers/hydrate";
import { LiveEventsProvider } from "@/components/providers/live-events";
import type { Me } from "@/lib/api/contract/session.schema";
import { pausedErrorOf } from "@/lib/api/dehydrated";
import { billingQueries } from "@/lib/api/queries/billing";
import { currentSession } from "@/lib/server/auth/current";
import { listMemberships } from "@/lib/server/members/members";
import { prefetch } from "@/lib/server/console/prefetch";
import { TIME_ZONE_COOKIE, validTimeZone, zoneOffsetMinutes } from "@/lib/time-zone";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const session = await currentSession();
  if (!session) {
    const next = (await headers()).get("x-pathname") ?? "/";
    redirect(`/sign-in?next=${encodeURIComponent(next)}`);
  }
  const teams =
    session.user.role === "support"
      ? []
      : (await listMemberships(session.user.id, session.customer?.id ?? null)).data;
  const me: Me = { user: session.user, customer: session.customer, teams };
  // The shell's balance, low-balance and spend-limit banners come with the HTML; so does a paused
  // account's banner.
  const shell = me.customer
    ? await prefetch([billingQueries.balance(), billingQueries.settings(), billingQueries.spendAlerts()])
    : null;
  const zone = validTimeZone((await cookies()).get(TIME_ZONE_COOKIE)?.value);
  return (
    <TimeZoneProvider zone={zone} zoneOffset={zone ? zoneOffsetMinutes(zone) : null}>
      <AppProviders initialPaused={pausedErrorOf(shell)}>
        <QueryProvider>
          <Hydrate state={shell ?? { mutations: [], queries: [] }}>
            {/* One event stream per tab: jobs and balance update from it (a staff account has no customer). */}
            <LiveEventsProvider enabled={Boolean(me.customer)}>
              <ConsoleSlots>
                <ConsoleShell me={me}>{children}</ConsoleShell>
              </ConsoleSlots>
            </LiveEventsProvider>
          </Hydrate>
        </QueryProvider>
      </AppProviders>
    </TimeZoneProvider>
  );
}
