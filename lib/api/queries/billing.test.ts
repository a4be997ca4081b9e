import { describe, expect, it } from "vitest";
import type { TopUpPack } from "../contract/billing.schema";
import { perCreditPrice, smallestCoveringPack } from "./billing";

const pack = (id: string, credits: number, price_cents: number): TopUpPack => ({
  id,
  name: id,
  credits,
  price_cents,
  currency: "usd",
});
// Deliberately out of order: the choice must not depend on the list's order.
const PACKS = [pack("scale", 10_000, 8_000), pack("starter", 500, 500), pack("growth", 2_000, 1_800)];

describe("smallestCoveringPack", () => {
  it.each([
    [1, "starter"],
    [500, "starter"],
    [501, "growth"],
    [2_000, "growth"],
    [9_999, "scale"],
    [0, "starter"],
  ])("a shortfall of %i → %s", (shortfall, id) => {
    expect(smallestCoveringPack(PACKS, shortfall)?.id).toBe(id);
  });

  it("falls back to the largest pack when none covers the shortfall", () => {
    expect(smallestCoveringPack(PACKS, 50_000)?.id).toBe("scale");
  });

  it("has nothing to offer without packs", () => {
    expect(smallestCoveringPack([], 10)).toBeUndefined();
  });
});

describe("perCreditPrice", () => {
  it("shows four decimals, so packs that differ in the third digit read differently", () => {
    expect(PACKS.map(perCreditPrice)).toEqual(["$0.0080", "$0.0100", "$0.0090"]);
  });

  it("uses the pack's currency", () => {
    expect(perCreditPrice({ credits: 100, price_cents: 250, currency: "eur" })).toBe("€0.0250");
  });
});
