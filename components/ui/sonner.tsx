"use client";

import * as React from "react";
import type { ToasterProps } from "sonner";
import { loadToaster, subscribeToaster, toasterWanted } from "@/lib/toast";

const SonnerToaster = React.lazy(() => import("./sonner-toaster"));

/**
 * The toast region. Sonner is not in the first-load bundle: it mounts on the first toast (lib/toast.ts),
 * or once the browser is idle after load, so its live region is usually in place before anything is said.
 */
function Toaster(props: ToasterProps) {
  const wanted = React.useSyncExternalStore(subscribeToaster, toasterWanted, () => false);

  React.useEffect(() => {
    if (toasterWanted()) return;
    const load = () => void loadToaster().catch(() => {});
    if ("requestIdleCallback" in window) {
      const id = window.requestIdleCallback(load, { timeout: 5_000 });
      return () => window.cancelIdleCallback(id);
    }
    const id = setTimeout(load, 2_000);
    return () => clearTimeout(id);
  }, []);

  if (!wanted) return null;
  return (
    <React.Suspense fallback={null}>
      <SonnerToaster {...props} />
    </React.Suspense>
  );
}

export { Toaster };
