import type { Metadata } from "next";
import { KeyDetail } from "./island";

export const metadata: Metadata = { title: "API key" };

export default async function KeyPage({ params }: { params: Promise<{ keyId: string }> }) {
  const { keyId } = await params;
  return <KeyDetail keyId={keyId} />;
}
