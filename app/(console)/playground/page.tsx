import type { Metadata } from "next";
import { Suspense } from "react";
import { PlaygroundWithJobs } from "./island";

export const metadata: Metadata = { title: "Playground" };

export default function PlaygroundPage() {
  return (
    <Suspense>
      <PlaygroundWithJobs />
    </Suspense>
  );
}
