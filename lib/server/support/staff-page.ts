import { notFound } from "next/navigation";
import { currentSession } from "../auth/current";

/** Support pages exist only for staff: anyone else gets the plain 404 page, as the API answers 404. */
export async function requireStaffPage(): Promise<void> {
  const session = await currentSession();
  if (session?.user.role !== "support") notFound();
}
