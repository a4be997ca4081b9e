import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RequestDetail } from "@/components/requests/request-detail";
import { requestQueries } from "@/lib/api/queries/requests";
import { currentSession } from "@/lib/server/auth/current";
import { Prefetch } from "@/lib/server/console/prefetch";

export const metadata: Metadata = { title: "Request" };

export default async function RequestPage({ params }: { params: Promise<{ requestId: string }> }) {
  const { requestId } = await params;
  if (!(await currentSession())?.customer) notFound();
  const id = decodeURIComponent(requestId);
  // Another account's or an unknown request is the API's not_found: the view's not-found state.
  return (
    <Prefetch queries={[requestQueries.detail(id)]}>
      <RequestDetail requestId={id} />
    </Prefetch>
  );
}
