import { Badge } from "@/components/ui/badge";

// The small pieces every card of the customer panel uses.

export function StatusBadge({ status }: { status: "active" | "paused" | "revoked" }) {
  const variant = status === "active" ? "success" : status === "paused" ? "warning" : "outline";
  return (
    <Badge variant={variant} className="capitalize">
      {status}
    </Badge>
  );
}

export function Entries({ items, empty }: { items: string[]; empty: string }) {
  if (!items.length) return <span className="text-muted-foreground">{empty}</span>;
  return (
    <ul className="flex flex-col gap-0.5">
      {items.map((item) => (
        <li key={item} className="font-mono text-xs">
          {item}
        </li>
      ))}
    </ul>
  );
}

export type Level = "page" | "section";

/** Card titles sit one level under the panel's own heading. */
export function SubHeading({ level, children }: { level: Level; children: React.ReactNode }) {
  const Tag = level === "page" ? "h2" : "h3";
  return <Tag>{children}</Tag>;
}

export function Empty({ children }: { children: React.ReactNode }) {
  return <p className="text-sm text-muted-foreground">{children}</p>;
}
