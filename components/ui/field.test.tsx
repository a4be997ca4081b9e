import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { Field, FieldControl, FieldDescription, FieldError, FieldLabel } from "./field";

function NameField({ error, hint = true }: { error?: string; hint?: boolean }) {
  return (
    <Field>
      <FieldLabel>Name</FieldLabel>
      <FieldControl>
        <input />
      </FieldControl>
      {hint ? <FieldDescription>Shown in the key list.</FieldDescription> : null}
      <FieldError>{error}</FieldError>
    </Field>
  );
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

  it("without a hint or an error, the control names no description", () => {
    render(<NameField hint={false} />);
    expect(screen.getByRole("textbox", { name: "Name" })).not.toHaveAttribute("aria-describedby");
  });

  it("keeps the control's own id and description, and lets the Field decide invalid", () => {
    render(
      <>
        <p id="extra">Also see the docs.</p>
        <Field id="key-name" invalid>
          <FieldLabel>Key name</FieldLabel>
          <FieldControl aria-describedby="extra">
            <input />
          </FieldControl>
          <FieldError>Taken.</FieldError>
        </Field>
      </>,
    );
    const input = screen.getByRole("textbox", { name: "Key name" });
    expect(input.id).toBe("key-name");
    expect(input).toHaveAttribute("aria-invalid", "true");
    expect(input).toHaveAccessibleDescription("Also see the docs. Taken.");
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
      <Field>
        <FieldLabel>Reason</FieldLabel>
        <FieldControl>
          <textarea />
        </FieldControl>
        <FieldError footer={<span>req_123</span>}>Too long.</FieldError>
      </Field>,
    );
    expect(screen.getByText("req_123")).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: "Reason" })).toHaveAccessibleDescription("Too long.");
  });
});
