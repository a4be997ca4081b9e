"use client";

import { island, VIEW_FALLBACK } from "@/components/providers/island";

// This page's view, an island (components/providers/island.tsx): its code loads beside the shell's.
export const SupportRequestDetail = island(
  () => import("../../support-request-detail"),
  "SupportRequestDetail",
  { fallback: VIEW_FALLBACK },
);
