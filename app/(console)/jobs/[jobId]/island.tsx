"use client";

import { island, VIEW_FALLBACK } from "@/components/providers/island";

// This page's view, an island (components/providers/island.tsx): its code loads beside the shell's.
export const JobDetail = island(() => import("@/components/jobs/job-detail"), "JobDetail", {
  fallback: VIEW_FALLBACK,
});
