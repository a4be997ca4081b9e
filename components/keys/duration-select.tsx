"use client";

import { ChoiceSelect } from "@/components/ui/choice-select";

/**
 * A picker over a list of durations (`{ seconds, label }`, as the contract's ROLL_GRACE_CHOICES and
 * SHADOW_DURATION_CHOICES), its value the seconds as a string: the roll's grace and the shadow period.
 */
export function DurationSelect({
  choices,
  ...props
}: {
  id: string;
  value: string;
  onValueChange: (value: string) => void;
  choices: readonly { seconds: number; label: string }[];
  className?: string;
  disabled?: boolean;
}) {
  return (
    <ChoiceSelect {...props} choices={choices.map((c) => ({ value: String(c.seconds), label: c.label }))} />
  );
}
