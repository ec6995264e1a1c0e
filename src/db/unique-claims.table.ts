import { index, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Values that must be unique across aggregates (a user's email, a product's SKU). A command
 * claims a value here before it appends the event that takes it, so two aggregates can never
 * both hold it; the claim is released when the owner's projected state no longer holds it.
 */
export const uniqueClaims = sqliteTable(
  "unique_claims",
  {
    scope: text("scope").notNull(),
    value: text("value").notNull(),
    owner: text("owner").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.scope, table.value] }),
    index("unique_claims_owner_idx").on(table.owner),
  ],
);
