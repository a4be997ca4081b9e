import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api/errors";
import { placeError } from "./job-errors";

const err = (code: ApiError["code"], status: number, details: Record<string, unknown> = {}) =>
  new ApiError({ code, status, message: `${code}!`, requestId: "req_1", details });

describe("placeError", () => {
  it.each([
    ["invalid_product", 400, {}, "product"],
    ["source_image_required", 400, {}, "source"],
    ["invalid_image", 400, {}, "source"],
    ["image_too_large", 400, { max_bytes: 10_485_760, bytes: 12_000_000 }, "source"],
  ] as const)("%s goes on its field", (code, status, details, field) => {
    const placed = placeError(err(code, status, details), false);
    expect(Object.keys(placed.fields)).toEqual([field]);
    expect(placed.rest).toBeNull();
  });

  it("image_too_large says the limit and the size", () => {
    const placed = placeError(
      err("image_too_large", 400, { max_bytes: 10_485_760, bytes: 12_000_000 }),
      false,
    );
    expect(placed.fields.source).toContain("The limit is 10.0 MB; this one is at least 11.4 MB.");
  });

  it("invalid_request maps each field path; unknown paths stay a general error", () => {
    const placed = placeError(
      err("invalid_request", 400, {
        fields: [
          { path: "prompt", message: "Write a prompt." },
          { path: "params.width", message: "Too big" },
        ],
      }),
      false,
    );
    expect(placed.fields).toEqual({ prompt: "Write a prompt.", width: "Too big" });
    expect(placed.rest).toBeNull();

    const body = err("invalid_request", 400, { fields: [{ path: "body", message: "Malformed JSON" }] });
    expect(placeError(body, false).rest).toBe(body);
  });

  it("a 401 is the Key field's with a pasted key, and the session's (sign-in) without", () => {
    const e = err("authentication_failed", 401);
    expect(placeError(e, true)).toEqual({
      fields: { key: "This key was not accepted: authentication_failed!" },
      rest: null,
    });
    expect(placeError(e, false)).toEqual({ fields: {}, rest: e });
  });

  it("everything else is its own state", () => {
    for (const code of ["queue_full", "rate_limited", "insufficient_balance", "product_paused"] as const) {
      const e = err(code, 400);
      expect(placeError(e, false)).toEqual({ fields: {}, rest: e });
    }
  });
});
