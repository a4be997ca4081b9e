import type { Metadata } from "next";
import { KeyDetail } from "@/components/keys/key-detail";
import { keyQueries } from "@/lib/api/queries/keys";
import { productQueries } from "@/lib/api/queries/products";
import { Prefetch } from "@/lib/server/console/prefetch";

export const metadata: Metadata = { title: "API key" };

export default async function KeyPage({ params }: { params: Promise<{ keyId: string }> }) {
  const { keyId } = await params;
  // A missing or another account's key is the API's not_found: handed over, it is the view's
  // "Key not found" state in the HTML.
  return (
    <Prefetch queries={[keyQueries.detail(keyId), productQueries.list()]}>
      <KeyDetail keyId={keyId} />
    </Prefetch>
  );
}
