import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The D1 copy of every aggregate's log, written by projections (INSERT OR IGNORE, so a replayed
 * projection never duplicates). Queries such as "a user's events" read it; the Durable Object's
 * log stays the source of truth.
 */
export const domainEvents = sqliteTable(
  "domain_events",
  {
    aggregateType: text("aggregate_type").notNull(),
    aggregateId: text("aggregate_id").notNull(),
    version: integer("version").notNull(),
    type: text("type").notNull(),
    data: text("data", { mode: "json" }).notNull(),
    occurredAt: text("occurred_at").notNull(),
    correlationId: text("correlation_id"),
    causationId: text("causation_id"),
  },
  (table) => [primaryKey({ columns: [table.aggregateType, table.aggregateId, table.version] })],
);
