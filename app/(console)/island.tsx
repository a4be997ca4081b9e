"use client";

import { island, VIEW_FALLBACK } from "@/components/providers/island";

// This page's views, islands (components/providers/island.tsx): their code loads beside the shell's.
export const Overview = island(() => import("@/components/overview/overview"), "Overview", {
  fallback: VIEW_FALLBACK,
});
export const LowBalanceForm = island(
  () => import("@/components/billing/low-balance-form"),
  "LowBalanceForm",
  { fallback: VIEW_FALLBACK },
);
