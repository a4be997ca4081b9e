import type { Metadata } from "next";
import { requireStaffPage } from "@/lib/server/support/staff-page";
import { SupportRequestDetail } from "../../support-request-detail";

export const metadata: Metadata = { title: "Request · Support" };

export default async function SupportRequestPage({ params }: { params: Promise<{ requestId: string }> }) {
  await requireStaffPage();
  const { requestId } = await params;
  return <SupportRequestDetail requestId={decodeURIComponent(requestId)} />;
}
