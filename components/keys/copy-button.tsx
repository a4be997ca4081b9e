"use client";

import { Check, Copy } from "lucide-react";
import { useCopy } from "@/components/common/use-copy";
import { toast } from "@/lib/toast";
import { Button } from "@/components/ui/button";

/** Copies `text`; the toast never repeats what was copied (it may be a secret). */
export function CopyButton({ text, label, what }: { text: string; label: string; what: string }) {
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
