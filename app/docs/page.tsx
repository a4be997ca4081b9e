import { redirect } from "next/navigation";

/** The docs are the error catalog for now. */
export default function DocsIndex() {
  redirect("/docs/errors");
}
