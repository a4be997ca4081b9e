import { describe, expect, it } from "vitest";
import { ErrorEnvelopeSchema } from "@/lib/api/contract/common.schema";
import { ERROR_CODES, ERROR_CODE_LIST, RETRYABLE_CODES } from "@/lib/api/contract/error-codes";
import { ERROR_DOCS, exampleEnvelope, sdkSnippet, statusLabel } from "./error-docs";
import { generateStaticParams } from "@/app/docs/errors/[code]/page";

describe("error docs", () => {
  it("has a page for every code of the contract, and nothing else", () => {
    expect(Object.keys(ERROR_DOCS).sort()).toEqual([...ERROR_CODE_LIST].sort());
    expect(generateStaticParams().map((p) => p.code)).toEqual(ERROR_CODE_LIST);
  });

  it.each(ERROR_CODE_LIST)("%s: its example envelope parses with the contract's schema", (code) => {
    const envelope = exampleEnvelope(code);
    expect(ErrorEnvelopeSchema.parse(JSON.parse(JSON.stringify(envelope)))).toEqual(envelope);
    expect(envelope.error.code).toBe(code);
    expect(envelope.error.message).toBe(ERROR_CODES[code].message);
    expect(envelope.error.request_id).toMatch(/^req_/);
  });

  it.each(ERROR_CODE_LIST)("%s: the SDK snippet branches on its code", (code) => {
    const text = sdkSnippet(code);
    expect(text).toContain("@genmedia/sdk");
    if (code === "generation_failed") expect(text).toContain(`error?.code === "generation_failed"`);
    else expect(text).toContain(`err instanceof GenmediaError && err.code === "${code}"`);
  });

  it("says 'retry automatically' of exactly the codes the console and the SDK retry by themselves", () => {
    const automatic = ERROR_CODE_LIST.filter((code) => ERROR_DOCS[code].retry === "automatic");
    expect(automatic.sort()).toEqual([...RETRYABLE_CODES].sort());
  });

  it("gives the status as the catalog writes it", () => {
    expect(statusLabel("insufficient_balance")).toBe("402");
    expect(statusLabel("service_unavailable")).toBe("502 / 503");
    expect(statusLabel("generation_failed")).toMatch(/async/);
  });

  it("lets the envelope schema reject an envelope whose code is not the contract's", () => {
    const bad = { error: { ...exampleEnvelope("not_found").error, code: "teapot" } };
    expect(ErrorEnvelopeSchema.safeParse(bad).success).toBe(false);
  });
});
