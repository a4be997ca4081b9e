// @vitest-environment node
import { describe, expect, it } from "vitest";
import { hasTrigger } from "./triggers";

describe("test triggers", () => {
  it.each([
    ["a cat !fail", "fail", true],
    ["!FAIL a cat", "fail", true],
    ["a cat !fail-once", "fail", false],
    ["a cat !failure", "fail", false],
    ["a cat !fail-once", "failOnce", true],
    ["a cat !fail-onceish", "failOnce", false],
    ["!unavailable now", "unavailable", true],
    ["a cat", "fail", false],
  ] as const)("%j has %s: %s", (prompt, trigger, expected) => {
    expect(hasTrigger(prompt, trigger)).toBe(expected);
  });
});
