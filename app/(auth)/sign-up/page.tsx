import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { CredentialsForm } from "@/components/auth/credentials-form";
import { safeNextPath } from "@/lib/safe-next-path";
import { currentSession } from "@/lib/server/auth/current";

export const metadata: Metadata = { title: "Create account" };

export default async function SignUpPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string; email?: string }>;
}) {
  const { next, email } = await searchParams;
  if (await currentSession()) redirect(safeNextPath(next));
  return (
    <AuthCard
      title="Create your account"
      description="A new account gets its own team, API keys and credit balance."
      footer={
        <>
          Already have an account?{" "}
          <Link className="font-medium text-foreground underline underline-offset-4" href="/sign-in">
            Sign in
          </Link>
        </>
      }
    >
      <CredentialsForm mode="sign-up" next={next} defaultEmail={email} />
    </AuthCard>
  );
}
