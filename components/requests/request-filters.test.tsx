import { NuqsTestingAdapter } from "nuqs/adapters/testing";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { FilterBar } from "./request-filters";

// Radix's SelectValue fills in the chosen label only after hydration; the request log's pickers (and
// every ChoiceSelect) render it in the server's HTML, so the first paint shows the filters in force.
describe("the request log's filter bar in the server's HTML", () => {
  function pickers(search: string) {
    const html = renderToString(
      <NuqsTestingAdapter searchParams={search}>
        <FilterBar />
      </NuqsTestingAdapter>,
    );
    const doc = new DOMParser().parseFromString(html, "text/html");
    return Object.fromEntries(
      [...doc.querySelectorAll("[role=combobox]")].map((el) => [el.id, el.textContent]),
    );
  }

  it("shows each picker's chosen label, defaults and values from the URL", () => {
    expect(pickers("")).toEqual({
      "filter-range": "Last 24 hours",
      "filter-source": "Anyone",
      "filter-status": "Any status",
      "filter-code": "Any code",
    });
    expect(pickers("?source=key&status=4xx&code=insufficient_balance")).toMatchObject({
      "filter-source": "API keys",
      "filter-status": "4xx",
      "filter-code": "insufficient_balance",
    });
  });
});
