"use client";

import * as React from "react";

export type DeferredTriggerProps = {
  onClick: () => void;
  onPointerEnter: () => void;
  onFocus: () => void;
};

/**
 * Stands in for a menu or dialog whose code is not in the first-load bundle: `placeholder` renders a
 * button that looks like the real trigger. Hovering or focusing it starts the download; clicking it
 * renders `children` (the lazy component, opened) as soon as the code is there.
 */
export function Deferred({
  preload,
  placeholder,
  children,
}: {
  preload: () => Promise<unknown>;
  placeholder: (props: DeferredTriggerProps) => React.ReactNode;
  children: React.ReactNode;
}) {
  const [active, setActive] = React.useState(false);
  const warm = () => void preload().catch(() => {});
  const trigger = placeholder({
    onClick: () => {
      warm();
      setActive(true);
    },
    onPointerEnter: warm,
    onFocus: warm,
  });
  if (!active) return trigger;
  return <React.Suspense fallback={trigger}>{children}</React.Suspense>;
}
