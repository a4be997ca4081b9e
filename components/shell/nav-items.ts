import { CreditCard, KeyRound, LayoutDashboard, type LucideIcon } from "lucide-react";
import { LifeBuoy, ScrollText } from "lucide-react";
import { FlaskConical, ListChecks, Webhook } from "lucide-react";

export type NavItem = {
  href: string;
  label: string;
  icon: LucideIcon;
  staffOnly?: boolean;
  customerOnly?: boolean;
};

/** Only features that exist are listed: no placeholder pages. */
export const NAV_ITEMS: NavItem[] = [
  { href: "/", label: "Overview", icon: LayoutDashboard },
  { href: "/playground", label: "Playground", icon: FlaskConical, customerOnly: true },
  { href: "/jobs", label: "Jobs", icon: ListChecks, customerOnly: true },
  { href: "/keys", label: "Keys", icon: KeyRound, customerOnly: true },
  { href: "/billing", label: "Billing", icon: CreditCard, customerOnly: true },
  { href: "/webhooks", label: "Webhooks", icon: Webhook, customerOnly: true },
  { href: "/requests", label: "Requests", icon: ScrollText, customerOnly: true },
  { href: "/support", label: "Support", icon: LifeBuoy, staffOnly: true },
];
