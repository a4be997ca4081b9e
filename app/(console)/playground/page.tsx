import type { Metadata } from "next";
import { keyQueries } from "@/lib/api/queries/keys";
import { productQueries } from "@/lib/api/queries/products";
import { Prefetch } from "@/lib/server/console/prefetch";
import { PlaygroundWithJobs } from "./playground-with-jobs";

export const metadata: Metadata = { title: "Playground" };

export default function PlaygroundPage() {
  // The product picker and the key picker come with the HTML.
  return (
    <Prefetch queries={[productQueries.list(), keyQueries.list()]}>
      <PlaygroundWithJobs />
    </Prefetch>
  );
}
