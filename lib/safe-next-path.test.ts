import { describe, expect, it } from "vitest";
import { safeNextPath } from "./safe-next-path";

describe("safeNextPath", () => {
  it.each([
    ["/keys", "/keys"],
    ["/jobs?status=failed#x", "/jobs?status=failed#x"],
    ["/usage/../keys", "/keys"],
  ])("keeps the same-site path %j", (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });

  it.each([
    null,
    undefined,
    "",
    "keys",
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "/\t/evil.example",
    "/\r/evil.example",
    "/\n/evil.example",
    "\t//evil.example",
    "/\t\\evil.example",
    "javascript:alert(1)",
    " //evil.example",
  ])("refuses the off-site target %j", (input) => {
    expect(safeNextPath(input)).toBe("/");
  });

  it("refuses encoded tab, slash and backslash forms a server could decode before redirecting", () => {
    expect(safeNextPath("/%09/evil.example")).toBe("/");
    expect(safeNextPath("/%5Cevil.example")).toBe("/");
    expect(safeNextPath("/%5C%5Cevil.example")).toBe("/");
    expect(safeNextPath("/%2F%2Fevil.example")).toBe("/");
    expect(safeNextPath("/%E0%A4%A")).toBe("/");
  });
});
