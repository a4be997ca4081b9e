// `npm run db:reset`: wipes the embedded database (and uploads) under DATA_DIR. Refuses while it is open.
import fs from "node:fs";
import path from "node:path";
import { liveOwner } from "../lib/server/db/lock";

const dir = path.resolve(process.env.DATA_DIR || ".data");
const owner = liveOwner(dir);
if (owner) {
  console.error(`The embedded database in ${dir} is open in process ${owner}. Stop the server first.`);
  process.exit(1);
}
fs.rmSync(dir, { recursive: true, force: true });
console.log(`Removed ${dir}. The next start migrates and seeds a fresh database.`);
