"use client";

import { BookOpen, Check, Copy } from "lucide-react";
import Link from "next/link";
import { isErrorCode } from "@/lib/api/contract/error-codes";
import { useCopy } from "@/components/common/use-copy";
import { toast } from "@/lib/toast";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";

/**
 * The request id as visible text, and a button named "Copy request ID" that puts it on the clipboard;
 * with the error's `code`, a link to that code's page in the docs. Every error state shows its
 * request id through here, so every state links its code's page.
 */
export function RequestIdCopy({
  requestId,
  code,
  className,
}: {
  requestId: string | null;
  code?: string;
  className?: string;
}) {
  const { copied, copy } = useCopy({
    done: (id) => toast.success("Request ID copied", { description: id }),
    byHand: "Select the ID and copy it by hand.",
  });
  const docs = isErrorCode(code) ? <ErrorDocsLink code={code} /> : null;
  if (!requestId) return docs;

  return (
    // Wraps (the docs link goes under the id) where a narrow field leaves no room for one line.
    <div
      className={cn("flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-muted-foreground", className)}
    >
      <span className="whitespace-nowrap">Request ID</span>
      <code
        data-testid="request-id"
        className="rounded bg-muted px-1.5 py-0.5 font-mono break-all text-foreground select-all"
      >
        {requestId}
      </code>
      <Button
        type="button"
        variant="ghost"
        size="icon"
        className="size-7"
        aria-label="Copy request ID"
        onClick={() => void copy(requestId)}
      >
        {copied ? <Check aria-hidden /> : <Copy aria-hidden />}
      </Button>
      {docs}
    </div>
  );
}

/** "Docs: <code>", to the code's page: its meaning, causes, fix and whether to retry. */
export function ErrorDocsLink({ code, className }: { code: string; className?: string }) {
  return (
    <Link
      href={`/docs/errors/${code}`}
      prefetch={false}
      className={cn(
        "inline-flex items-center gap-1 text-xs text-muted-foreground underline underline-offset-4 hover:text-foreground",
        className,
      )}
    >
      <BookOpen className="size-3.5" aria-hidden />
      Docs: <span className="font-mono">{code}</span>
    </Link>
  );
}
