import Link from "next/link";
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
        <Link href="/">Back to the console</Link>
      </Button>
    </main>
  );
}
