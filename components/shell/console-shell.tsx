"use client";

import { can } from "@/lib/api/contract/roles";
import { Sparkles } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import * as React from "react";
import { GlobalPausedBanner } from "@/components/providers/app-providers";
import { ThemeToggle } from "@/components/theme/theme-toggle";
import { AutoRechargeBanner } from "@/components/errors/auto-recharge-banner";
import { SpendAlertBanner } from "@/components/errors/spend-alert-banner";
import { LowBalanceBanner } from "@/components/errors/low-balance-banner";
import type { Me } from "@/lib/api/contract/session.schema";
import { cn } from "@/lib/utils";
import { HeaderBalance } from "./header-balance";
import { MobileNav } from "./mobile-nav";
import { NAV_ITEMS } from "./nav-items";
import { UserMenu } from "./user-menu";

export function ConsoleShell({ me, children }: { me: Me; children: React.ReactNode }) {
  const pathname = usePathname();
  const items = NAV_ITEMS.filter(
    (item) =>
      (!item.staffOnly || me.user.role === "support") &&
      (!item.needs || (me.customer !== null && can(me.user.role, item.needs))),
  );
  const isActive = (href: string) =>
    href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);

  return (
    <div className="flex min-h-dvh">
      <aside className="hidden w-56 shrink-0 flex-col border-r bg-muted/30 md:flex">
        <Link href="/" className="flex h-14 items-center gap-2 border-b px-4 font-semibold">
          <Sparkles className="size-5" aria-hidden />
          Genmedia
        </Link>
        <nav aria-label="Main" className="flex flex-col gap-1 p-2">
          {items.map((item) => (
            <Link
              key={item.href}
              href={item.href}
              aria-current={isActive(item.href) ? "page" : undefined}
              className={cn(
                "flex items-center gap-2 rounded-md px-3 py-2 text-sm text-muted-foreground transition-colors hover:bg-accent hover:text-accent-foreground",
                isActive(item.href) && "bg-accent font-medium text-accent-foreground",
              )}
            >
              <item.icon className="size-4" aria-hidden />
              {item.label}
            </Link>
          ))}
        </nav>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 items-center gap-2 border-b px-4">
          <MobileNav items={items} />
          <span className="truncate text-sm font-medium">{me.customer?.name ?? "Platform support"}</span>
          <div className="ml-auto flex items-center gap-2">
            {me.customer ? <HeaderBalance /> : null}
            <ThemeToggle />
            <UserMenu me={me} />
          </div>
        </header>
        <GlobalPausedBanner />
        {me.customer ? <AutoRechargeBanner canFix={can(me.user.role, "billing.write")} /> : null}
        {me.customer ? <LowBalanceBanner /> : null}
        {me.customer ? <SpendAlertBanner /> : null}
        {/* No input before the code is live: the layout's <Hydrate> puts the whole shell in a LiveFieldset. */}
        <main id="main" className="mx-auto w-full max-w-6xl flex-1 p-4 md:p-8">
          {children}
        </main>
      </div>
    </div>
  );
}
