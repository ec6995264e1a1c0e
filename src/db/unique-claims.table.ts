import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Values that must be unique across aggregates (a user's email, a product's SKU). A command
 * claims a value here before it appends the event that takes it, so two aggregates can never
 * both hold it; the claim is released when the owner's projected state no longer holds it.
 * `version` is the owner's version whose state first holds the value: a projection of an older
 * state (a late batch) never releases it.
 */
export const uniqueClaims = sqliteTable(
  "unique_claims",
  {
    scope: text("scope").notNull(),
    value: text("value").notNull(),
    owner: text("owner").notNull(),
    version: integer("version").notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.scope, table.value] }),
    index("unique_claims_owner_idx").on(table.owner),
  ],
);
