import { describe, expect, it } from "vitest";
import { cn } from "./utils";

describe("cn", () => {
  it("drops falsy parts and lets a later utility of the same group win, variants apart", () => {
    const disabled = false;
    expect(
      cn("px-2 py-1 text-sm", disabled && "opacity-50", "px-4", "hover:bg-accent", "hover:bg-muted"),
    ).toBe("py-1 text-sm px-4 hover:bg-muted");
    expect(cn("p-4", "px-2")).toBe("p-4 px-2");
    expect(cn("px-2", "p-4")).toBe("p-4");
  });
});
