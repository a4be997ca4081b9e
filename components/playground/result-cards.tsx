"use client";

import type * as React from "react";
import { CodeSnippets } from "@/components/common/code-snippets";
import { LiveIndicator } from "@/components/providers/live-indicator";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { JOB_POLL_MS } from "@/lib/api/queries/jobs";
import { LiveJob, type RenderJob } from "./live-job";
import type { Created } from "./use-generate";

/** The playground's right column: the created job, live, and the same request as code. */
export function ResultCards({
  created,
  renderJob,
  snippet,
}: {
  created: Created | null;
  renderJob: RenderJob;
  snippet: React.ComponentProps<typeof CodeSnippets>["request"];
}) {
  return (
    <div className="flex flex-col gap-6">
      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Result</h2>
          </CardTitle>
          <CardAction>
            <LiveIndicator pollMs={JOB_POLL_MS} />
          </CardAction>
        </CardHeader>
        <CardContent>
          {created ? (
            <LiveJob
              key={created.job.id}
              created={created.job}
              pastedKey={created.pastedKey}
              render={renderJob}
            />
          ) : (
            <p className="text-sm text-muted-foreground">
              Generate to see the job here, live, until its output is ready.
            </p>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>
            <h2>From your code</h2>
          </CardTitle>
          <CardDescription>
            The same request from a program, with the Idempotency-Key this Generate sends.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <CodeSnippets request={snippet} />
        </CardContent>
      </Card>
    </div>
  );
}
