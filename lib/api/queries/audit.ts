import { infiniteQueryOptions } from "@tanstack/react-query";
import type { CustomerAuditFilters } from "../contract/audit.schema";
import { apiFetch, lazySchema } from "../client";
import { toSearch } from "./requests";

const CustomerAuditListSchema = lazySchema(
  () => import("../contract/audit.schema"),
  (m) => m.CustomerAuditListSchema,
);

export const AUDIT_PAGE_SIZE = 50;

export const auditQueries = {
  all: () => ["audit"] as const,
  lists: () => [...auditQueries.all(), "list"] as const,
  list: (filters: CustomerAuditFilters) =>
    infiniteQueryOptions({
      queryKey: [...auditQueries.lists(), filters] as const,
      queryFn: ({ signal, pageParam }) =>
        apiFetch(
          `/audit${toSearch({ ...filters, limit: AUDIT_PAGE_SIZE, cursor: pageParam })}`,
          CustomerAuditListSchema,
          { signal },
        ),
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.next_cursor,
    }),
};
