const credits = new Intl.NumberFormat("en-US");

export function formatCredits(n: number): string {
  return `${credits.format(n)} ${Math.abs(n) === 1 ? "credit" : "credits"}`;
}

export function formatMoney(cents: number, currency: string): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase() }).format(
    cents / 100,
  );
}

/** A safe post-sign-in target: a same-site path only, never another origin. */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  return next;
}
