import { NuqsTestingAdapter } from "nuqs/adapters/testing";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { FilterBar } from "./request-filters";

// The request log's pickers (native selects: ChoiceSelect) have their chosen option in the server's
// HTML, so the first paint shows the filters in force.
describe("the request log's filter bar in the server's HTML", () => {
  function pickers(search: string) {
    const html = renderToString(
      <NuqsTestingAdapter searchParams={search}>
        <FilterBar />
      </NuqsTestingAdapter>,
    );
    const doc = new DOMParser().parseFromString(html, "text/html");
    return Object.fromEntries(
      [...doc.querySelectorAll("select")].map((el) => [el.id, el.selectedOptions[0]?.textContent]),
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
