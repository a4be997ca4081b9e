import type { Metadata } from "next";
import { Suspense } from "react";
import { JobsHistory } from "./island";

export const metadata: Metadata = { title: "Jobs" };

export default function JobsPage() {
  return (
    <Suspense>
      <JobsHistory />
    </Suspense>
  );
}
