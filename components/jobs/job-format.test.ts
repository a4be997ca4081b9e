import { describe, expect, it } from "vitest";
import { formatWhen } from "./job-format";

describe("formatWhen", () => {
  it("writes the hour after midnight as 00, as browsers do (a server's 24 broke hydration)", () => {
    expect(formatWhen("2026-12-05T00:19:43Z", "UTC")).toBe("Dec 5, 00:19:43");
  });
});
