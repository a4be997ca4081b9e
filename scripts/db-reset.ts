// `npm run db:reset`: wipes the embedded database (and uploads) under DATA_DIR. Refuses while it is open.
import fs from "node:fs";
import path from "node:path";

const dir = path.resolve(process.env.DATA_DIR || ".data");
const lock = path.join(dir, "pglite.lock");
if (fs.existsSync(lock)) {
  const pid = Number(fs.readFileSync(lock, "utf8"));
  let alive = false;
  try {
    process.kill(pid, 0);
    alive = true;
  } catch {
    alive = false;
  }
  if (alive) {
    console.error(`The embedded database in ${dir} is open in process ${pid}. Stop the server first.`);
    process.exit(1);
  }
}
fs.rmSync(dir, { recursive: true, force: true });
console.log(`Removed ${dir}. The next start migrates and seeds a fresh database.`);
