import * as React from "react";

import { cn } from "@/lib/utils";

type SwitchProps = Omit<React.ComponentProps<"input">, "type" | "role" | "onChange"> & {
  onCheckedChange?: (checked: boolean) => void;
};

/**
 * An on/off switch: the platform's checkbox with the switch role, drawn as a track and a thumb. Radix's
 * Switch (a button) sets state from its ref as it mounts, to find whether it sits in a form: on a page
 * that has one, that synchronous re-render landed in the commit that finishes hydration, and drew the
 * page's effects into the same task (/requests' filters). A checkbox needs no script to be one.
 */
function Switch({ className, onCheckedChange, ...props }: SwitchProps) {
  return (
    <span
      data-slot="switch"
      className={cn("relative inline-flex h-[1.15rem] w-8 shrink-0 items-center", className)}
    >
      <input
        type="checkbox"
        role="switch"
        className="peer absolute inset-0 m-0 cursor-pointer appearance-none rounded-full border border-transparent bg-input shadow-xs transition-all outline-none checked:bg-primary focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50 disabled:cursor-not-allowed disabled:opacity-50 dark:bg-input/80 dark:checked:bg-primary"
        onChange={(event) => onCheckedChange?.(event.target.checked)}
        {...props}
      />
      <span
        aria-hidden
        data-slot="switch-thumb"
        className="pointer-events-none relative block size-4 translate-x-px rounded-full bg-background ring-0 transition-transform peer-checked:translate-x-[calc(100%-1px)] dark:bg-foreground dark:peer-checked:bg-primary-foreground"
      />
    </span>
  );
}

export { Switch };
