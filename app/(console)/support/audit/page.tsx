import type { Metadata } from "next";
import { AuditLog } from "@/components/support/audit-log";
import { requireStaffPage } from "@/lib/server/support/staff-page";

export const metadata: Metadata = { title: "Audit log · Support" };

export default async function SupportAuditPage() {
  await requireStaffPage();
  return <AuditLog />;
}
