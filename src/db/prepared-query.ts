import type { Database } from "./client";

/** What of drizzle's D1 prepared query is rebound to another session: its D1 statement. */
interface D1Prepared {
  getQuery(): { sql: string };
}

/**
 * A query that hot paths run on every request (a read by id, the caller's lookup), built by
 * Drizzle once per isolate instead of once per request: building the SQL costs more CPU than
 * the rest of a small read. Each request has its own D1 session and so its own handle: the
 * query built once is handed out bound to the handle's session (a fresh D1 statement for its
 * SQL, the rest shared). Bind its `sql.placeholder`s when running it.
 */
export function preparedQuery<Query extends D1Prepared>(
  build: (db: Database) => Query,
): (db: Database) => Query {
  let built: { query: Query; on: Database; sql: string } | undefined;
  return (db) => {
    if (built === undefined) {
      const query = build(db);
      built = { query, on: db, sql: query.getQuery().sql };
    }
    if (built.on === db) return built.query;
    // drizzle's D1PreparedQuery runs `this.stmt`, the statement it prepared on its handle's
    // client; everything else it reads (SQL, params, field mapping) is the same for every session.
    return Object.create(built.query, { stmt: { value: db.$client.prepare(built.sql) } }) as Query;
  };
}
