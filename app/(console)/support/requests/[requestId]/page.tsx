import type { Metadata } from "next";
import { supportQueries } from "@/lib/api/queries/support";
import { Prefetch } from "@/lib/server/console/prefetch";
import { requireStaffPage } from "@/lib/server/support/staff-page";
import { SupportRequestDetail } from "../../support-request-detail";

export const metadata: Metadata = { title: "Request · Support" };

export default async function SupportRequestPage({ params }: { params: Promise<{ requestId: string }> }) {
  await requireStaffPage();
  const requestId = decodeURIComponent((await params).requestId);
  return (
    <Prefetch queries={[supportQueries.request(requestId)]}>
      <SupportRequestDetail requestId={requestId} />
    </Prefetch>
  );
}
