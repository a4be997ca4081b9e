import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { CustomerAuditEntry } from "@/lib/api/contract/audit.schema";
import { AuditActor, AuditChanges, AuditRequest } from "./audit-entry-parts";

const entry = (over: Partial<CustomerAuditEntry> = {}): CustomerAuditEntry => ({
  id: "aud_1",
  at: "2026-12-05T10:00:00.000Z",
  action: "key.create",
  category: "keys",
  actor: {
    type: "member",
    user_id: "usr_1",
    email: "ann@example.com",
    role: "admin",
    key_id: null,
    key_prefix: null,
  },
  target_type: "api_key",
  target_id: "key_1",
  reason: null,
  changes: {},
  details: {},
  request_id: "req_1",
  ...over,
});

describe("AuditChanges", () => {
  it("shows each change as before → after, and leaves out a none → none", () => {
    render(
      <AuditChanges
        entry={entry({
          changes: {
            name: { from: null, to: "Backend" },
            allowed_ips: { from: null, to: [] },
            allowed_origins: { from: ["https://a.example"], to: ["https://a.example", "https://b.example"] },
          },
        })}
      />,
    );
    const terms = screen.getAllByRole("term").map((t) => t.textContent);
    expect(terms).toEqual(["Name", "Allowed origins"]);
    const origins = screen.getAllByRole("definition")[1]!;
    expect(origins).toHaveTextContent("from https://a.example to https://a.example, https://b.example");
    expect(within(screen.getAllByRole("definition")[0]!).getByText("none")).toBeInTheDocument();
  });
});

describe("AuditActor and AuditRequest", () => {
  it("names a member with their role, and support staff without a person", () => {
    const { rerender } = render(<AuditActor entry={entry()} />);
    expect(screen.getByText("ann@example.com")).toBeInTheDocument();
    expect(screen.getByText("Admin")).toBeInTheDocument();
    rerender(
      <AuditActor
        entry={entry({
          actor: { type: "staff", user_id: null, email: null, role: null, key_id: null, key_prefix: null },
        })}
      />,
    );
    expect(screen.getByText("Platform support")).toBeInTheDocument();
  });

  it("links the request to its story where the person may open it, and always offers a copy", () => {
    const { rerender } = render(<AuditRequest entry={entry()} canOpen />);
    expect(screen.getByRole("link", { name: "Request req_1" })).toHaveAttribute("href", "/requests/req_1");
    expect(screen.getByRole("button", { name: "Copy request ID" })).toBeInTheDocument();
    rerender(<AuditRequest entry={entry()} canOpen={false} />);
    expect(screen.queryByRole("link")).toBeNull();
    expect(screen.getByText("req_1")).toBeInTheDocument();
  });
});
