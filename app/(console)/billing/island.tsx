"use client";

import { island, VIEW_FALLBACK } from "@/components/providers/island";

// This page's view, an island (components/providers/island.tsx): its code loads beside the shell's.
export const BillingView = island(() => import("@/components/billing/billing-view"), "BillingView", {
  fallback: VIEW_FALLBACK,
});
