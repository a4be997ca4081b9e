import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { CredentialsForm } from "@/components/auth/credentials-form";
import { safeNextPath } from "@/lib/safe-next-path";
import { currentSession } from "@/lib/server/auth/current";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string; email?: string }>;
}) {
  const { next, email } = await searchParams;
  if (await currentSession()) redirect(safeNextPath(next));
  return (
    <AuthCard
      title="Sign in"
      description="Manage API keys, credits and jobs."
      footer={
        <>
          No account?{" "}
          <Link
            className="font-medium text-foreground underline underline-offset-4"
            href={next ? `/sign-up?next=${encodeURIComponent(next)}` : "/sign-up"}
          >
            Create one
          </Link>
        </>
      }
    >
      <CredentialsForm mode="sign-in" next={next} defaultEmail={email} />
    </AuthCard>
  );
}
