import type { Metadata } from "next";
import { requireStaffPage } from "@/lib/server/support/staff-page";
import { AuditLog } from "@/components/support/audit-log";

export const metadata: Metadata = { title: "Audit log · Support" };

export default async function SupportAuditPage() {
  await requireStaffPage();
  return <AuditLog />;
}
