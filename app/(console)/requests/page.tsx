import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { currentSession } from "@/lib/server/auth/current";
import { RequestLog } from "@/components/requests/request-log";

export const metadata: Metadata = { title: "Requests" };

export default async function RequestsPage() {
  // A customer's own log: staff accounts have none (they use Support).
  if (!(await currentSession())?.customer) notFound();
  return <RequestLog />;
}
