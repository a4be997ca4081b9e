import * as React from "react";

const subscribeToNothing = () => () => {};

/**
 * False in the server render and while React hydrates it, true from the first client render after.
 * Anything drawn or enabled only in the browser reads this, so the hydrated tree matches the HTML.
 */
export function useHydrated(): boolean {
  return React.useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
}
