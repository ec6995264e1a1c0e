import { sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Where a periodic job that pages through a large table stopped, so the next cron run goes on
 * from there instead of starting over (each run has a bounded budget).
 */
export const maintenanceCursors = sqliteTable("maintenance_cursors", {
  job: text("job").primaryKey(),
  cursor: text("cursor").notNull(),
});
