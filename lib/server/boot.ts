import { getDb } from "./db/client";
import { assertProductionConfig } from "./env";
import { startMaintenance } from "./maintenance";
import { startConfiguredWorker } from "./worker/in-process";

/** Opens the database (migrations, seed) so start-up errors surface at once, not on a first request. */
export async function startBackground(): Promise<void> {
  try {
    assertProductionConfig();
    await getDb();
    await startConfiguredWorker();
    startMaintenance();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
