"use client";

import { useRouter } from "next/navigation";
import * as React from "react";
import { registerAccountHandlers } from "@/lib/api/account-state";
import type { ApiError } from "@/lib/api/errors";
import { lazyNamed } from "@/lib/lazy";
import { toast } from "@/lib/toast";

const PausedContext = React.createContext<ApiError | null>(null);
const PausedBanner = lazyNamed(() => import("@/components/errors/paused-banner"), "PausedBanner");

/** The account-wide paused state (set by the global error handler), for the shell's banner. */
export function usePausedError() {
  return React.useContext(PausedContext);
}

/**
 * Account-wide states raised by the query client: a lost session goes to sign-in, a paused customer
 * gets the banner, anything else not handled by its component is a toast with the request id. The
 * query client itself loads with the first view that fetches (components/providers/island.tsx).
 */
export function AppProviders({ children }: { children: React.ReactNode }) {
  const [paused, setPaused] = React.useState<ApiError | null>(null);
  const router = useRouter();
  const routerRef = React.useRef(router);
  React.useEffect(() => {
    routerRef.current = router;
  }, [router]);

  React.useEffect(
    () =>
      registerAccountHandlers({
        onSignedOut: () => {
          const next = window.location.pathname + window.location.search;
          routerRef.current.replace(`/sign-in?next=${encodeURIComponent(next)}`);
        },
        onCustomerPaused: (error) => setPaused(error),
        onAccountUsable: () => setPaused(null),
        onUnhandled: (error) => {
          void import("@/lib/api/error-ui").then(({ toErrorUi }) => {
            const ui = toErrorUi(error);
            toast.error(ui.title, {
              description: `${ui.message}${error.requestId ? ` (${error.requestId})` : ""}`,
            });
          });
        },
      }),
    [],
  );

  return <PausedContext.Provider value={paused}>{children}</PausedContext.Provider>;
}

export function GlobalPausedBanner() {
  const paused = usePausedError();
  if (!paused) return null;
  return (
    <React.Suspense fallback={null}>
      <PausedBanner error={paused} />
    </React.Suspense>
  );
}
