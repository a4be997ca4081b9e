"use client";

import * as React from "react";

// Without a provider (a component rendered on its own in the browser, as in unit tests) there was no
// server HTML to match: live from the first render.
const HydratedContext = React.createContext(true);

/**
 * Mounted once at the root: false in the server render and while React hydrates it, then true — flipped
 * in a transition after the root has hydrated. A transition renders in slices of a few milliseconds, so
 * the re-render of everything drawn or enabled only in the browser (local times, forms' controls, the
 * snippets' origin) does not hold the main thread in one long task. It used to be a
 * `useSyncExternalStore` per reader, whose server/client snapshots differ: React re-renders such a
 * mismatch synchronously, in the task that finishes hydration — 57–98 ms of CPU on /keys/[keyId]
 * (bench/trace-load.ts), most of that page's Total Blocking Time.
 */
export function HydratedProvider({ children }: { children: React.ReactNode }) {
  const [hydrated, setHydrated] = React.useState(false);
  React.useEffect(() => {
    React.startTransition(() => setHydrated(true));
  }, []);
  return <HydratedContext value={hydrated}>{children}</HydratedContext>;
}

/**
 * False in the server render and while React hydrates it, true once the page is live (at once in a
 * render after that, e.g. a client-side navigation). Anything drawn or enabled only in the browser
 * reads this, so the hydrated tree matches the HTML.
 */
export function useHydrated(): boolean {
  return React.useContext(HydratedContext);
}
