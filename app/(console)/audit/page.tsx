import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { createLoader, type SearchParams } from "nuqs/server";
import { AuditLogView } from "@/components/audit/audit-log-view";
import { auditSearchParams, toAuditFilters } from "@/components/audit/audit-search";
import { can } from "@/lib/api/contract/roles";
import { auditQueries } from "@/lib/api/queries/audit";
import { currentSession } from "@/lib/server/auth/current";
import { Prefetch } from "@/lib/server/console/prefetch";

export const metadata: Metadata = { title: "Audit log" };

const loadAuditSearch = createLoader(auditSearchParams);

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  // A customer's own log, for the roles that may read it (the API answers the others 404 too).
  const session = await currentSession();
  if (!session?.customer || !can(session.user.role, "audit.read")) notFound();
  const filters = toAuditFilters(await loadAuditSearch(searchParams));
  return (
    <Prefetch queries={[auditQueries.list(filters)]}>
      <AuditLogView canOpenRequests={can(session.user.role, "requests.read")} />
    </Prefetch>
  );
}
