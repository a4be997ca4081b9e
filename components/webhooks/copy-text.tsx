"use client";

import { Check, Copy } from "lucide-react";
import { useCopy } from "@/components/common/use-copy";
import { Button } from "@/components/ui/button";
import { toast } from "@/lib/toast";

/** Copies `text`; the toast never repeats it (it may be a secret). */
export function CopyText({ text, label, what }: { text: string; label: string; what: string }) {
  const { copied, copy } = useCopy({
    done: () => toast.success(`${what} copied`),
    byHand: "Select the text and copy it by hand.",
  });
  return (
    <Button type="button" variant="outline" size="sm" onClick={() => void copy(text)}>
      {copied ? <Check aria-hidden /> : <Copy aria-hidden />}
      {label}
    </Button>
  );
}
