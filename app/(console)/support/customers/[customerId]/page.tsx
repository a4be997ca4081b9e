import type { Metadata } from "next";
import { CustomerView } from "@/components/support/customer-panel";
import { supportQueries } from "@/lib/api/queries/support";
import { Prefetch } from "@/lib/server/console/prefetch";
import { requireStaffPage } from "@/lib/server/support/staff-page";

export const metadata: Metadata = { title: "Customer · Support" };

export default async function SupportCustomerPage({ params }: { params: Promise<{ customerId: string }> }) {
  await requireStaffPage();
  const customerId = decodeURIComponent((await params).customerId);
  return (
    <Prefetch queries={[supportQueries.customer(customerId)]}>
      <CustomerView customerId={customerId} />
    </Prefetch>
  );
}
