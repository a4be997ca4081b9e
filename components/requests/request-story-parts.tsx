export type StoryAudience = "customer" | "staff";

// Pieces every part of a request story uses.

export function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex min-w-0 flex-col gap-0.5">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="min-w-0 text-sm break-words">{children}</dd>
    </div>
  );
}

export const none = <span className="text-muted-foreground">—</span>;

export function List({ items, empty }: { items: string[]; empty: string }) {
  if (!items.length) return <span className="text-muted-foreground">{empty}</span>;
  return (
    <ul className="flex flex-wrap gap-1">
      {items.map((item) => (
        <li key={item}>
          <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">{item}</code>
        </li>
      ))}
    </ul>
  );
}
