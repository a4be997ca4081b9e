import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { renderToString } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { Field, FieldControl, FieldDescription, FieldError, FieldLabel } from "./field";

function NameField({ error, hint = true }: { error?: string; hint?: boolean }) {
  return (
    <Field description={hint ? "Shown in the key list." : undefined} error={error}>
      <FieldLabel>Name</FieldLabel>
      <FieldControl>
        <input />
      </FieldControl>
      <FieldDescription />
      <FieldError />
    </Field>
  );
}

/** Parses server HTML the way a browser shows it before any script runs. */
function serverDocument(html: string): Document {
  return new DOMParser().parseFromString(`<!doctype html><body>${html}</body>`, "text/html");
}

describe("Field", () => {
  it("labels the control and describes it by its hint while it is valid", () => {
    render(<NameField />);
    const input = screen.getByRole("textbox", { name: "Name" });
    expect(input).toHaveAccessibleDescription("Shown in the key list.");
    expect(input).not.toHaveAttribute("aria-invalid");
    expect(screen.queryByText("Shown in the key list.")?.id).toBe(input.getAttribute("aria-describedby"));
  });

  it("an error makes the control invalid and joins its description; it goes when the error does", () => {
    const { rerender } = render(<NameField error="Give the key a name." />);
    const input = screen.getByRole("textbox", { name: "Name" });
    expect(input).toHaveAttribute("aria-invalid", "true");
    expect(input).toHaveAccessibleDescription("Shown in the key list. Give the key a name.");

    rerender(<NameField />);
    expect(input).not.toHaveAttribute("aria-invalid");
    expect(input).toHaveAccessibleDescription("Shown in the key list.");
    expect(screen.queryByText("Give the key a name.")).not.toBeInTheDocument();
  });

  it("without a hint or an error, the control names no description and nothing is rendered for them", () => {
    const { container } = render(<NameField hint={false} error="" />);
    expect(screen.getByRole("textbox", { name: "Name" })).not.toHaveAttribute("aria-describedby");
    expect(container.querySelector("[data-slot=field-description], [data-slot=field-error]")).toBeNull();
  });

  it("the server's HTML already wires the label, the hint and the error to the control", () => {
    const html = renderToString(<NameField error="Give the key a name." />);
    const doc = serverDocument(html);
    const input = doc.querySelector("input")!;
    const hint = doc.querySelector("[data-slot=field-description]")!;
    const error = doc.querySelector("[data-slot=field-error]")!;
    expect(hint.textContent).toBe("Shown in the key list.");
    expect(input.getAttribute("aria-describedby")).toBe(`${hint.id} ${error.id}`);
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(doc.querySelector("label")!.getAttribute("for")).toBe(input.id);
  });

  it("hydrating the server's HTML keeps the same ids (no mismatch)", async () => {
    const { hydrateRoot } = await import("react-dom/client");
    const { act } = await import("react");
    const container = document.createElement("div");
    container.innerHTML = renderToString(<NameField />);
    document.body.append(container);
    const describedBy = container.querySelector("input")!.getAttribute("aria-describedby");
    const errors: unknown[] = [];
    // React reports an attribute that differs from the server's on console.error, not as an error.
    const consoleError = vi.spyOn(console, "error").mockImplementation(() => {});
    await act(async () => {
      hydrateRoot(container, <NameField />, { onRecoverableError: (e) => errors.push(e) });
    });
    expect(errors).toEqual([]);
    expect(consoleError).not.toHaveBeenCalled();
    consoleError.mockRestore();
    const input = screen.getByRole("textbox", { name: "Name" });
    expect(input.getAttribute("aria-describedby")).toBe(describedBy);
    expect(input).toHaveAccessibleDescription("Shown in the key list.");
    container.remove();
  });

  it("keeps the control's own id and description, and lets the Field decide invalid", () => {
    render(
      <>
        <p id="extra">Also see the docs.</p>
        <Field id="key-name" invalid error="Taken.">
          <FieldLabel>Key name</FieldLabel>
          <FieldControl aria-describedby="extra">
            <input />
          </FieldControl>
          <FieldError />
        </Field>
      </>,
    );
    const input = screen.getByRole("textbox", { name: "Key name" });
    expect(input.id).toBe("key-name");
    expect(input).toHaveAttribute("aria-invalid", "true");
    expect(input).toHaveAccessibleDescription("Also see the docs. Taken.");
  });

  it("invalid={false} keeps a shown error from marking the control invalid", () => {
    render(
      <Field invalid={false} error="Checked when you save.">
        <FieldLabel>Origin</FieldLabel>
        <FieldControl>
          <input />
        </FieldControl>
        <FieldError />
      </Field>,
    );
    const input = screen.getByRole("textbox", { name: "Origin" });
    expect(input).not.toHaveAttribute("aria-invalid");
    expect(input).toHaveAccessibleDescription("Checked when you save.");
  });

  it("two fields get distinct ids, and clicking a label focuses its own control", async () => {
    render(
      <>
        <Field>
          <FieldLabel>First</FieldLabel>
          <FieldControl>
            <input />
          </FieldControl>
        </Field>
        <Field>
          <FieldLabel>Second</FieldLabel>
          <FieldControl>
            <input />
          </FieldControl>
        </Field>
      </>,
    );
    const [first, second] = screen.getAllByRole("textbox") as [HTMLElement, HTMLElement];
    expect(first.id).not.toBe(second.id);
    await userEvent.click(screen.getByText("Second"));
    expect(second).toHaveFocus();
  });

  it("an error's footer (a request id) is shown but is not part of the description", () => {
    render(
      <Field error="Too long.">
        <FieldLabel>Reason</FieldLabel>
        <FieldControl>
          <textarea />
        </FieldControl>
        <FieldError footer={<span>req_123</span>} />
      </Field>,
    );
    expect(screen.getByText("req_123")).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: "Reason" })).toHaveAccessibleDescription("Too long.");
  });
});
