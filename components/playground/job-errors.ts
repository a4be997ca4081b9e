import { ApiError } from "@/lib/api/errors";
import { fieldErrors, toErrorUi } from "@/lib/api/error-ui";

/** The playground's fields that a server error can point at. */
export type PlaygroundField =
  "product" | "prompt" | "source" | "width" | "height" | "seed" | "frames" | "key";

const PATH_TO_FIELD: Record<string, PlaygroundField> = {
  product: "product",
  prompt: "prompt",
  source_image_url: "source",
  start_image_url: "source",
  file: "source",
  "params.width": "width",
  "params.height": "height",
  "params.seed": "seed",
  "params.frames": "frames",
};

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 1)} MB`;
}

/**
 * Where an error belongs on the form: field errors go to their input; everything else is `rest`,
 * rendered as its own state. A 401 of a pasted key is about that key, so it sits on the Key field.
 */
export function placeError(
  error: unknown,
  usedPastedKey: boolean,
): { fields: Partial<Record<PlaygroundField, string>>; rest: unknown } {
  if (!ApiError.is(error)) return { fields: {}, rest: error };
  const ui = toErrorUi(error);
  switch (error.code) {
    case "authentication_failed":
      return usedPastedKey
        ? { fields: { key: `This key was not accepted: ${error.message}` }, rest: null }
        : { fields: {}, rest: error };
    case "invalid_product":
      return { fields: { product: `${ui.title}: ${error.message}` }, rest: null };
    case "source_image_required":
      return { fields: { source: `${ui.title}. ${error.message}` }, rest: null };
    case "invalid_image":
      return { fields: { source: `${ui.title}: ${error.message} ${ui.action}` }, rest: null };
    case "image_too_large": {
      const { bytes, max_bytes: max } = error.details;
      const sizes =
        typeof max === "number"
          ? ` The limit is ${megabytes(max)}${typeof bytes === "number" ? `; this one is at least ${megabytes(bytes)}` : ""}.`
          : "";
      return { fields: { source: `${ui.title}.${sizes} ${ui.action}` }, rest: null };
    }
    case "invalid_request": {
      const fields: Partial<Record<PlaygroundField, string>> = {};
      let unplaced = false;
      for (const [path, message] of Object.entries(fieldErrors(error))) {
        const field = PATH_TO_FIELD[path];
        if (field) fields[field] ??= message;
        else unplaced = true;
      }
      return { fields, rest: unplaced || Object.keys(fields).length === 0 ? error : null };
    }
    default:
      return { fields: {}, rest: error };
  }
}
