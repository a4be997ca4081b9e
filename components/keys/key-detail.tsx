"use client";

import { NotFoundState } from "@/components/common/not-found-state";
import { useQuery } from "@tanstack/react-query";
import { ArrowLeft, KeyRound } from "lucide-react";
import Link from "next/link";
import * as React from "react";
import { LocalTime } from "@/components/common/local-time";
import { ErrorState } from "@/components/errors/error-state";
import { RequestIdCopy } from "@/components/errors/request-id-copy";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import type { Key } from "@/lib/api/contract/keys.schema";
import { toErrorUi } from "@/lib/api/error-ui";
import { keyQueries } from "@/lib/api/queries/keys";
import { KeyActions } from "./key-actions";
import { KeyAllowlists } from "./key-allowlists";
import { KeySnippets } from "./key-snippets";
import { KeyStatusBadges, LastUsed } from "./key-status";
import { KeyTester } from "./key-tester";
import type { RevealedSecret } from "./secret-dialog";
import { KeySpendLimitCard } from "./key-spend-limit";
import { formatDate, relativeOrDate } from "@/lib/format";
import { lazyNamed } from "@/lib/lazy";

// Only during a roll's grace: its code (and recharts) loads then, not with every key page.
const KeyRotation = lazyNamed(() => import("./key-rotation"), "KeyRotation");
// Only after a roll: the one-time secret's dialog (its checkbox and snippet) is not in the page's first load.
const SecretDialog = lazyNamed(() => import("./secret-dialog"), "SecretDialog");

/** /keys/[keyId]: details, allowlists, the tester, and pause/roll/revoke. */
export function KeyDetail({ keyId }: { keyId: string }) {
  const key = useQuery(keyQueries.detail(keyId));
  const [revealed, setRevealed] = React.useState<RevealedSecret | null>(null);

  return (
    <div className="flex flex-col gap-6">
      <Button asChild variant="ghost" size="sm" className="w-fit">
        <Link href="/keys">
          <ArrowLeft aria-hidden />
          API keys
        </Link>
      </Button>
      {key.isPending ? (
        <>
          {/* The page's heading while the key's own (its name) is loading. */}
          <h1 className="sr-only">API key {keyId}</h1>
          <div className="flex flex-col gap-4" role="progressbar" aria-busy="true" aria-label="Loading key">
            <Skeleton className="h-8 w-64" />
            <Skeleton className="h-40 w-full" />
            <Skeleton className="h-64 w-full" />
          </div>
        </>
      ) : key.isLoadingError ? (
        toErrorUi(key.error).kind === "not-found" ? (
          <NotFoundState
            title="Key not found"
            id={keyId}
            heading="h1"
            icon={KeyRound}
            actions={
              <>
                <RequestIdCopy requestId={toErrorUi(key.error).requestId} code={toErrorUi(key.error).code} />
                <Button asChild variant="outline">
                  <Link href="/keys">Back to API keys</Link>
                </Button>
              </>
            }
          >
            is not a key in this account. It may belong to another account.
          </NotFoundState>
        ) : (
          <ErrorState error={key.error} onRetry={() => void key.refetch()} />
        )
      ) : (
        <>
          <div className="flex flex-col gap-2">
            <div className="flex flex-wrap items-center gap-3">
              <h1 className="text-2xl font-semibold tracking-tight break-all">{key.data.name}</h1>
              <KeyStatusBadges keyData={key.data} />
            </div>
            <p className="font-mono text-sm text-muted-foreground">{key.data.prefix}…</p>
          </div>
          <KeyFacts keyData={key.data} />
          {key.data.rotation ? (
            <React.Suspense
              fallback={<Skeleton className="h-64 w-full" aria-busy="true" aria-label="Loading rotation" />}
            >
              <KeyRotation keyData={key.data} rotation={key.data.rotation} />
            </React.Suspense>
          ) : null}
          <KeySpendLimitCard keyData={key.data} />
          <KeyAllowlists keyData={key.data} />
          {key.data.status !== "revoked" ? (
            <>
              <KeyTester keyData={key.data} />
              <KeySnippets keyData={key.data} />
            </>
          ) : null}
          <KeyActions
            keyData={key.data}
            onRolling={() => void SecretDialog.preload()}
            onRolled={setRevealed}
          />
        </>
      )}
      {revealed ? (
        <React.Suspense fallback={null}>
          <SecretDialog revealed={revealed} onDone={() => setRevealed(null)} />
        </React.Suspense>
      ) : null}
    </div>
  );
}

function KeyFacts({ keyData }: { keyData: Key }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2>Details</h2>
        </CardTitle>
      </CardHeader>
      <CardContent>
        <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[auto_1fr]">
          <dt className="text-muted-foreground">Key ID</dt>
          <dd className="font-mono break-all">{keyData.id}</dd>
          <dt className="text-muted-foreground">Created</dt>
          <dd>
            <LocalTime iso={keyData.created_at} format={formatDate} />
          </dd>
          <dt className="text-muted-foreground">Last used</dt>
          <dd>
            <LastUsed keyData={keyData} />
          </dd>
          <dt className="text-muted-foreground">Expires</dt>
          <dd>
            {keyData.expires_at ? (
              <>
                <LocalTime iso={keyData.expires_at} format={formatDate} />{" "}
                <span className="text-muted-foreground">
                  (<LocalTime iso={keyData.expires_at} format={relativeOrDate} />)
                </span>
              </>
            ) : (
              "Never"
            )}
          </dd>
        </dl>
      </CardContent>
    </Card>
  );
}
