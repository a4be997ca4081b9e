"use client";

import { island, VIEW_FALLBACK } from "@/components/providers/island";

// This page's view, an island (components/providers/island.tsx): its code loads beside the shell's.
export const KeyDetail = island(() => import("@/components/keys/key-detail"), "KeyDetail", {
  fallback: VIEW_FALLBACK,
});
