import { KeyRound, LayoutDashboard, type LucideIcon } from "lucide-react";

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
  { href: "/keys", label: "Keys", icon: KeyRound, customerOnly: true },
];
