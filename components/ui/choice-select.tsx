"use client";

import { ChevronDownIcon } from "lucide-react";

import { cn } from "@/lib/utils";

export interface Choice<V extends string = string> {
  value: V;
  label: string;
}

/**
 * A picker over a fixed list of choices: the browser's own `<select>`, styled like the inputs
 * (shadcn's NativeSelect). The chosen label is in the server's HTML, the keyboard and screen-reader
 * behaviour is the platform's, and on a phone it opens the system picker. It was Radix's Select, whose
 * closed list still mounts every item (into a detached fragment) with a stack of providers each, in
 * synchronous renders right after hydration: on /keys/[keyId], with two of them, those renders were
 * most of the page's longest task (a development build's trace: 4 blocking renders, ~370 ms there).
 * The trigger takes the id its `<Label htmlFor>` names (or the one a `<FieldControl>` around it gives,
 * with the field's `aria-describedby` and `aria-invalid`); `className` sizes it (`w-32`).
 */
export function ChoiceSelect<V extends string>({
  id,
  value,
  onValueChange,
  choices,
  className,
  disabled,
  placeholder,
  invalid,
  "aria-describedby": describedBy,
  "aria-invalid": ariaInvalid,
}: {
  id?: string;
  value: V;
  onValueChange: (value: V) => void;
  choices: readonly Choice<V>[];
  className?: string;
  disabled?: boolean;
  placeholder?: string;
  invalid?: boolean;
  "aria-describedby"?: string;
  "aria-invalid"?: boolean | "true" | "false";
}) {
  const known = choices.some((c) => c.value === value);
  return (
    <div data-slot="choice-select" className={cn("relative w-fit", className)}>
      <select
        id={id}
        value={known ? value : ""}
        onChange={(event) => onValueChange(event.target.value as V)}
        disabled={disabled}
        aria-invalid={invalid || ariaInvalid === true || ariaInvalid === "true" ? true : undefined}
        aria-describedby={describedBy}
        className={cn(
          "h-9 w-full min-w-0 appearance-none truncate rounded-md border border-input bg-transparent py-1 pr-8 pl-3 text-sm shadow-xs transition-[color,box-shadow] outline-none",
          "focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50 disabled:cursor-not-allowed disabled:opacity-50",
          "aria-invalid:border-destructive aria-invalid:ring-destructive/20 dark:bg-input/30 dark:hover:bg-input/50 dark:aria-invalid:ring-destructive/40",
          // The open list is drawn by the browser: give it the page's colours in both themes.
          "[&>option]:bg-popover [&>option]:text-popover-foreground",
          !known && "text-muted-foreground",
        )}
      >
        {known ? null : (
          <option value="" disabled>
            {placeholder ?? ""}
          </option>
        )}
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      <ChevronDownIcon
        aria-hidden
        className="pointer-events-none absolute top-1/2 right-2.5 size-4 -translate-y-1/2 text-muted-foreground opacity-50"
      />
    </div>
  );
}
