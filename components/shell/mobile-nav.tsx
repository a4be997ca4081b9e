"use client";

import { Menu } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { useHydrated } from "@/lib/use-hydrated";
import type { NavItem } from "./nav-items";

/** The navigation menu of small screens (not modal, inside the header's landmark: see UserMenu). */
export function MobileNav({ items }: { items: NavItem[] }) {
  const trigger = (
    <Button variant="ghost" size="icon" className="md:hidden" aria-label="Open navigation">
      <Menu aria-hidden />
    </Button>
  );
  // The shell's menus are made once the page is live. Their trigger is a Popper
  // anchor, which sets state as it mounts: in the commit that finishes hydration, that synchronous
  // re-render also drew the page's effects into the same task, the page's longest (/requests, a profiling
  // build's trace: commit 30–44 ms + effects 40–87 ms in one task). Before that the button is inert
  // anyway: the shell's LiveFieldset disables every control until the page is live.
  if (!useHydrated()) return trigger;
  return (
    <DropdownMenu modal={false}>
      <DropdownMenuTrigger asChild>{trigger}</DropdownMenuTrigger>
      <DropdownMenuContent align="start" inPlace>
        {items.map((item) => (
          <DropdownMenuItem key={item.href} asChild>
            <Link href={item.href}>
              <item.icon aria-hidden />
              {item.label}
            </Link>
          </DropdownMenuItem>
        ))}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
