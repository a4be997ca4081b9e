"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import * as React from "react";
import { toast } from "sonner";
import { PausedBanner } from "@/components/errors/paused-banner";
import { toErrorUi } from "@/lib/api/error-ui";
import { type ApiError } from "@/lib/api/errors";
import { makeQueryClient } from "@/lib/api/query-client";

const PausedContext = React.createContext<ApiError | null>(null);

/** The account-wide paused state (set by the global error handler), for the shell's banner. */
export function usePausedError() {
  return React.useContext(PausedContext);
}

export function AppProviders({ children }: { children: React.ReactNode }) {
  const [paused, setPaused] = React.useState<ApiError | null>(null);
  const router = useRouter();
  const [client] = React.useState(() =>
    makeQueryClient({
      onSignedOut: () => {
        const next = window.location.pathname + window.location.search;
        router.replace(`/sign-in?next=${encodeURIComponent(next)}`);
      },
      onCustomerPaused: (error) => setPaused(error),
      onAccountUsable: () => setPaused(null),
      onUnhandled: (error) => {
        const ui = toErrorUi(error);
        toast.error(ui.title, {
          description: `${ui.message}${error.requestId ? ` (${error.requestId})` : ""}`,
        });
      },
    }),
  );
  return (
    <QueryClientProvider client={client}>
      <PausedContext.Provider value={paused}>{children}</PausedContext.Provider>
    </QueryClientProvider>
  );
}

export function GlobalPausedBanner() {
  const paused = usePausedError();
  return paused ? <PausedBanner error={paused} /> : null;
}
