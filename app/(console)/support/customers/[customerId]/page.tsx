import type { Metadata } from "next";
import { Suspense } from "react";
import { ViewSkeleton } from "@/components/common/view-skeleton";
import { CustomerView } from "@/components/support/customer-panel";
import { supportQueries } from "@/lib/api/queries/support";
import { Prefetch } from "@/lib/server/console/prefetch";
import { requireStaffPage } from "@/lib/server/support/staff-page";

export const metadata: Metadata = { title: "Customer · Support" };

export default async function SupportCustomerPage({ params }: { params: Promise<{ customerId: string }> }) {
  await requireStaffPage();
  const customerId = decodeURIComponent((await params).customerId);
  return (
    <Suspense fallback={<ViewSkeleton label="Loading the customer" />}>
      <Prefetch queries={[supportQueries.customer(customerId)]}>
        <CustomerView customerId={customerId} />
      </Prefetch>
    </Suspense>
  );
}
