import type { Metadata } from "next";
import { requireStaffPage } from "@/lib/server/support/staff-page";
import { CustomerView } from "@/components/support/customer-panel";

export const metadata: Metadata = { title: "Customer · Support" };

export default async function SupportCustomerPage({ params }: { params: Promise<{ customerId: string }> }) {
  await requireStaffPage();
  const { customerId } = await params;
  return <CustomerView customerId={decodeURIComponent(customerId)} />;
}
