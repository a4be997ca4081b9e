/** What a page shows while its first data is fetched on the server (streamed in behind it). */
export function ViewSkeleton({ label }: { label: string }) {
  return (
    <div
      role="progressbar"
      aria-busy="true"
      aria-label={label}
      className="h-48 w-full animate-pulse rounded-xl bg-muted/50"
    />
  );
}
