import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { newIdempotencyKey } from "./client";
import { ApiError } from "./errors";
import { retryDelay, shouldRetry } from "./retry";

declare module "@tanstack/react-query" {
  interface Register {
    defaultError: ApiError;
    /**
     * `errorHandling: "local"`: the component renders this error itself; skip the global handler.
     * `"pasted-key"`: local too, and the call used a pasted key, so its 401 is about that key, not the session.
     */
    queryMeta: { errorHandling?: ErrorHandling };
    mutationMeta: { errorHandling?: ErrorHandling };
  }
}

export type AccountStateHandlers = {
  /** The session is gone: go to sign-in, then back. */
  onSignedOut: () => void;
  /** The customer (not just a key) is paused: show the banner everywhere. */
  onCustomerPaused: (error: ApiError) => void;
  /** A session request succeeded again: the customer is not paused (any more). */
  onAccountUsable?: () => void;
  /** Anything else not handled locally: a toast with the request id. */
  onUnhandled: (error: ApiError) => void;
};

export type ErrorHandling = "local" | "pasted-key";

/** Global side effects for account-wide states live here, not in components. */
export function handleGlobalError(
  error: unknown,
  local: boolean | ErrorHandling,
  handlers: AccountStateHandlers,
) {
  if (!ApiError.is(error)) return;
  if (error.code === "authentication_failed" && error.status === 401 && local !== "pasted-key")
    return handlers.onSignedOut();
  if (error.code === "account_disabled" && error.details.scope === "customer")
    return handlers.onCustomerPaused(error);
  if (!local) handlers.onUnhandled(error);
}

export function makeQueryClient(handlers: AccountStateHandlers) {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => handleGlobalError(error, query.meta?.errorHandling ?? false, handlers),
      // A paused customer's session gets account_disabled on every call, so one success clears the banner.
      onSuccess: (_data, query) => {
        if (query.meta?.errorHandling !== "pasted-key") handlers.onAccountUsable?.();
      },
    }),
    mutationCache: new MutationCache({
      onError: (error, _vars, _ctx, mutation) =>
        handleGlobalError(error, mutation.meta?.errorHandling ?? false, handlers),
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
