import type { Metadata } from "next";
import { KeyDetail } from "@/components/keys/key-detail";

export const metadata: Metadata = { title: "API key" };

export default async function KeyPage({ params }: { params: Promise<{ keyId: string }> }) {
  const { keyId } = await params;
  return <KeyDetail keyId={keyId} />;
}
