"use client";

import * as React from "react";
import { CheckIcon, MinusIcon } from "lucide-react";

import { cn } from "@/lib/utils";

type CheckboxProps = Omit<React.ComponentProps<"input">, "type" | "checked" | "onChange" | "ref"> & {
  /** "indeterminate": some of what it stands for is chosen (a "select all" over a partial selection). */
  checked?: boolean | "indeterminate";
  onCheckedChange?: (checked: boolean) => void;
};

/**
 * The platform's checkbox, drawn as shadcn's. Radix's Checkbox (a button) sets state as it mounts — its
 * form lookup from a ref, and its indicator's Presence — and on a page that has one (the jobs table's
 * row selection) that synchronous re-render landed in the commit that finishes hydration; see Switch.
 * The mixed state is the element's own `indeterminate`, which is what assistive technology reads.
 */
function Checkbox({ className, checked, onCheckedChange, ...props }: CheckboxProps) {
  const input = React.useRef<HTMLInputElement>(null);
  const indeterminate = checked === "indeterminate";
  React.useEffect(() => {
    if (input.current) input.current.indeterminate = indeterminate;
  }, [indeterminate]);
  return (
    <span
      data-slot="checkbox"
      className={cn("relative inline-grid size-4 shrink-0 place-items-center", className)}
    >
      <input
        ref={input}
        type="checkbox"
        checked={checked === undefined ? undefined : checked === true}
        onChange={(event) => onCheckedChange?.(event.target.checked)}
        className="peer absolute inset-0 m-0 cursor-pointer appearance-none rounded-[4px] border border-input shadow-xs transition-shadow outline-none checked:border-primary checked:bg-primary indeterminate:border-primary indeterminate:bg-primary focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50 disabled:cursor-not-allowed disabled:opacity-50 aria-invalid:border-destructive aria-invalid:ring-destructive/20 dark:bg-input/30 dark:checked:bg-primary dark:indeterminate:bg-primary dark:aria-invalid:ring-destructive/40"
        {...props}
      />
      <CheckIcon
        aria-hidden
        className="pointer-events-none relative hidden size-3.5 text-primary-foreground peer-checked:block peer-indeterminate:hidden"
      />
      <MinusIcon
        aria-hidden
        className="pointer-events-none relative hidden size-3.5 text-primary-foreground peer-indeterminate:block"
      />
    </span>
  );
}

export { Checkbox };
