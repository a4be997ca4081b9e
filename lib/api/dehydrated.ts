import type { DehydratedState } from "@tanstack/react-query";
import { ApiError } from "./errors";

/** An ApiError as plain data, so it crosses from the server render to the browser intact. */
type DehydratedError = {
  apiError: {
    code: ApiError["code"];
    status: number;
    message: string;
    requestId: string | null;
    retryAfter: number | null;
    details: Record<string, unknown>;
    rawCode: string | null;
  };
};

export function toDehydratedError(error: unknown): DehydratedError {
  const e = ApiError.is(error)
    ? error
    : new ApiError({
        code: "unexpected_response",
        status: 0,
        message: "The console could not read its data.",
      });
  return {
    apiError: {
      code: e.code,
      status: e.status,
      message: e.message,
      requestId: e.requestId,
      retryAfter: e.retryAfter,
      details: e.details,
      rawCode: e.rawCode,
    },
  };
}

function isDehydratedError(value: unknown): value is DehydratedError {
  return typeof value === "object" && value !== null && "apiError" in value;
}

/** The server's dehydrated state with its errors rebuilt as ApiErrors (views test `ApiError.is`). */
export function reviveErrors(state: DehydratedState): DehydratedState {
  return {
    ...state,
    queries: state.queries.map((query) =>
      isDehydratedError(query.state.error)
        ? { ...query, state: { ...query.state, error: new ApiError(query.state.error.apiError) } }
        : query,
    ),
  };
}

/** The account-wide "customer paused" error among the server's answers, if any (for the shell's banner). */
export function pausedErrorOf(state: DehydratedState | null): DehydratedError | null {
  for (const query of state?.queries ?? []) {
    const error = query.state.error;
    if (
      isDehydratedError(error) &&
      error.apiError.code === "account_disabled" &&
      error.apiError.details.scope === "customer"
    )
      return error;
  }
  return null;
}

export type { DehydratedError };
