"use client";

import * as React from "react";
import { LiveFieldset } from "@/components/ui/live-fieldset";
import type * as QueryRuntimeModule from "./query-runtime";

type Runtime = typeof QueryRuntimeModule;

let runtime: Promise<Runtime> | undefined;
const loadRuntime = () => (runtime ??= import("./query-runtime"));

/*
 * Islands share one query client, so an island that hydrates late could find data another island
 * fetched meanwhile and render differently from its server HTML (a hydration mismatch). So the client
 * does not fetch until every island rendered on the server has hydrated: each registers while it is
 * hydrated and checks out when its code has run (or after a few seconds, whatever happens).
 */
const waiting = new Set<string>();
let hydrated = typeof window === "undefined";
const onHydrated = new Set<() => void>();
let deadline: ReturnType<typeof setTimeout> | undefined;

function openGate() {
  if (hydrated) return;
  hydrated = true;
  clearTimeout(deadline);
  onHydrated.forEach((callback) => callback());
  onHydrated.clear();
}

function checkIn(id: string) {
  if (hydrated) return;
  waiting.add(id);
  deadline ??= setTimeout(openGate, 5_000);
}

function checkOut(id: string) {
  waiting.delete(id);
  if (waiting.size === 0) openGate();
}

/** Runs `callback` once every island of the first page load has hydrated (at once if they have). */
export function whenIslandsHydrated(callback: () => void): boolean {
  if (hydrated) return true;
  onHydrated.add(callback);
  return false;
}

/** What a page's view shows while its code loads after a client-side navigation. */
export const VIEW_FALLBACK = (
  <div
    role="progressbar"
    aria-busy="true"
    aria-label="Loading"
    className="h-48 w-full animate-pulse rounded-xl bg-muted/50"
  />
);

/**
 * A view that fetches its data, as an island: it is server-rendered like any client component (its
 * first paint is the same), and its code, TanStack Query's and the data layer's are an async chunk:
 * not part of the first-load JavaScript that hydrates the shell, but requested as soon as the module
 * that declares the island runs (before hydration starts), so the view hydrates right behind the
 * shell. Until it has, its buttons and fields are disabled (`LiveFieldset`): a click on them would be
 * lost, and text typed would not reach the state. This keeps every console page's first-load JavaScript
 * to the shell and the framework (`npm run bench`, 150 kB). Declare a page's islands in a module of its
 * own (app/(console)/…/island.tsx), so a page loads only its views. `urlState` also gives the view
 * nuqs; `fallback` shows while the code loads after a client-side navigation.
 */
export function island<M, K extends keyof M>(
  load: () => Promise<M>,
  name: K,
  options: { urlState?: boolean; fallback?: React.ReactNode } = {},
) {
  type Props = M[K] extends React.ComponentType<infer P> ? P : never;
  type InnerProps = { props: Props; islandId: string };
  // Once loaded, the island renders directly: no suspending (and no empty frame) on later pages.
  let loaded: React.ComponentType<InnerProps> | undefined;
  let loading: Promise<{ default: React.ComponentType<InnerProps> }> | undefined;
  const preload = () =>
    (loading ??= Promise.all([
      loadRuntime(),
      load(),
      options.urlState ? import("nuqs/adapters/next/app") : null,
    ]).then(
      ([{ QueryRuntime }, module, nuqs]) => {
        const View = module[name] as React.ComponentType<Props>;
        function Island({ props, islandId }: InnerProps) {
          React.useEffect(() => checkOut(islandId), [islandId]);
          // Until this view's own code has hydrated, its controls are disabled (LiveFieldset).
          const view = (
            <LiveFieldset>
              <View {...(props as Props & React.JSX.IntrinsicAttributes)} />
            </LiveFieldset>
          );
          return <QueryRuntime>{nuqs ? <nuqs.NuqsAdapter>{view}</nuqs.NuqsAdapter> : view}</QueryRuntime>;
        }
        loaded = Island;
        return { default: Island };
      },
      (error: unknown) => {
        loading = undefined; // a later render tries again
        throw error;
      },
    ));
  if (typeof window !== "undefined") void preload().catch(() => {});
  const Lazy = React.lazy(preload);
  function IslandBoundary(props: Props) {
    const islandId = React.useId();
    checkIn(islandId);
    // Chosen once per instance: switching component types later would remount the view.
    const [Island] = React.useState(() => loaded ?? Lazy);
    return (
      <React.Suspense fallback={options.fallback ?? null}>
        <Island props={props} islandId={islandId} />
      </React.Suspense>
    );
  }
  return IslandBoundary;
}
