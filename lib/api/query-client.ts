import { MutationCache, type Query, QueryCache, QueryClient } from "@tanstack/react-query";
import { newIdempotencyKey } from "./client";
import { ApiError } from "./errors";
import { retryDelay, shouldRetry } from "./retry";

declare module "@tanstack/react-query" {
  interface Register {
    defaultError: ApiError;
    /**
     * `pastedKey`: the call used a key pasted into the console, not the session, so its 401 is about
     * that key (not a lost session), its success says nothing about the account, and the view that
     * used the key shows its errors.
     */
    queryMeta: { pastedKey?: boolean };
    mutationMeta: { pastedKey?: boolean };
  }
}

export type AccountStateHandlers = {
  /** The session is gone: go to sign-in, then back. */
  onSignedOut: () => void;
  /** The customer (not just a key) is paused: show the banner everywhere. */
  onCustomerPaused: (error: ApiError) => void;
  /** A session request succeeded again: the customer is not paused (any more). */
  onAccountUsable?: () => void;
  /**
   * A failed background refetch the view cannot show (it shows its last data): a toast with the
   * request id. `id` is the query's: a poll that keeps failing updates one toast instead of stacking.
   */
  onUnhandled: (error: ApiError, id?: string) => void;
};

/**
 * Global side effects for account-wide states live here, not in components: a lost session (unless a
 * pasted key was refused) and a paused customer. Anything else is a toast only when `toast` is set
 * (to the toast's id).
 */
export function handleGlobalError(
  error: unknown,
  { pastedKey = false, toast }: { pastedKey?: boolean; toast: string | null },
  handlers: AccountStateHandlers,
) {
  if (!ApiError.is(error)) return;
  if (error.code === "authentication_failed" && error.status === 401 && !pastedKey)
    return handlers.onSignedOut();
  if (error.code === "account_disabled" && error.details.scope === "customer")
    return handlers.onCustomerPaused(error);
  if (toast !== null) handlers.onUnhandled(error, toast);
}

/**
 * Error handling by default in the component (TkDodo, "React Query Error Handling"): a view renders
 * its own error state when it has no data to show, and a failed "Load more" next to its button. Only a
 * background refetch of data already on screen fails unseen, so only that is a toast.
 */
export function isBackgroundRefetch(query: Query<unknown, unknown, unknown>): boolean {
  return query.state.data !== undefined && !query.state.fetchMeta?.fetchMore && !query.meta?.pastedKey;
}

export function makeQueryClient(handlers: AccountStateHandlers) {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) =>
        handleGlobalError(
          error,
          { pastedKey: query.meta?.pastedKey, toast: isBackgroundRefetch(query) ? query.queryHash : null },
          handlers,
        ),
      // A paused customer's session gets account_disabled on every call, so one success clears the banner.
      onSuccess: (_data, query) => {
        if (!query.meta?.pastedKey) handlers.onAccountUsable?.();
      },
    }),
    // Every mutation's view renders its error next to the control that ran it (fields, countdown, top-up).
    mutationCache: new MutationCache({
      onError: (error, _vars, _ctx, mutation) =>
        handleGlobalError(error, { pastedKey: mutation.meta?.pastedKey, toast: null }, handlers),
    }),
    defaultOptions: {
      queries: { retry: shouldRetry, retryDelay, staleTime: 10_000, refetchOnWindowFocus: true },
      // Safe because every mutation carries one Idempotency-Key across its retries (see idempotencyKeyFor).
      mutations: { retry: shouldRetry, retryDelay },
    },
  });
}

const keys = new WeakMap<object, string>();

/**
 * The Idempotency-Key of one mutation call. TanStack Query passes the same variables object to every
 * retry, so the key is stable across retries and new for the next call.
 */
export function idempotencyKeyFor(variables: object): string {
  let key = keys.get(variables);
  if (!key) {
    key = newIdempotencyKey();
    keys.set(variables, key);
  }
  return key;
}
