import Link from "next/link";
import { ThemeToggle } from "@/components/theme/theme-toggle";
import { Button } from "@/components/ui/button";

/**
 * The public docs' shell: no session is read (the pages are static and open signed out), so the way
 * into the console is one link; the proxy sends a signed-out visitor on to sign in.
 */
export default function DocsLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="border-b">
        <div className="mx-auto flex w-full max-w-4xl items-center justify-between gap-2 px-4 py-3 sm:px-6">
          <Link href="/docs/errors" className="font-semibold">
            Genmedia docs
          </Link>
          <nav aria-label="Docs" className="flex items-center gap-1">
            <Button asChild variant="ghost" size="sm">
              <Link href="/docs/errors">Error codes</Link>
            </Button>
            <Button asChild variant="outline" size="sm">
              <Link href="/">Console</Link>
            </Button>
            <ThemeToggle />
          </nav>
        </div>
      </header>
      <main className="mx-auto w-full max-w-4xl flex-1 px-4 py-8 sm:px-6">{children}</main>
    </div>
  );
}
