import type { Metadata } from "next";
import { requireStaffPage } from "@/lib/server/support/staff-page";
import { SupportConsole } from "./support-console";

export const metadata: Metadata = { title: "Support" };

export default async function SupportPage() {
  await requireStaffPage();
  return <SupportConsole />;
}
