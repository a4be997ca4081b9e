import { Pool } from "pg";

/**
 * An empty database beside the one `adminUrl` names (`<name>_<suffix>`), dropped first if a previous
 * run left it: the benches and the fault suite seed their own data there. Returns its URL.
 */
export async function freshDatabase(adminUrl: string, suffix: string): Promise<string> {
  const url = new URL(adminUrl);
  const name = `${url.pathname.slice(1) || "postgres"}_${suffix}`;
  const admin = new Pool({ connectionString: adminUrl, max: 1 });
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.query(`create database "${name}"`);
  await admin.end();
  url.pathname = `/${name}`;
  return url.toString();
}
