import type { Metadata } from "next";
import { KeysView } from "@/components/keys/keys-view";
import { keyQueries } from "@/lib/api/queries/keys";
import { Prefetch } from "@/lib/server/console/prefetch";

export const metadata: Metadata = { title: "API keys" };

export default function KeysPage() {
  return (
    <Prefetch queries={[keyQueries.pages()]}>
      <KeysView />
    </Prefetch>
  );
}
