import { ERROR_CODES, type ErrorCode } from "@/lib/api/contract/error-codes";

/** A catalog error thrown anywhere in the domain; the API app turns it into the envelope once. */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
  readonly status: number;
  readonly retryAfter?: number;

  constructor(
    code: ErrorCode,
    options: {
      message?: string;
      details?: Record<string, unknown>;
      status?: number;
      retryAfter?: number;
    } = {},
  ) {
    super(options.message ?? ERROR_CODES[code].message);
    this.name = "DomainError";
    this.code = code;
    this.details = options.details;
    this.status = options.status ?? ERROR_CODES[code].status ?? 500;
    this.retryAfter = options.retryAfter;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

const DB_DOWN_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "08000",
  "08001",
  "08003",
  "08006",
]);

/** True when an error means the database could not be reached (→ 503 service_unavailable). */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const err = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof err.code === "string" && DB_DOWN_CODES.has(err.code)) return true;
    if (
      typeof err.message === "string" &&
      /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
        err.message,
      )
    )
      return true;
    e = err.cause;
  }
  return false;
}

/** A request body past `maxSize` bytes (the API's JSON bodies, the auth endpoints' bodies). */
export function bodyTooLarge(maxSize: number): DomainError {
  return new DomainError("invalid_request", {
    message: `The body is larger than ${maxSize / 1024} KiB.`,
    details: { fields: [{ path: "body", message: `At most ${maxSize} bytes.` }], max_bytes: maxSize },
  });
}
