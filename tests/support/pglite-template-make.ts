// Run by tests/support/pglite-template.ts: opens (creates, migrates, seeds) the embedded database in
// DATA_DIR, then closes it cleanly, so its folder can be copied.
import { getDb } from "@/lib/server/db/client";
import { shutdown } from "@/lib/server/lifecycle";

await getDb();
await shutdown();
