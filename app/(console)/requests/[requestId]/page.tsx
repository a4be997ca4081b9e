import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { currentSession } from "@/lib/server/auth/current";
import { RequestDetail } from "@/components/requests/request-detail";

export const metadata: Metadata = { title: "Request" };

export default async function RequestPage({ params }: { params: Promise<{ requestId: string }> }) {
  const { requestId } = await params;
  if (!(await currentSession())?.customer) notFound();
  return <RequestDetail requestId={decodeURIComponent(requestId)} />;
}
