"use client";

import * as React from "react";
import { toast } from "@/lib/toast";

/**
 * Puts text on the clipboard, with the feedback every copy button here gives: `copied` for two
 * seconds (a check icon), a success toast, and "copy it by hand" when the clipboard refuses.
 */
export function useCopy({ done, byHand }: { done: (text: string) => void; byHand: string }) {
  const [copied, setCopied] = React.useState(false);
  async function copy(text: string) {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      done(text);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      toast.error("Could not copy", { description: byHand });
    }
  }
  return { copied, copy };
}
