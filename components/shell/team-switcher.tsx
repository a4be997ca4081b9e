"use client";

import { Users } from "lucide-react";
import { useRouter } from "next/navigation";
import * as React from "react";
import { clearQueryClient } from "@/components/providers/query-provider";
import {
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuSeparator,
} from "@/components/ui/dropdown-menu";
import { ROLE_LABELS } from "@/lib/api/contract/roles";
import type { Me } from "@/lib/api/contract/session.schema";
import { memberApi } from "@/lib/api/queries/members";
import { toast } from "@/lib/toast";

/**
 * The account menu's team list: a person in several teams switches this session between them. The
 * query cache is cleared and the console re-rendered, so nothing of the previous team's stays.
 */
export function TeamSwitcher({ me }: { me: Me }) {
  const router = useRouter();
  const [pending, setPending] = React.useState(false);

  async function switchTeam(customerId: string) {
    if (customerId === me.customer?.id) return;
    setPending(true);
    try {
      const teams = await memberApi.switchTeam({ customerId });
      const name = teams.data.find((t) => t.active)?.customer_name ?? "the team";
      toast.success(`Switched to ${name}`);
      clearQueryClient();
      router.replace("/");
      router.refresh();
    } catch (error) {
      toast.error("Could not switch teams", {
        description: error instanceof Error ? error.message : undefined,
      });
    } finally {
      setPending(false);
    }
  }

  return (
    <>
      <DropdownMenuLabel className="flex items-center gap-2 text-xs font-normal text-muted-foreground">
        <Users aria-hidden className="size-3.5" />
        Switch team
      </DropdownMenuLabel>
      <DropdownMenuRadioGroup value={me.customer?.id ?? ""} onValueChange={(id) => void switchTeam(id)}>
        {(me.teams ?? []).map((team) => (
          <DropdownMenuRadioItem key={team.customer_id} value={team.customer_id} disabled={pending}>
            <span className="flex min-w-0 flex-col">
              <span className="truncate">{team.customer_name}</span>
              <span className="text-xs text-muted-foreground">{ROLE_LABELS[team.role]}</span>
            </span>
          </DropdownMenuRadioItem>
        ))}
      </DropdownMenuRadioGroup>
      <DropdownMenuSeparator />
    </>
  );
}
