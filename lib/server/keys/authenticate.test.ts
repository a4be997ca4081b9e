import { beforeEach, describe, expect, it, vi } from "vitest";
import { DomainError } from "../errors";

// The database must not be touched for a key that fails the format or checksum check.
const { getDb } = vi.hoisted(() => ({
  getDb: vi.fn(async (): Promise<never> => {
    throw new Error("database queried");
  }),
}));
// Key verification's cache never comes up here (its listener never connects): every use is a look-up.
vi.mock("../db/client", () => ({ getDb, listen: () => new Promise(() => {}) }));

const { authenticateSecret } = await import("./authenticate");
const { checksumOf, generateSecret } = await import("./secret");

beforeEach(() => {
  getDb.mockClear();
});

describe("authenticateSecret", () => {
  it.each([
    ["no header", undefined],
    ["empty", ""],
    ["not Bearer", `Basic ${generateSecret()}`],
    ["short", "Bearer sk_live_abc"],
    ["wrong checksum", `Bearer sk_live_${"a".repeat(32)}${checksumOf("b".repeat(32))}`],
    ["wrong prefix", `Bearer sk_test_${"a".repeat(32)}${checksumOf("a".repeat(32))}`],
  ])("refuses %s with authentication_failed before any query", async (_name, header) => {
    const error = await authenticateSecret(header).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe("authentication_failed");
    expect(getDb).not.toHaveBeenCalled();
  });

  it("looks a well-formed secret up", async () => {
    await expect(authenticateSecret(`Bearer ${generateSecret()}`)).rejects.toThrow("database queried");
    expect(getDb).toHaveBeenCalledOnce();
  });
});
