import type { Metadata } from "next";
import { createLoader, type SearchParams } from "nuqs/server";
import { AuditLog } from "@/components/support/audit-log";
import { auditSearchParams, toAuditFilters } from "@/components/support/audit-search";
import { supportQueries } from "@/lib/api/queries/support";
import { Prefetch } from "@/lib/server/console/prefetch";
import { requireStaffPage } from "@/lib/server/support/staff-page";

export const metadata: Metadata = { title: "Audit log · Support" };

const loadAuditSearch = createLoader(auditSearchParams);

export default async function SupportAuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireStaffPage();
  const filters = toAuditFilters(await loadAuditSearch(searchParams));
  return (
    <Prefetch queries={[supportQueries.audit(filters)]}>
      <AuditLog />
    </Prefetch>
  );
}
