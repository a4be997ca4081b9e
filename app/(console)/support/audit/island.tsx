"use client";

import { island, VIEW_FALLBACK } from "@/components/providers/island";

// This page's view, an island (components/providers/island.tsx): its code loads beside the shell's.
export const AuditLog = island(() => import("@/components/support/audit-log"), "AuditLog", {
  urlState: true,
  fallback: VIEW_FALLBACK,
});
