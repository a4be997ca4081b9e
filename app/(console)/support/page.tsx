import type { Metadata } from "next";
import { createLoader, parseAsString, type SearchParams } from "nuqs/server";
import { supportQueries } from "@/lib/api/queries/support";
import { type AnyQuery, Prefetch, serverQuery } from "@/lib/server/console/prefetch";
import { requireStaffPage } from "@/lib/server/support/staff-page";
import { SupportConsole } from "./support-console";

export const metadata: Metadata = { title: "Support" };

const loadLookup = createLoader({ q: parseAsString.withDefault("") });

/**
 * What the console shows first for `?q=`: the lookup, and for a single match what the results render
 * under it (a request's story, or the customer); without a query, the products panel.
 */
async function firstQueries(q: string): Promise<AnyQuery[]> {
  if (!q) return [supportQueries.products()];
  const lookup = supportQueries.lookup(q);
  const matches = (await serverQuery(lookup))?.data ?? [];
  const only = matches.length === 1 ? matches[0]! : null;
  if (only?.kind === "request") return [lookup, supportQueries.request(only.id)];
  if (only?.customer_id) return [lookup, supportQueries.customer(only.customer_id)];
  return [lookup];
}

export default async function SupportPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireStaffPage();
  const { q } = await loadLookup(searchParams);
  return (
    <Prefetch queries={await firstQueries(q)}>
      <SupportConsole />
    </Prefetch>
  );
}
