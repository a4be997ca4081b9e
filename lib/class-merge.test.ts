import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { twMerge } from "tailwind-merge";
import { describe, expect, it } from "vitest";
import { mergeClasses } from "./class-merge";
import { cn } from "./utils";

/** Every Tailwind class written in components/ and app/ (string literals, split on spaces). */
function corpus(): string[] {
  const root = path.resolve(import.meta.dirname, "..");
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.includes(".test.")) files.push(p);
    }
  };
  walk(path.join(root, "components"));
  walk(path.join(root, "app"));
  const tokens = new Set<string>();
  for (const file of files) {
    const source = fs.readFileSync(file, "utf8");
    for (const m of source.matchAll(/"([^"\n]*)"|`([^`]*)`/g)) {
      const text = (m[1] ?? m[2] ?? "").replace(/\$\{[^}]*\}/g, " ");
      for (const t of text.split(/\s+/)) {
        // A class twMerge knows (a class of no group is kept by both, which proves nothing).
        if (/^[!\-\w*&@[\]=>.%/():'#,]+$/.test(t) && twMerge(`${t} ${t}`) === t) tokens.add(t);
      }
    }
  }
  return [...tokens].sort();
}

const CLASSES = corpus();
const UTILITIES = [...new Set(CLASSES.map((c) => c.split(":").pop()!))];
const VARIANTS = [
  "",
  "",
  "",
  "hover:",
  "md:",
  "dark:",
  "data-[state=open]:",
  "[&_svg]:",
  "dark:hover:",
  "hover:dark:",
];

describe("mergeClasses", () => {
  it("reads a corpus of the app's classes", () => {
    expect(CLASSES.length).toBeGreaterThan(300);
  });

  it("agrees with tailwind-merge on the app's classes in any combination", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...CLASSES), { maxLength: 12 }), (list) => {
        const input = list.join(" ");
        expect(mergeClasses(input)).toBe(twMerge(input));
      }),
      { numRuns: 20_000 },
    );
  });

  it("agrees with tailwind-merge on the app's utilities under other variants", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...VARIANTS), fc.constantFrom(...UTILITIES)), { maxLength: 10 }),
        (list) => {
          const input = list.map(([v, u]) => v + u).join(" ");
          expect(mergeClasses(input)).toBe(twMerge(input));
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it.each([
    ["px-2 py-1 p-3", "p-3"],
    ["p-3 px-2", "p-3 px-2"],
    ["text-sm text-muted-foreground text-base", "text-muted-foreground text-base"],
    ["leading-none text-sm", "text-sm"],
    ["border border-input border-2", "border-input border-2"],
    ["size-9 h-8", "size-9 h-8"],
    ["h-8 size-9", "size-9"],
    ["bg-primary hover:bg-primary/90 bg-muted/50", "hover:bg-primary/90 bg-muted/50"],
    ["ring-[3px] ring-ring/50 ring-0", "ring-ring/50 ring-0"],
    ["mx-1 -mx-2", "-mx-2"],
    ["flex hidden md:flex", "hidden md:flex"],
    ["custom-class other-thing custom-class", "custom-class other-thing custom-class"],
  ])("%s → %s", (input, output) => {
    expect(mergeClasses(input)).toBe(output);
    expect(twMerge(input)).toBe(output);
  });

  it("is what cn uses, after clsx", () => {
    expect(cn("px-2", false, ["py-1", { "p-3": true }], undefined)).toBe("p-3");
  });
});
