import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";

/** What drizzle and the projections need of D1: a database binding or one of its sessions. */
export type D1Client = Pick<D1Database, "prepare" | "batch">;

// With the client drizzle was made over: projections batch D1 statements bound from templates
// (statement-template.ts) beside drizzle's queries.
export type Database = DrizzleD1Database & { readonly $client: D1Client };

// One Drizzle handle per D1 session (d1-session.ts): a request opens the database several
// times (authentication, repositories) within its one session. No schema is passed: the code
// uses typed query builders, not Drizzle's relational queries.
const handles = new WeakMap<D1Client, Database>();

/**
 * A Drizzle handle over a D1 session (`env.DB.withSession(...)`, see d1-session.ts). The code
 * reaches D1 only through sessions; tests may pass the binding itself.
 */
export function openDatabase(d1: D1Client): Database {
  let db = handles.get(d1);
  if (!db) {
    // drizzle calls only `prepare` and `batch`, which a session has too.
    db = drizzle(d1 as D1Database) as unknown as Database;
    handles.set(d1, db);
  }
  return db;
}
