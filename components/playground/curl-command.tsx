"use client";

import { Check, Copy } from "lucide-react";
import * as React from "react";
import { toast } from "@/lib/toast";
import { Button } from "@/components/ui/button";
import type { CreateJobBody } from "@/lib/api/contract/jobs.schema";

/** Single-quoted for a POSIX shell: ' becomes '\''. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

const subscribe = () => () => {};

/**
 * The equivalent curl: the key's prefix only (never a secret), and the Idempotency-Key the console
 * sends, so a program can repeat the call safely. A chosen file is uploaded first, as the console does.
 */
export function CurlCommand({
  body,
  keyPrefix,
  idempotencyKey,
  fileName,
}: {
  body: CreateJobBody;
  keyPrefix: string | null;
  idempotencyKey: string;
  fileName: string | null;
}) {
  const origin = React.useSyncExternalStore(
    subscribe,
    () => window.location.origin,
    () => "",
  );
  const auth = `-H ${shellQuote(`Authorization: Bearer ${keyPrefix ? `${keyPrefix}…` : "sk_live_…"}`)}`;
  const lines: string[] = [];
  if (fileName) {
    lines.push(
      `# 1. Upload the image; use the "url" of the answer below.`,
      `curl ${origin}/api/v1/uploads \\\n  ${auth} \\\n  -F ${shellQuote(`file=@${fileName}`)}`,
      "",
      "# 2. Create the job.",
    );
  }
  lines.push(
    `curl ${origin}/api/v1/jobs \\\n  ${auth} \\\n  -H 'Content-Type: application/json' \\\n  -H ${shellQuote(
      `Idempotency-Key: ${idempotencyKey}`,
    )} \\\n  -d ${shellQuote(JSON.stringify(body))}`,
  );
  const text = lines.join("\n");
  const [copied, setCopied] = React.useState(false);

  return (
    <div className="relative">
      <pre
        aria-label="Equivalent curl command"
        className="overflow-x-auto rounded-md border bg-muted/50 p-3 pr-12 font-mono text-xs leading-relaxed whitespace-pre"
        tabIndex={0}
      >
        {text}
      </pre>
      <Button
        type="button"
        variant="ghost"
        size="icon"
        className="absolute top-1.5 right-1.5 size-8"
        aria-label="Copy curl command"
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(text);
            setCopied(true);
            setTimeout(() => setCopied(false), 2000);
          } catch {
            toast.error("Could not copy", { description: "Select the command and copy it by hand." });
          }
        }}
      >
        {copied ? <Check aria-hidden /> : <Copy aria-hidden />}
      </Button>
    </div>
  );
}
