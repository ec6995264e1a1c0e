import { sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * One seat per active admin: the guard that keeps at least one. A seat is taken once a user has
 * become an active admin, and released, by a single conditional statement that refuses the last
 * one, before a change that may end that (see application/admin-seats.ts). A released seat
 * stays, marked with the change holding it, until that change settles it.
 */
export const adminSeats = sqliteTable("admin_seats", {
  userId: text("user_id").primaryKey(),
  /** The change holding this seat while it may end the user's being an admin. */
  releasedBy: text("released_by"),
  releasedAt: text("released_at"),
});
