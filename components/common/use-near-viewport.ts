import * as React from "react";

/**
 * Whether the element has come within `margin` of the viewport (once it has, it stays true). For a
 * part of a page that is below the fold at first paint and costly to draw — the Billing usage chart:
 * recharts' chunk and its first render are ~330 ms of main-thread CPU in one piece — so that it is
 * drawn when the reader scrolls towards it, not while the page is becoming interactive.
 */
export function useNearViewport<T extends Element>(margin = "200px"): [React.RefCallback<T>, boolean] {
  const [element, setElement] = React.useState<T | null>(null);
  const [near, setNear] = React.useState(false);
  React.useEffect(() => {
    if (!element || near) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) React.startTransition(() => setNear(true));
      },
      { rootMargin: margin },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [element, near, margin]);
  return [setElement, near];
}
