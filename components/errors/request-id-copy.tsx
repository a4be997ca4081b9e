"use client";

import { Check, Copy } from "lucide-react";
import * as React from "react";
import { toast } from "@/lib/toast";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";

/** The request id as visible text, and a button named "Copy request ID" that puts it on the clipboard. */
export function RequestIdCopy({ requestId, className }: { requestId: string | null; className?: string }) {
  const [copied, setCopied] = React.useState(false);
  if (!requestId) return null;

  async function copy() {
    try {
      await navigator.clipboard.writeText(requestId!);
      setCopied(true);
      toast.success("Request ID copied", { description: requestId });
      setTimeout(() => setCopied(false), 2000);
    } catch {
      toast.error("Could not copy", { description: "Select the ID and copy it by hand." });
    }
  }

  return (
    <div className={cn("flex items-center gap-2 text-xs text-muted-foreground", className)}>
      <span>Request ID</span>
      <code
        data-testid="request-id"
        className="rounded bg-muted px-1.5 py-0.5 font-mono text-foreground select-all"
      >
        {requestId}
      </code>
      <Button
        type="button"
        variant="ghost"
        size="icon"
        className="size-7"
        aria-label="Copy request ID"
        onClick={copy}
      >
        {copied ? <Check aria-hidden /> : <Copy aria-hidden />}
      </Button>
    </div>
  );
}
