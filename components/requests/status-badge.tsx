import { Badge } from "@/components/ui/badge";

/** An HTTP status, coloured by class: 2xx success, 4xx warning, 5xx destructive. */
export function StatusBadge({ status }: { status: number }) {
  const variant =
    status >= 500
      ? "destructive"
      : status >= 400
        ? "warning"
        : status >= 200 && status < 300
          ? "success"
          : "outline";
  return (
    <Badge variant={variant} className="font-mono tabular-nums">
      {status}
    </Badge>
  );
}

export function CodeBadge({ code }: { code: string | null }) {
  if (!code) return <span className="text-muted-foreground">—</span>;
  return (
    <Badge variant="outline" className="font-mono">
      {code}
    </Badge>
  );
}
