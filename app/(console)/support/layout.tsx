import { requireStaffPage } from "@/lib/server/support/staff-page";

export default async function SupportLayout({ children }: { children: React.ReactNode }) {
  await requireStaffPage();
  return children;
}
