import { runInDurableObject } from "cloudflare:test";
import { everyDb } from "./shape";

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

/** Every row of every table in D1 (each service's database in the services shape), as one lower-cased text. */
export async function d1Dump(): Promise<string> {
  const dumps = await Promise.all(everyDb().map(dumpOf));
  return JSON.stringify(dumps).toLowerCase();
}

async function dumpOf(db: D1Database) {
  const { results: tables } = await db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND ${OURS}`)
    .all<{ name: string }>();
  return Promise.all(
    tables.map(async ({ name }) => [
      name,
      (await db.prepare(`SELECT * FROM "${name}"`).all()).results,
    ]),
  );
}

/** The ways a person's data could show in a dump: the address, its local part, each name. */
export const traces = (email: string, ...names: string[]): string[] => [
  email.toLowerCase(),
  (email.split("@")[0] ?? email).toLowerCase(),
  ...names.flatMap((name) => name.toLowerCase().split(" ")),
];
