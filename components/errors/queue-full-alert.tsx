"use client";

import { ListOrdered } from "lucide-react";
import Link from "next/link";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { toErrorUi } from "@/lib/api/error-ui";
import { RequestIdCopy } from "./request-id-copy";

/** queue_full: how many jobs are unfinished against the cap, and a link to see them. */
export function QueueFullAlert({ error, href }: { error: unknown; href: string }) {
  const ui = toErrorUi(error);
  const { unfinished, limit } = ui.details;
  const counts =
    typeof unfinished === "number" && typeof limit === "number"
      ? `${unfinished} jobs are queued or running under this key; the limit is ${limit}.`
      : ui.message;
  return (
    <Alert variant="warning">
      <ListOrdered aria-hidden />
      <AlertTitle>{ui.title}</AlertTitle>
      <AlertDescription>
        <p>{counts}</p>
        <p>
          New jobs are refused until some finish. Wait for them, or cancel queued ones you no longer need.
        </p>
        <Link href={href} className="font-medium text-foreground underline underline-offset-4">
          View unfinished jobs
        </Link>
        <RequestIdCopy requestId={ui.requestId} code={ui.code} />
      </AlertDescription>
    </Alert>
  );
}
