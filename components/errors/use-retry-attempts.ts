"use client";

import * as React from "react";

/**
 * How many automatic retries ran since the last success, for a countdown's backoff. `successToken`
 * changes on every success (e.g. a query's dataUpdatedAt), which starts the count again at 0.
 */
export function useRetryAttempts(successToken: unknown): [attempt: number, next: () => void] {
  const [state, setState] = React.useState({ attempt: 0, token: successToken });
  const attempt = Object.is(state.token, successToken) ? state.attempt : 0;
  const next = React.useCallback(
    () => setState({ attempt: attempt + 1, token: successToken }),
    [attempt, successToken],
  );
  return [attempt, next];
}
