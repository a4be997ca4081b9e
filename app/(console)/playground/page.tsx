import type { Metadata } from "next";
import { Suspense } from "react";
import { PlaygroundWithJobs } from "./playground-with-jobs";

export const metadata: Metadata = { title: "Playground" };

export default function PlaygroundPage() {
  return (
    <Suspense>
      <PlaygroundWithJobs />
    </Suspense>
  );
}
