"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CircleAlert, CircleCheck, Loader2, TimerOff } from "lucide-react";
import * as React from "react";
import { LocalTime } from "@/components/common/local-time";
import { ErrorState } from "@/components/errors/error-state";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { DEFAULT_ROTATION_QUIET_SECONDS, ROTATION_QUIET_CHOICES } from "@/lib/api/contract/constants";
import type { Key, KeyRotation as Rotation, SecretTraffic } from "@/lib/api/contract/keys.schema";
import { keyApi, keyQueries, storeKey } from "@/lib/api/queries/keys";
import { formatCount, formatDate, formatTimestamp, relativeOrDate } from "@/lib/format";
import { lazyNamed } from "@/lib/lazy";
import { toast } from "@/lib/toast";
import { DurationSelect } from "./duration-select";

const SecretTrafficBars = lazyNamed(() => import("./secret-traffic-bars"), "SecretTrafficBars");

const quietLabel = (seconds: number) =>
  ROTATION_QUIET_CHOICES.find((c) => c.seconds === seconds)?.label ?? `${seconds} s`;

/**
 * The rotation assistant, during a roll's grace: traffic per secret over time, who still sends the
 * old secret, "safe to expire now" once it has been quiet for the chosen window, and Expire old
 * secret now (audited on the server) behind a confirmation.
 */
export function KeyRotation({ keyData, rotation }: { keyData: Key; rotation: Rotation }) {
  const [quiet, setQuiet] = React.useState(String(DEFAULT_ROTATION_QUIET_SECONDS));
  const quietId = React.useId();
  const traffic = useQuery(keyQueries.secretTraffic(keyData.id, Number(quiet)));
  const queryClient = useQueryClient();
  const expire = useMutation({
    mutationFn: keyApi.expireOldSecret,
    onSuccess: (key) => {
      storeKey(queryClient, key);
      void queryClient.invalidateQueries({ queryKey: [...keyQueries.details(), key.id, "secret-traffic"] });
      toast.success("Old secret expired", {
        description: `${rotation.old_prefix}… no longer works; ${key.name} accepts only ${key.prefix}….`,
      });
    },
  });

  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2>Rotation</h2>
        </CardTitle>
        <CardDescription>
          Rolled <LocalTime iso={rotation.rolled_at} format={relativeOrDate} />. The old secret{" "}
          <code className="font-mono">{rotation.old_prefix}…</code> keeps working until{" "}
          <LocalTime iso={rotation.old_expires_at} format={formatDate} />; the new one is{" "}
          <code className="font-mono">{keyData.prefix}…</code>.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-5">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <div className="flex flex-col gap-2">
            <Label htmlFor={quietId}>Safe to expire after no use for</Label>
            <DurationSelect
              id={quietId}
              className="w-44"
              value={quiet}
              onValueChange={setQuiet}
              choices={ROTATION_QUIET_CHOICES}
            />
          </div>
          <ExpireOldSecret
            keyData={keyData}
            rotation={rotation}
            safe={traffic.data?.safe_to_expire ?? false}
            pending={expire.isPending}
            onExpire={() => expire.mutate({ id: keyData.id })}
          />
        </div>
        {expire.error ? <ErrorState error={expire.error} /> : null}
        {traffic.isPending ? (
          <Skeleton
            className="h-64 w-full"
            role="progressbar"
            aria-busy="true"
            aria-label="Loading traffic per secret"
          />
        ) : traffic.isLoadingError ? (
          <ErrorState error={traffic.error} onRetry={() => void traffic.refetch()} />
        ) : (
          <TrafficView traffic={traffic.data} quietSeconds={Number(quiet)} />
        )}
      </CardContent>
    </Card>
  );
}

function ExpireOldSecret({
  keyData,
  rotation,
  safe,
  pending,
  onExpire,
}: {
  keyData: Key;
  rotation: Rotation;
  safe: boolean;
  pending: boolean;
  onExpire: () => void;
}) {
  return (
    <AlertDialog>
      <AlertDialogTrigger asChild>
        <Button type="button" variant={safe ? "default" : "outline"} disabled={pending}>
          {pending ? <Loader2 className="animate-spin" aria-hidden /> : <TimerOff aria-hidden />}
          Expire old secret now
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Expire the old secret of “{keyData.name}”?</AlertDialogTitle>
          <AlertDialogDescription>
            Programs still using <code className="font-mono">{rotation.old_prefix}…</code> get
            authentication_failed from now on, instead of at the end of the grace period. Only{" "}
            <code className="font-mono">{keyData.prefix}…</code> keeps working.
            {safe ? "" : " It was used recently: those programs break."}
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <AlertDialogAction variant={safe ? "default" : "destructive"} onClick={onExpire}>
            Expire old secret
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}

function Verdict({ traffic, quietSeconds }: { traffic: SecretTraffic; quietSeconds: number }) {
  const window = quietLabel(quietSeconds);
  if (traffic.safe_to_expire) {
    return (
      <Alert role="status">
        <CircleCheck className="text-success" aria-hidden />
        <AlertTitle>Safe to expire now</AlertTitle>
        <AlertDescription>
          {traffic.old_last_seen_at ? (
            <p>
              No request used an old secret in the last {window}; the last one was{" "}
              <LocalTime iso={traffic.old_last_seen_at} format={relativeOrDate} />.
            </p>
          ) : (
            <p>No request has used an old secret since {formatTimestamp(traffic.from)}.</p>
          )}
        </AlertDescription>
      </Alert>
    );
  }
  return (
    <Alert role="status" variant="warning">
      <CircleAlert aria-hidden />
      <AlertTitle>Old secret still in use</AlertTitle>
      <AlertDescription>
        <p>
          The last request with it was{" "}
          {traffic.old_last_seen_at ? (
            <LocalTime iso={traffic.old_last_seen_at} format={relativeOrDate} />
          ) : (
            "never"
          )}
          . It is safe to expire once no request has used it for {window}: update the programs listed below to
          the new secret first.
        </p>
      </AlertDescription>
    </Alert>
  );
}

function TrafficView({ traffic, quietSeconds }: { traffic: SecretTraffic; quietSeconds: number }) {
  const series = traffic.secrets.map((s) => ({ prefix: s.prefix, current: s.current }));
  const data = React.useMemo(() => {
    const step = traffic.bucket_seconds * 1000;
    const first = Math.floor(Date.parse(traffic.from) / step) * step;
    const byStart = new Map<number, Record<string, number>>();
    for (let t = first; t <= Date.parse(traffic.to); t += step) {
      byStart.set(t, { t, ...Object.fromEntries(traffic.secrets.map((s) => [s.prefix, 0])) });
    }
    for (const b of traffic.buckets) {
      const row = byStart.get(Date.parse(b.start));
      if (row) row[b.prefix] = b.requests;
    }
    return [...byStart.values()];
  }, [traffic]);
  const summary = `Requests per ${formatCount(traffic.bucket_seconds / 60)} minutes by secret since ${formatTimestamp(traffic.from)}: ${traffic.secrets
    .map((s) => `${s.prefix} (${s.current ? "new" : "old"}) ${formatCount(s.requests)}`)
    .join(", ")}.`;
  return (
    <div className="flex flex-col gap-5">
      <Verdict traffic={traffic} quietSeconds={quietSeconds} />
      <section aria-labelledby="secret-traffic-heading" className="flex flex-col gap-2">
        <h3 id="secret-traffic-heading" className="text-sm font-medium">
          Requests per secret
        </h3>
        {traffic.secrets.length ? (
          <>
            <ul className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
              {traffic.secrets.map((s) => (
                <li key={s.prefix}>
                  <code className="font-mono">{s.prefix}…</code>{" "}
                  <span className="text-muted-foreground">({s.current ? "new" : "old"})</span>:{" "}
                  {formatCount(s.requests)} {s.requests === 1 ? "request" : "requests"}, last{" "}
                  <LocalTime iso={s.last_seen_at} format={relativeOrDate} />
                </li>
              ))}
            </ul>
            <figure className="h-56 w-full text-xs" role="img" aria-label={summary}>
              <React.Suspense fallback={<Skeleton className="h-full w-full" />}>
                <SecretTrafficBars data={data} series={series} />
              </React.Suspense>
            </figure>
          </>
        ) : (
          <p className="text-sm text-muted-foreground">
            No request with this key since {formatTimestamp(traffic.from)}.
          </p>
        )}
      </section>
      <section aria-labelledby="old-secret-clients-heading" className="flex flex-col gap-2">
        <h3 id="old-secret-clients-heading" className="text-sm font-medium">
          Still using the old secret
        </h3>
        {traffic.old_secret_clients.length ? (
          <Table aria-labelledby="old-secret-clients-heading">
            <TableHeader>
              <TableRow>
                <TableHead>IP</TableHead>
                <TableHead>Origin</TableHead>
                <TableHead>Secret</TableHead>
                <TableHead className="text-right">Requests</TableHead>
                <TableHead>Last seen</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {traffic.old_secret_clients.map((c) => (
                <TableRow key={`${c.ip} ${c.origin} ${c.prefix}`}>
                  <TableCell className="font-mono">{c.ip ?? "unknown"}</TableCell>
                  <TableCell className="font-mono break-all">
                    {c.origin ?? <span className="font-sans text-muted-foreground">no origin</span>}
                  </TableCell>
                  <TableCell className="font-mono">{c.prefix}…</TableCell>
                  <TableCell className="text-right tabular-nums">{formatCount(c.requests)}</TableCell>
                  <TableCell>
                    <LocalTime iso={c.last_seen_at} format={relativeOrDate} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : (
          <p className="text-sm text-muted-foreground">
            No IP or origin has sent an old secret since {formatTimestamp(traffic.from)}.
          </p>
        )}
      </section>
    </div>
  );
}
