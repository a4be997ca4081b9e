"use client";

import { LoadMore } from "@/components/common/load-more";
import { useInfiniteQuery } from "@tanstack/react-query";
import { KeyRound } from "lucide-react";
import Link from "next/link";
import * as React from "react";
import { LocalTime } from "@/components/common/local-time";
import { ErrorState } from "@/components/errors/error-state";
import { Card, CardContent } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { Key } from "@/lib/api/contract/keys.schema";
import { keyQueries } from "@/lib/api/queries/keys";
import { cn } from "@/lib/utils";
import { CreateKeyDialog } from "./create-key-dialog";
import { KeyStatusBadges, LastUsed } from "./key-status";
import { type RevealedSecret, SecretDialog } from "./secret-dialog";
import { relativeOrDate } from "@/lib/format";

/** /keys: every key of the customer, and the way to make a new one. */
export function KeysView() {
  const keys = useInfiniteQuery(keyQueries.pages());
  const all = keys.data?.pages.flatMap((p) => p.data) ?? [];
  const [revealed, setRevealed] = React.useState<RevealedSecret | null>(null);

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">API keys</h1>
          <p className="text-sm text-muted-foreground">
            Keys let your programs call the API. Restrict each one to the origins and networks that use it.
          </p>
        </div>
        <CreateKeyDialog onCreated={setRevealed} />
      </div>

      {keys.isPending ? (
        <Card role="progressbar" aria-busy="true" aria-label="Loading keys">
          <CardContent className="flex flex-col gap-3">
            {Array.from({ length: 4 }, (_, i) => (
              <Skeleton key={i} className="h-10 w-full" />
            ))}
          </CardContent>
        </Card>
      ) : keys.isLoadingError ? (
        <ErrorState error={keys.error} onRetry={() => void keys.refetch()} />
      ) : all.length === 0 ? (
        <Card>
          <CardContent className="flex flex-col items-center gap-3 py-10 text-center">
            <KeyRound className="size-10 text-muted-foreground" aria-hidden />
            <h2 className="text-lg font-medium">No API keys yet</h2>
            <p className="max-w-md text-sm text-muted-foreground">
              Create a key to call the API from your backend or your site. Its secret is shown once, when you
              create it.
            </p>
            <CreateKeyDialog onCreated={setRevealed} />
          </CardContent>
        </Card>
      ) : (
        <Card className="py-2">
          <CardContent className="px-2 sm:px-4">
            <KeysTable keys={all} />
            {keys.hasNextPage ? (
              <div className="flex justify-center py-2">
                <LoadMore query={keys} label="Load more keys" />
              </div>
            ) : null}
            {keys.isFetchNextPageError ? (
              <ErrorState error={keys.error} onRetry={() => void keys.fetchNextPage()} />
            ) : null}
          </CardContent>
        </Card>
      )}

      <SecretDialog revealed={revealed} onDone={() => setRevealed(null)} />
    </div>
  );
}

function KeysTable({ keys }: { keys: Key[] }) {
  return (
    <Table>
      <caption className="sr-only">API keys, newest first</caption>
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          <TableHead className="hidden sm:table-cell">Prefix</TableHead>
          <TableHead>Status</TableHead>
          <TableHead className="hidden md:table-cell">Created</TableHead>
          <TableHead>Last used</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {keys.map((key) => (
          <TableRow key={key.id} className={cn(key.status === "revoked" && "text-muted-foreground")}>
            <TableCell className="font-medium">
              <Link href={`/keys/${key.id}`} className="underline-offset-4 hover:underline">
                {key.name}
              </Link>
              <code className="block font-mono text-xs font-normal text-muted-foreground sm:hidden">
                {key.prefix}…
              </code>
            </TableCell>
            <TableCell className="hidden sm:table-cell">
              <code className="font-mono text-xs">{key.prefix}…</code>
            </TableCell>
            <TableCell>
              <KeyStatusBadges keyData={key} />
            </TableCell>
            <TableCell className="hidden md:table-cell">
              <LocalTime iso={key.created_at} format={relativeOrDate} />
            </TableCell>
            <TableCell>
              <LastUsed keyData={key} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
