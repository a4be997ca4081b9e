"use client";

import type * as React from "react";

import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "./select";

export interface Choice<V extends string = string> {
  value: V;
  label: React.ReactNode;
}

/**
 * A Select over a fixed list of choices whose chosen label is in the server's HTML. Radix's
 * `SelectValue` without children shows the chosen item's text only after hydration (it copies it
 * from the mounted item), so every picker was empty in the first paint; here the label is rendered
 * as the value's children. The trigger takes the id its `<Label htmlFor>` names.
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
}: {
  id: string;
  value: V;
  onValueChange: (value: V) => void;
  choices: readonly Choice<V>[];
  className?: string;
  disabled?: boolean;
  placeholder?: string;
  invalid?: boolean;
}) {
  const chosen = choices.find((c) => c.value === value);
  return (
    <Select value={value} onValueChange={(v) => onValueChange(v as V)} disabled={disabled}>
      <SelectTrigger id={id} className={className} aria-invalid={invalid ? true : undefined}>
        <SelectValue placeholder={placeholder}>{chosen?.label}</SelectValue>
      </SelectTrigger>
      <SelectContent>
        {choices.map((c) => (
          <SelectItem key={c.value} value={c.value}>
            {c.label}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
