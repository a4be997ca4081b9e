import { describe, expect, it } from "vitest";
import { ERROR_CODE_LIST, ERROR_CODES } from "./contract/error-codes";
import { ERROR_UI, fieldErrors, toErrorUi } from "./error-ui";
import { ApiError } from "./errors";

// The UI state each code must become (ARCHITECTURE.md's table). Read from the code table, so a new code
// without a row here fails.
const EXPECTED: Record<string, string> = {
  authentication_failed: "sign-in",
  account_disabled: "paused",
  product_paused: "paused",
  origin_not_allowed: "allowlist-denial",
  ip_not_allowed: "allowlist-denial",
  invalid_request: "field",
  invalid_product: "field",
  source_image_required: "field",
  invalid_image: "field",
  image_too_large: "field",
  invalid_pack: "field",
  insufficient_balance: "top-up",
  rate_limited: "retry-countdown",
  rate_limiter_unavailable: "retry-countdown",
  service_unavailable: "retry-countdown",
  queue_full: "queue-full",
  idempotency_conflict: "conflict",
  invalid_state: "invalid-state",
  not_found: "not-found",
  generation_failed: "job-failed",
  internal_error: "generic",
};

describe("toErrorUi", () => {
  it.each(ERROR_CODE_LIST)("maps %s to its UI state, keeping the request id", (code) => {
    const error = new ApiError({
      code,
      status: ERROR_CODES[code].status ?? 200,
      message: "m",
      requestId: "req_1",
    });
    const ui = toErrorUi(error);
    expect(EXPECTED[code], `no expected state for ${code}`).toBeDefined();
    expect(ui.kind).toBe(EXPECTED[code]);
    expect(ui.requestId).toBe("req_1");
    expect(ui.code).toBe(code);
  });

  it("covers exactly the catalog plus internal_error", () => {
    expect(Object.keys(ERROR_UI).sort()).toEqual([...ERROR_CODE_LIST].sort());
    expect(ERROR_CODE_LIST).toHaveLength(21);
  });

  it("falls back to a generic state for an unknown code, keeping the id and the raw code", () => {
    const error = new ApiError({
      code: "unexpected_response",
      status: 418,
      message: "teapot",
      requestId: "req_2",
      rawCode: "brand_new_code",
    });
    const ui = toErrorUi(error);
    expect(ui.kind).toBe("generic");
    expect(ui.code).toBe("brand_new_code");
    expect(ui.requestId).toBe("req_2");
  });

  it("handles non-ApiError values", () => {
    expect(toErrorUi(new Error("boom"))).toMatchObject({ kind: "generic", requestId: null, message: "boom" });
  });

  it("indexes invalid_request fields by path", () => {
    const error = new ApiError({
      code: "invalid_request",
      status: 400,
      message: "m",
      details: {
        fields: [
          { path: "allowed_ips.2", message: "Not an IP" },
          { path: "name", message: "Required" },
        ],
      },
    });
    expect(fieldErrors(error)).toEqual({ "allowed_ips.2": "Not an IP", name: "Required" });
  });
});
