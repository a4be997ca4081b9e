import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { RequestStory } from "@/lib/api/contract/requests.schema";
import { Explanation } from "./request-story-explanation";

const KEY: NonNullable<RequestStory["key"]> = {
  id: "key_1",
  name: "Production",
  prefix: "gm_live_ab12",
  status: "active",
  allowed_origins: [],
  allowed_ips: [],
};

function story(details: RequestStory["error_details"], key: RequestStory["key"] = null): RequestStory {
  return {
    request: { code: "insufficient_balance", status: 402 } as RequestStory["request"],
    user: null,
    explanation: {
      code: "insufficient_balance",
      title: "Refused",
      meaning: "",
      action: "",
    },
    error_details: details,
    paused_scope: null,
    key,
    allowlist: null,
    job: null,
    job_relation: null,
    ledger: [],
  };
}

describe("the request story's fix for insufficient_balance", () => {
  it("a plain shortfall links to Top up", () => {
    render(<Explanation story={story({ required: 10, available: 5 })} audience="customer" />);
    expect(screen.getByRole("link", { name: "Top up" })).toHaveAttribute("href", "/billing");
  });

  it("the account's monthly limit links to its setting, not to a top-up", () => {
    render(<Explanation story={story({ reason: "spend_limit", limit: "customer" })} audience="customer" />);
    expect(screen.getByRole("link", { name: "Raise the account's monthly limit" })).toHaveAttribute(
      "href",
      "/billing#spend-limit",
    );
    expect(screen.queryByRole("link", { name: "Top up" })).not.toBeInTheDocument();
  });

  it("a key's monthly limit links to that key's limit, named", () => {
    render(
      <Explanation
        story={story({ reason: "spend_limit", limit: "key", key_id: "key_1" }, KEY)}
        audience="customer"
      />,
    );
    expect(screen.getByRole("link", { name: "Raise the monthly limit of key “Production”" })).toHaveAttribute(
      "href",
      "/keys/key_1#spend-limit",
    );
  });

  it("staff see the customer's next step as words", () => {
    render(<Explanation story={story({ reason: "spend_limit", limit: "customer" })} audience="staff" />);
    expect(screen.getByText("Customer's next step: Raise the account's monthly limit.")).toBeInTheDocument();
    expect(screen.queryByRole("link")).not.toBeInTheDocument();
  });
});
