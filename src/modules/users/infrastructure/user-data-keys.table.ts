import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Each user's data key, wrapped, as projected from the sealed values beside the user's log: the
 * Worker opens the user's events in D1 with it (the export, the events list). Erasure deletes
 * the row, as it deletes the log's own copy (ADR 0037).
 */
export const userDataKeys = sqliteTable("user_data_keys", {
  userId: text("user_id").primaryKey(),
  wrappedKey: text("wrapped_key").notNull(),
  /** The user's version when this key was projected; older projections never overwrite it. */
  version: integer("version").notNull(),
});
