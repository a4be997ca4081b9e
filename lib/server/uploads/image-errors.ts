import { DomainError } from "../errors";

/** image_too_large with API.md's details: the cap and the bytes seen (so far, when streaming). */
export function imageTooLarge(maxBytes: number, bytes: number): DomainError {
  return new DomainError("image_too_large", {
    message: `The image is larger than the ${maxBytes}-byte limit.`,
    details: { max_bytes: maxBytes, bytes },
  });
}
