import type { AccountStateHandlers } from "./query-client";

/**
 * The account-wide handlers of the query client, set by the console's providers. The query client is
 * created by components/providers/query-provider.tsx, a sibling of the providers (not inside them), so
 * the client calls through this indirection instead of holding the providers'
 * functions.
 */
const current: AccountStateHandlers = {
  onSignedOut: () => {},
  onCustomerPaused: () => {},
  onAccountUsable: () => {},
  onUnhandled: () => {},
};

export const accountHandlers: Required<AccountStateHandlers> = {
  onSignedOut: () => current.onSignedOut(),
  onCustomerPaused: (error) => current.onCustomerPaused(error),
  onAccountUsable: () => current.onAccountUsable?.(),
  onUnhandled: (error, id) => current.onUnhandled(error, id),
};

export function registerAccountHandlers(handlers: AccountStateHandlers): () => void {
  Object.assign(current, handlers);
  return () => {
    if (current.onSignedOut === handlers.onSignedOut) {
      Object.assign(current, {
        onSignedOut: () => {},
        onCustomerPaused: () => {},
        onAccountUsable: () => {},
        onUnhandled: () => {},
      });
    }
  };
}
