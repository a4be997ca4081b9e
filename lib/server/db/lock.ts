import fs from "node:fs";
import path from "node:path";

/** The lock file of the embedded database in `dir`: it holds the owner's pid. */
function lockFile(dir: string): string {
  return path.join(dir, "pglite.lock");
}

/** The pid of the live process that holds the embedded database in `dir`, or null (no lock, or a dead owner's). */
export function liveOwner(dir: string): number | null {
  let owner: number;
  try {
    owner = Number(fs.readFileSync(lockFile(dir), "utf8"));
  } catch {
    return null;
  }
  return owner && owner !== process.pid && isAlive(owner) ? owner : null;
}

/**
 * PGlite has no locking of its own: a second process opening the same folder silently loses writes.
 * A live owner is refused with a clear message, a dead one's lock is taken. Returns the release.
 */
export function takeLock(dir: string): () => void {
  const file = lockFile(dir);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: "wx" });
      return () => {
        try {
          if (fs.readFileSync(file, "utf8") === String(process.pid)) fs.unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = liveOwner(dir);
      if (owner) {
        throw new Error(
          `The embedded database in ${dir} is already open in process ${owner}. ` +
            `Only one process may own it: stop that process, use another DATA_DIR, or set DATABASE_URL to share a real Postgres.`,
        );
      }
      fs.unlinkSync(file);
    }
  }
  throw new Error(`Could not take the database lock ${file}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
