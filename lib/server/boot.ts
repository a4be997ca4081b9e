import { getDb } from "./db/client";

/** Opens the database (migrations, seed) so start-up errors surface at once, not on a first request. */
export async function startBackground(): Promise<void> {
  try {
    await getDb();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
