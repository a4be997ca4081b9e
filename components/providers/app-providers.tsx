"use client";

import { useRouter } from "next/navigation";
import * as React from "react";
import { registerAccountHandlers } from "@/lib/api/account-state";
import { PausedBanner } from "@/components/errors/paused-banner";
import type { DehydratedError } from "@/lib/api/dehydrated";
import { toErrorUi } from "@/lib/api/error-ui";
import { ApiError } from "@/lib/api/errors";
import { toast } from "@/lib/toast";

const PausedContext = React.createContext<ApiError | null>(null);

/** The account-wide paused state (set by the global error handler), for the shell's banner. */
export function usePausedError() {
  return React.useContext(PausedContext);
}

/**
 * Account-wide states raised by the query client: a lost session goes to sign-in, a paused customer
 * gets the banner (from the first paint when the server's own call was refused: `initialPaused`),
 * anything else not handled by its component is a toast with the request id.
 */
export function AppProviders({
  initialPaused = null,
  children,
}: {
  initialPaused?: DehydratedError | null;
  children: React.ReactNode;
}) {
  const [paused, setPaused] = React.useState<ApiError | null>(() =>
    initialPaused ? new ApiError(initialPaused.apiError) : null,
  );
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
        onUnhandled: (error, id) => {
          const ui = toErrorUi(error);
          toast.error(ui.title, {
            id,
            description: `${ui.message}${error.requestId ? ` (${error.requestId})` : ""}`,
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
  return <PausedBanner error={paused} />;
}
