// @vitest-environment node
import { describe, expect, it } from "vitest";
import { csvCell } from "./export";

describe("csvCell", () => {
  it.each([
    ["plain", "plain"],
    ["=1+1", "'=1+1"],
    ["+SUM(A1)", "'+SUM(A1)"],
    ["-2", "'-2"],
    ["@cmd", "'@cmd"],
    ["\tx", "'\tx"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["line\nbreak", '"line\nbreak"'],
    ['=HYPERLINK("u","x")', '"\'=HYPERLINK(""u"",""x"")"'],
    [" =1+1", "' =1+1"],
    ["  @SUM(A1)", "'  @SUM(A1)"],
    ["\u00a0=1+1", "'\u00a0=1+1"],
    ["a;=cmd|'/c calc'!A0", "\"a;=cmd|'/c calc'!A0\""],
    ["x; +1", '"x; +1"'],
  ])("%j → %j", (input, output) => {
    expect(csvCell(input)).toBe(output);
  });

  it("writes numbers, booleans and null plainly", () => {
    expect([csvCell(10), csvCell(-10), csvCell(true), csvCell(null)]).toEqual(["10", "'-10", "true", ""]);
  });
});
