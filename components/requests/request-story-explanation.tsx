import { ArrowRight, CheckCircle2, CircleAlert, Lightbulb } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import type { RequestStory } from "@/lib/api/contract/requests.schema";

import type { StoryAudience } from "./request-story-parts";

type Fix = { label: string; href: string } | { note: string };

/** The concrete next step for an error, as the customer can take it. */
function fixFor(story: RequestStory): Fix | null {
  const code = story.request.code;
  const key = story.key;
  switch (code) {
    case "origin_not_allowed":
    case "ip_not_allowed":
      return key
        ? { label: `Edit the allowlist of key “${key.name}”`, href: `/keys/${key.id}` }
        : { label: "Open your keys", href: "/keys" };
    case "account_disabled":
      if (story.paused_scope === "key" && key)
        return { label: `Resume key “${key.name}”`, href: `/keys/${key.id}` };
      if (story.paused_scope === "customer")
        return { note: "The account is paused. Contact support to resume it." };
      return { note: "It has been resumed since: the same request would pass now." };
    case "authentication_failed":
      return { label: "Check your API keys", href: "/keys" };
    case "insufficient_balance": {
      // A monthly credit limit refused it (details.reason "spend_limit"): the limit's setting, not a top-up.
      const details = story.error_details;
      if (details?.reason !== "spend_limit") return { label: "Top up", href: "/billing" };
      const keyId = details.limit === "key" && typeof details.key_id === "string" ? details.key_id : null;
      if (!keyId) return { label: "Raise the account's monthly limit", href: "/billing#spend-limit" };
      const name = key?.id === keyId ? `key “${key.name}”` : "the key";
      return {
        label: `Raise the monthly limit of ${name}`,
        href: `/keys/${encodeURIComponent(keyId)}#spend-limit`,
      };
    }
    case "queue_full":
      return { label: "View unfinished jobs", href: "/jobs?status=queued" };
    case "product_paused":
    case "invalid_product":
      return { label: "See the models you can call", href: "/" };
    case "invalid_state":
      return story.job ? { label: "Open the job", href: `/jobs/${story.job.id}` } : null;
    case "rate_limited":
      return { note: "Slow down and retry after the Retry-After seconds, with the same Idempotency-Key." };
    default:
      return null;
  }
}

/** What went wrong and how to fix it (or that it succeeded). */
export function Explanation({ story, audience }: { story: RequestStory; audience: StoryAudience }) {
  const explanation = story.explanation;
  if (!explanation) {
    return (
      <div
        role="status"
        className="flex items-start gap-3 rounded-lg border border-success/40 bg-success/10 p-4 text-sm"
      >
        <CheckCircle2 className="mt-0.5 size-5 shrink-0 text-success" aria-hidden />
        <p>
          <strong>Succeeded.</strong> The request was answered with HTTP {story.request.status}.
        </p>
      </div>
    );
  }
  const fix = fixFor(story);
  return (
    <section
      aria-labelledby="what-went-wrong"
      className="flex flex-col gap-3 rounded-lg border border-destructive/40 bg-destructive/5 p-4"
    >
      <div className="flex items-start gap-3">
        <CircleAlert className="mt-0.5 size-5 shrink-0 text-destructive" aria-hidden />
        <div className="flex flex-col gap-1">
          <h2 id="what-went-wrong" className="font-medium">
            {explanation.title}
          </h2>
          {explanation.meaning ? (
            <p className="text-sm text-muted-foreground">{explanation.meaning}</p>
          ) : null}
        </div>
      </div>
      {explanation.action || fix ? (
        <div className="flex flex-col gap-2 rounded-md bg-background/60 p-3 text-sm">
          <p className="flex items-center gap-2 font-medium">
            <Lightbulb className="size-4 text-warning" aria-hidden />
            How to fix it
          </p>
          {explanation.action ? <p>{explanation.action}</p> : null}
          {fix && "note" in fix ? <p>{fix.note}</p> : null}
          {fix && "href" in fix ? (
            audience === "customer" ? (
              <Button asChild size="sm" className="w-fit">
                <Link href={fix.href}>
                  {fix.label}
                  <ArrowRight aria-hidden />
                </Link>
              </Button>
            ) : (
              <p className="text-muted-foreground">Customer&apos;s next step: {fix.label}.</p>
            )
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
