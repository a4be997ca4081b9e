"use client";

import { ROLE_LABELS } from "@/lib/api/contract/roles";
import { LogOut, UserRound } from "lucide-react";
import { useRouter } from "next/navigation";
import * as React from "react";
import { toast } from "@/lib/toast";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { clearQueryClient } from "@/components/providers/query-provider";
import { authClient } from "@/lib/api/auth-client";
import type { Me } from "@/lib/api/contract/session.schema";
import { lazyNamed } from "@/lib/lazy";

// Only people in several teams see it, and only with the menu open: not in first-load JavaScript.
const TeamSwitcher = lazyNamed(() => import("./team-switcher"), "TeamSwitcher");

/**
 * The account menu. Not modal, and inside the header's landmark (`inPlace`): a modal menu hides the
 * page from assistive technology while it is open.
 */
export function UserMenu({ me }: { me: Me }) {
  const [pending, setPending] = React.useState(false);
  const router = useRouter();

  async function signOut() {
    setPending(true);
    const result = await authClient.signOut();
    if (result.error) {
      setPending(false);
      toast.error("Could not sign out", { description: result.error.message });
      return;
    }
    clearQueryClient();
    router.replace("/sign-in");
    router.refresh();
  }

  return (
    <DropdownMenu modal={false}>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" aria-label="Account menu">
          <UserRound aria-hidden />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-60" inPlace>
        <DropdownMenuLabel className="flex flex-col gap-0.5">
          <span className="truncate">{me.user.name}</span>
          <span className="truncate text-xs font-normal text-muted-foreground">{me.user.email}</span>
          <span className="text-xs font-normal text-muted-foreground">
            {me.user.role === "support"
              ? "Platform support"
              : `${ROLE_LABELS[me.user.role]} of ${me.customer?.name ?? "—"}`}
          </span>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        {me.teams && me.teams.length > 1 ? (
          <React.Suspense fallback={null}>
            <TeamSwitcher me={me} />
          </React.Suspense>
        ) : null}
        <DropdownMenuItem disabled={pending} onSelect={() => void signOut()}>
          <LogOut aria-hidden />
          Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
