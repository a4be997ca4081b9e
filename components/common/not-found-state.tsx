import { SearchX, type LucideIcon } from "lucide-react";
import type * as React from "react";

/**
 * The empty state for an id that names nothing the viewer may see (it does not exist, or belongs to
 * another account): what was looked for, the id itself, and what to try instead.
 * `heading`: the page's one h1 when the state is the page, an h2 inside a section, or plain text
 * where the page already has its heading.
 */
export function NotFoundState({
  title,
  id,
  children,
  actions,
  heading = "h2",
  icon: Icon = SearchX,
}: {
  title: string;
  id: string;
  /** The sentence after the id: `{id} is not one of this account's requests.` */
  children: React.ReactNode;
  actions?: React.ReactNode;
  heading?: "h1" | "h2" | "p";
  icon?: LucideIcon;
}) {
  const Heading = heading;
  return (
    <div className="flex flex-col items-start gap-3 rounded-lg border border-dashed p-6" role="status">
      <Icon className="size-6 text-muted-foreground" aria-hidden />
      <Heading className="font-medium">{title}</Heading>
      <p className="text-sm text-muted-foreground">
        <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-foreground break-all">{id}</code>{" "}
        {children}
      </p>
      {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
    </div>
  );
}
