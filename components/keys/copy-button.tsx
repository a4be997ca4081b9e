"use client";

import { Check, Copy } from "lucide-react";
import * as React from "react";
import { toast } from "@/lib/toast";
import { Button } from "@/components/ui/button";

/** Copies `text`; the toast never repeats what was copied (it may be a secret). */
export function CopyButton({ text, label, what }: { text: string; label: string; what: string }) {
  const [copied, setCopied] = React.useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      toast.success(`${what} copied`);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      toast.error("Could not copy", { description: "Select the text and copy it by hand." });
    }
  }
  return (
    <Button type="button" variant="outline" size="sm" onClick={() => void copy()}>
      {copied ? <Check aria-hidden /> : <Copy aria-hidden />}
      {label}
    </Button>
  );
}
