import { Button } from "@/components/ui/button";

export default function NotFound() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-4 p-6 text-center">
      <p className="font-mono text-sm text-muted-foreground">404</p>
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="max-w-md text-sm text-muted-foreground">
        This page does not exist, or your account cannot see it.
      </p>
      <Button asChild variant="outline">
        {/* A plain link: next/link here would be a second copy of its code in every page's first load
            (this boundary is part of every route) beside the one the shell or the page loads. */}
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
        <a href="/">Back to the console</a>
      </Button>
    </main>
  );
}
