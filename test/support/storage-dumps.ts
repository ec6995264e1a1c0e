import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";

// Tables of the platform's own (D1's migrations list, the runtime's key-value table), not ours.
const OURS = "name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%'";

/** Every row of every table in an object's SQLite storage, as one lower-cased text. */
export const objectStorageDump = (stub: DurableObjectStub): Promise<string> =>
  runInDurableObject(stub, (_instance, state) => {
    const tables = state.storage.sql
      .exec<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND ${OURS}`)
      .toArray();
    const rows = tables.map(({ name }) => [
      name,
      state.storage.sql.exec(`SELECT * FROM "${name}"`).toArray(),
    ]);
    return JSON.stringify(rows).toLowerCase();
  });

/** Every row of every table in D1, as one lower-cased text. */
export async function d1Dump(): Promise<string> {
  const { results: tables } = await env.DB.prepare(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND ${OURS}`,
  ).all<{ name: string }>();
  const rows = await Promise.all(
    tables.map(async ({ name }) => [
      name,
      (await env.DB.prepare(`SELECT * FROM "${name}"`).all()).results,
    ]),
  );
  return JSON.stringify(rows).toLowerCase();
}

/** The ways a person's data could show in a dump: the address, its local part, each name. */
export const traces = (email: string, ...names: string[]): string[] => [
  email.toLowerCase(),
  (email.split("@")[0] ?? email).toLowerCase(),
  ...names.flatMap((name) => name.toLowerCase().split(" ")),
];
