"use client";

import type * as React from "react";
import { useHydrated } from "@/lib/use-hydrated";

/**
 * A form's controls, disabled until its code has hydrated. Before that, typing would not reach a
 * controlled input's state (hydration keeps the text on screen but the submit reads the empty state)
 * and a click would submit the form natively: a reload that drops the input, or, for credentials, a
 * GET with them in the URL. Laid out as if it were not there (`display: contents`).
 */
export function LiveFieldset({ children }: { children: React.ReactNode }) {
  return (
    <fieldset role="none" disabled={!useHydrated()} className="contents">
      {children}
    </fieldset>
  );
}
