import { parseAsIsoDate, parseAsString, parseAsStringLiteral } from "nuqs/server";
import { JOB_STATUSES } from "@/lib/api/contract/constants";
import type { JobFilters } from "@/lib/api/queries/jobs";

// The jobs history's URL state, shared by the view (useJobFilters) and its page, which reads the same
// parameters on the server to prefetch the same query (createLoader).

const DAY_MS = 86_400_000;

/** The history's filters live in the URL: a view can be shared, reloaded, and the back button works. */
export const jobSearchParams = {
  status: parseAsStringLiteral(JOB_STATUSES),
  product: parseAsString,
  key: parseAsString,
  /** UTC days, inclusive: `from=2025-03-01&to=2025-03-31`. */
  from: parseAsIsoDate,
  to: parseAsIsoDate,
};

export type JobSearch = {
  status: JobFilters["status"] | null;
  product: string | null;
  key: string | null;
  from: Date | null;
  to: Date | null;
};

/** URL state → the API's filters (whole UTC days; created_after/before are strict bounds). */
export function toJobFilters(search: JobSearch): JobFilters {
  const filters: JobFilters = {};
  if (search.status) filters.status = search.status;
  if (search.product) filters.product = search.product;
  if (search.key) filters.key_id = search.key;
  if (search.from) filters.created_after = new Date(search.from.getTime() - 1).toISOString();
  if (search.to) filters.created_before = new Date(search.to.getTime() + DAY_MS).toISOString();
  return filters;
}
