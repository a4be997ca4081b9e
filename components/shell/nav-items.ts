import { CreditCard, KeyRound, LayoutDashboard, type LucideIcon } from "lucide-react";
import { History, LifeBuoy, ScrollText } from "lucide-react";
import { FlaskConical, ListChecks, UserRound, Webhook } from "lucide-react";
import type { Permission } from "@/lib/api/contract/roles";

export type NavItem = {
  href: string;
  label: string;
  icon: LucideIcon;
  staffOnly?: boolean;
  /** A customer's page, shown to members whose role has this permission (lib/api/contract/roles.ts). */
  needs?: Permission;
};

/** Only features that exist are listed: no placeholder pages. */
export const NAV_ITEMS: NavItem[] = [
  { href: "/", label: "Overview", icon: LayoutDashboard },
  { href: "/playground", label: "Playground", icon: FlaskConical, needs: "jobs.write" },
  { href: "/jobs", label: "Jobs", icon: ListChecks, needs: "jobs.read" },
  { href: "/keys", label: "Keys", icon: KeyRound, needs: "keys.read" },
  { href: "/billing", label: "Billing", icon: CreditCard, needs: "billing.read" },
  { href: "/webhooks", label: "Webhooks", icon: Webhook, needs: "webhooks.read" },
  { href: "/requests", label: "Requests", icon: ScrollText, needs: "requests.read" },
  // UserRound: the account menu's icon, already in the shell (a new icon would cross the JS budget).
  { href: "/team", label: "Team", icon: UserRound, needs: "members.read" },
  { href: "/audit", label: "Audit log", icon: History, needs: "audit.read" },
  { href: "/support", label: "Support", icon: LifeBuoy, staffOnly: true },
];
