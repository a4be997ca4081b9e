/**
 * A small Tailwind class merger: the last utility of a group wins, as with tailwind-merge, for the
 * utilities this app uses (lib/class-merge.test.ts checks it against tailwind-merge on every class in
 * components/ and app/, with their variants, in random combinations). tailwind-merge itself is ~8 kB
 * gzipped of first-load JavaScript on every page; this is under 3.
 *
 * A class is read as [variants:]…[!][-]utility[/modifier][!]. Classes of no known group are kept as
 * they are, like tailwind-merge does.
 */

const DISPLAY = new Set(
  "block inline-block inline flex inline-flex table inline-table table-caption table-cell table-column table-column-group table-footer-group table-header-group table-row-group table-row flow-root grid inline-grid contents list-item hidden".split(
    " ",
  ),
);
const POSITION = new Set("static fixed absolute relative sticky".split(" "));
const FONT_SIZE = /^text-(xs|sm|base|lg|[2-9]?xl)$/;
const FONT_WEIGHT = /^font-(thin|extralight|light|normal|medium|semibold|bold|extrabold|black)$/;
const SHADOW_SIZE = /^(2xs|xs|sm|md|lg|xl|2xl|none|inner)$/;
const ROUNDED_SIDE = /^rounded-(s|e|t|r|b|l|ss|se|ee|es|tl|tr|br|bl)(-|$)/;
const BORDER_SIDE = /^border-([xysetrbl])(-|$)/;
const BORDER_STYLE = /^border-(solid|dashed|dotted|double|hidden|none)$/;
/** A length-like value: a number, a fraction, px, or an arbitrary length (not a colour). */
const WIDTH_VALUE = /^(\d+(\.\d+)?|px|\[(length:)?[\d.]+[a-z%]*\]|\((length:)?--[^)]*\))$/;
const ORDER_SENSITIVE =
  /^(\[|\*|\*\*$|after$|backdrop$|before$|details-content$|file$|first-letter$|first-line$|marker$|placeholder$|selection$)/;

/** Groups that override others: "p-2" after "px-4" replaces it (not the other way round). */
const CONFLICTS: Record<string, string[]> = {
  p: ["px", "py", "ps", "pe", "pt", "pr", "pb", "pl"],
  px: ["pr", "pl"],
  py: ["pt", "pb"],
  m: ["mx", "my", "ms", "me", "mt", "mr", "mb", "ml"],
  mx: ["mr", "ml"],
  my: ["mt", "mb"],
  "scroll-m": [
    "scroll-mx",
    "scroll-my",
    "scroll-ms",
    "scroll-me",
    "scroll-mt",
    "scroll-mr",
    "scroll-mb",
    "scroll-ml",
  ],
  "scroll-my": ["scroll-mt", "scroll-mb"],
  size: ["w", "h"],
  inset: ["inset-x", "inset-y", "start", "end", "top", "right", "bottom", "left"],
  "inset-x": ["right", "left"],
  "inset-y": ["top", "bottom"],
  gap: ["gap-x", "gap-y"],
  overflow: ["overflow-x", "overflow-y"],
  "font-size": ["leading"],
  "line-clamp": ["display", "overflow"],
  rounded: [
    "rounded-s",
    "rounded-e",
    "rounded-t",
    "rounded-r",
    "rounded-b",
    "rounded-l",
    "rounded-ss",
    "rounded-se",
    "rounded-ee",
    "rounded-es",
    "rounded-tl",
    "rounded-tr",
    "rounded-br",
    "rounded-bl",
  ],
  "rounded-s": ["rounded-ss", "rounded-es"],
  "rounded-e": ["rounded-se", "rounded-ee"],
  "rounded-t": ["rounded-tl", "rounded-tr"],
  "rounded-r": ["rounded-tr", "rounded-br"],
  "rounded-b": ["rounded-br", "rounded-bl"],
  "rounded-l": ["rounded-tl", "rounded-bl"],
  "border-w": [
    "border-w-x",
    "border-w-y",
    "border-w-s",
    "border-w-e",
    "border-w-t",
    "border-w-r",
    "border-w-b",
    "border-w-l",
  ],
  "border-w-x": ["border-w-r", "border-w-l"],
  "border-w-y": ["border-w-t", "border-w-b"],
  "border-color": [
    "border-color-x",
    "border-color-y",
    "border-color-s",
    "border-color-e",
    "border-color-t",
    "border-color-r",
    "border-color-b",
    "border-color-l",
  ],
  "border-color-x": ["border-color-r", "border-color-l"],
  "border-color-y": ["border-color-t", "border-color-b"],
  flex: ["basis", "grow", "shrink"],
  transform: ["translate", "translate-x", "translate-y", "rotate", "scale", "scale-x", "scale-y"],
};

/** The group of a utility (no variants, `!` or leading `-`), or null when it is not a known utility. */
function groupOf(utility: string): string | null {
  if (DISPLAY.has(utility)) return "display";
  if (POSITION.has(utility)) return "position";
  if (utility === "sr-only" || utility === "not-sr-only") return "sr";
  if (utility === "truncate" || utility === "text-ellipsis" || utility === "text-clip")
    return "text-overflow";
  if (/^(uppercase|lowercase|capitalize|normal-case)$/.test(utility)) return "text-transform";
  if (/^(underline|overline|line-through|no-underline)$/.test(utility)) return "text-decoration";
  if (/^(antialiased|subpixel-antialiased)$/.test(utility)) return "font-smoothing";
  if (/^(visible|invisible|collapse)$/.test(utility)) return "visibility";
  if (/^(tabular|proportional)-nums$/.test(utility)) return "fvn-spacing";
  if (/^(lining|oldstyle)-nums$/.test(utility)) return "fvn-figure";
  if (utility === "grow" || utility.startsWith("grow-")) return "grow";
  if (utility === "shrink" || utility.startsWith("shrink-")) return "shrink";
  if (utility === "transition" || utility.startsWith("transition-")) return "transition";
  if (utility === "outline") return "outline-w";
  if (/^outline-(solid|dashed|dotted|double|none|hidden)$/.test(utility)) return "outline-style";
  if (utility === "filter" || utility === "filter-none") return "filter";
  if (utility === "shadow") return "shadow";
  if (utility === "rounded") return "rounded";
  if (utility === "border") return "border-w";
  if (utility === "ring") return "ring-w";
  if (utility.startsWith("@container")) return "container-type";
  if (utility === "container") return "container";

  const dash = utility.indexOf("-");
  if (dash < 0) return null;
  const head = utility.slice(0, dash);
  const value = utility.slice(dash + 1);
  switch (head) {
    case "p":
    case "px":
    case "py":
    case "ps":
    case "pe":
    case "pt":
    case "pr":
    case "pb":
    case "pl":
    case "m":
    case "mx":
    case "my":
    case "ms":
    case "me":
    case "mt":
    case "mr":
    case "mb":
    case "ml":
    case "w":
    case "h":
    case "size":
    case "z":
    case "top":
    case "right":
    case "bottom":
    case "left":
    case "start":
    case "end":
    case "opacity":
    case "duration":
    case "delay":
    case "ease":
    case "animate":
    case "cursor":
    case "tracking":
    case "leading":
    case "whitespace":
    case "basis":
    case "order":
    case "rotate":
    case "scale":
    case "origin":
    case "accent":
    case "caret":
    case "fill":
    case "stroke":
    case "aspect":
    case "columns":
    case "self":
    case "items":
    case "resize":
    case "decoration":
      return head;
    case "min":
    case "max":
      return /^[wh]-/.test(value) ? `${head}-${value[0]}` : null;
    case "inset":
      return /^[xy]-/.test(value) ? `inset-${value[0]}` : "inset";
    case "gap":
      return /^[xy]-/.test(value) ? `gap-${value[0]}` : "gap";
    case "space":
      return /^[xy]-/.test(value) ? `space-${value[0]}` : null;
    case "translate":
      return /^[xyz]-/.test(value) ? `translate-${value[0]}` : "translate";
    case "overflow":
      return /^[xy]-/.test(value) ? `overflow-${value[0]}` : "overflow";
    case "scroll":
      return /^(m|p)[xysetrbl]?-/.test(value) ? `scroll-${value.slice(0, value.indexOf("-"))}` : null;
    case "flex":
      if (/^(row|col)(-reverse)?$/.test(value)) return "flex-direction";
      if (/^(wrap|wrap-reverse|nowrap)$/.test(value)) return "flex-wrap";
      return "flex";
    case "grid":
      if (value.startsWith("cols-")) return "grid-cols";
      if (value.startsWith("rows-")) return "grid-rows";
      if (value.startsWith("flow-")) return "grid-flow";
      return null;
    case "col":
    case "row":
      if (value.startsWith("start-")) return `${head}-start`;
      if (value.startsWith("end-")) return `${head}-end`;
      return `${head}-start-end`;
    case "auto":
      return /^(cols|rows)-/.test(value) ? `auto-${value.slice(0, 4)}` : null;
    case "justify":
      if (value.startsWith("items-")) return "justify-items";
      if (value.startsWith("self-")) return "justify-self";
      return "justify-content";
    case "content":
      return value === "none" || value.startsWith("[") || value.startsWith("(") ? "content" : "align-content";
    case "place":
      return /^(content|items|self)-/.test(value) ? `place-${value.slice(0, value.indexOf("-"))}` : null;
    case "font":
      return FONT_WEIGHT.test(utility) ? "font-weight" : "font-family";
    case "text":
      if (FONT_SIZE.test(utility)) return "font-size";
      if (/^(left|center|right|justify|start|end)$/.test(value)) return "text-align";
      if (/^(wrap|nowrap|balance|pretty)$/.test(value)) return "text-wrap";
      return /^\[(length:)?[\d.]/.test(value) ? "font-size" : "text-color";
    case "line":
      return value.startsWith("clamp-") ? "line-clamp" : null;
    case "underline":
      return value.startsWith("offset-") ? "underline-offset" : null;
    case "break":
      return /^(normal|words|all|keep)$/.test(value) ? "break" : null;
    case "bg":
      return "bg-color";
    case "border": {
      if (BORDER_STYLE.test(utility)) return "border-style";
      const side = BORDER_SIDE.exec(utility);
      const rest = side ? utility.slice(`border-${side[1]}`.length + 1) : value;
      const kind = rest === "" || WIDTH_VALUE.test(rest) ? "border-w" : "border-color";
      return side ? `${kind}-${side[1]}` : kind;
    }
    case "rounded": {
      const side = ROUNDED_SIDE.exec(utility);
      return side ? `rounded-${side[1]}` : "rounded";
    }
    case "ring":
      if (value.startsWith("offset-"))
        return WIDTH_VALUE.test(value.slice(7)) ? "ring-offset-w" : "ring-offset-color";
      if (value === "inset") return "ring-inset";
      return WIDTH_VALUE.test(value) ? "ring-w" : "ring-color";
    case "outline":
      if (value.startsWith("offset-")) return "outline-offset";
      return WIDTH_VALUE.test(value) ? "outline-w" : "outline-color";
    case "shadow":
      return SHADOW_SIZE.test(value) || value.startsWith("[") ? "shadow" : "shadow-color";
    case "pointer":
      return value.startsWith("events-") ? "pointer-events" : null;
    case "select":
      return /^(none|text|all|auto)$/.test(value) ? "select" : null;
    case "object":
      return /^(contain|cover|fill|none|scale-down)$/.test(value) ? "object-fit" : "object-position";
    case "align":
      return "vertical-align";
    case "caption":
      return "caption";
    case "field":
      return value.startsWith("sizing-") ? "field-sizing" : null;
    default:
      return null;
  }
}

/** Splits `a:b:[x:y]:c` on the colons outside brackets and parentheses. */
function splitVariants(className: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < className.length; i++) {
    const c = className[i];
    if (c === "[" || c === "(") depth++;
    else if (c === "]" || c === ")") depth--;
    else if (c === ":" && depth === 0) {
      parts.push(className.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(className.slice(start));
  return parts;
}

/** Variants in a canonical order; arbitrary and pseudo-element variants keep their place. */
function variantKey(variants: string[]): string {
  const out: string[] = [];
  let run: string[] = [];
  for (const v of variants) {
    if (ORDER_SENSITIVE.test(v)) {
      out.push(...run.sort(), v);
      run = [];
    } else run.push(v);
  }
  out.push(...run.sort());
  return out.join(":");
}

/** Strips a `/modifier` (opacity, line height) that is outside brackets and parentheses. */
function withoutModifier(utility: string): string {
  let depth = 0;
  for (let i = utility.length - 1; i >= 0; i--) {
    const c = utility[i];
    if (c === "]" || c === ")") depth++;
    else if (c === "[" || c === "(") depth--;
    else if (c === "/" && depth === 0) return utility.slice(0, i);
  }
  return utility;
}

/** Like tailwind-merge's twMerge: later utilities of a group replace earlier ones; order is kept. */
export function mergeClasses(classList: string): string {
  const seen = new Set<string>();
  const kept: string[] = [];
  const classes = classList.trim().split(/\s+/);
  for (let i = classes.length - 1; i >= 0; i--) {
    const className = classes[i]!;
    if (!className) continue;
    const parts = splitVariants(className);
    let utility = parts.pop()!;
    let important = "";
    if (utility.startsWith("!")) {
      important = "!";
      utility = utility.slice(1);
    } else if (utility.endsWith("!")) {
      important = "!";
      utility = utility.slice(0, -1);
    }
    if (utility.startsWith("-")) utility = utility.slice(1);
    const base = withoutModifier(utility);
    const group = groupOf(base) ?? (base === utility ? null : groupOf(utility));
    if (!group) {
      kept.push(className);
      continue;
    }
    const prefix = `${variantKey(parts)}${important}:`;
    if (seen.has(prefix + group)) continue;
    seen.add(prefix + group);
    for (const other of CONFLICTS[group] ?? []) seen.add(prefix + other);
    kept.push(className);
  }
  return kept.reverse().join(" ");
}
