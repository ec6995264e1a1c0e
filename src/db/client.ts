import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";

// With the binding drizzle was made over: projections batch D1 statements bound from templates
// (statement-template.ts) beside drizzle's queries.
export type Database = DrizzleD1Database & { readonly $client: D1Database };

// One Drizzle handle per D1 binding, made once per isolate: a request opens the database
// several times (authentication, repositories), and each handle costs setting up. No schema is
// passed: the code uses typed query builders, not Drizzle's relational queries.
const handles = new WeakMap<D1Database, Database>();

/** A Drizzle handle over the D1 binding. */
export function openDatabase(d1: D1Database): Database {
  let db = handles.get(d1);
  if (!db) {
    db = drizzle(d1);
    handles.set(d1, db);
  }
  return db;
}
