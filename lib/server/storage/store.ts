import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { env } from "../env";

/**
 * Where uploads and job outputs live. Keys are relative paths (`uploads/upl_….png`,
 * `outputs/job_…/<lease>.png`); objects are immutable once written. Local disk is the default; an
 * S3-compatible store implements the same four calls.
 */
export interface ObjectStore {
  put(key: string, data: Buffer): Promise<void>;
  /** The bytes, or null when there is no such object. */
  get(key: string): Promise<Buffer | null>;
  delete(key: string): Promise<void>;
}

const KEY_PATTERN = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*\.[a-z0-9]+$/;

export function assertValidKey(key: string): void {
  if (!KEY_PATTERN.test(key)) throw new Error(`Invalid storage key: ${key}`);
}

/** Files under a root folder (default `DATA_DIR/uploads`); writes land whole (temp file + rename). */
export class LocalDiskStore implements ObjectStore {
  constructor(readonly root: string) {}

  private file(key: string): string {
    assertValidKey(key);
    return path.join(this.root, ...key.split("/"));
  }

  async put(key: string, data: Buffer): Promise<void> {
    const file = this.file(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${randomUUID()}.tmp`;
    try {
      await fs.writeFile(tmp, data);
      await fs.rename(tmp, file);
    } catch (error) {
      await fs.rm(tmp, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await fs.readFile(this.file(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.file(key), { force: true });
  }
}

// One store per process, shared across module copies (Next's bundle and tsx).
const KEY = Symbol.for("genmedia.store");
const g = globalThis as typeof globalThis & { [KEY]?: ObjectStore };

export function getStore(): ObjectStore {
  return (g[KEY] ??= new LocalDiskStore(path.resolve(env().DATA_DIR, "uploads")));
}

/** Tests and alternative deployments swap the store (e.g. an S3 implementation). */
export function setStore(store: ObjectStore | undefined): void {
  g[KEY] = store;
}
