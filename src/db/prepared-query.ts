import type { Database } from "./client";

/**
 * A query that hot paths run on every request (a read by id, the caller's lookup), built and
 * prepared by Drizzle once per database handle instead of once per request: building the SQL
 * costs more CPU than the rest of a small read. Bind its `sql.placeholder`s when running it.
 */
export function preparedQuery<Query>(build: (db: Database) => Query): (db: Database) => Query {
  const built = new WeakMap<Database, Query>();
  return (db) => {
    let query = built.get(db);
    if (query === undefined) {
      query = build(db);
      built.set(db, query);
    }
    return query;
  };
}
