import type { LedgerEntryKind } from "@/lib/api/contract/billing.schema";

/** What a ledger row is, in words (billing's ledger, a request's story, support's money views). */
export const LEDGER_KIND_LABEL = {
  top_up: "Top-up",
  job_charge: "Job charge",
  job_refund: "Refund",
  adjustment: "Adjustment",
} as const satisfies Record<LedgerEntryKind, string>;
