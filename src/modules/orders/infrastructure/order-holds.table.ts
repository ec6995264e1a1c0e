import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * What each customer's unpaid orders hold: one row per order that is placed and not yet paid,
 * rejected or cancelled. Taken by one conditional statement before the order is placed, so the
 * caps hold under concurrent placements (ADR 0026); deleted by the order's projection once it
 * is no longer unpaid. A row past `expiresAt` (epoch ms) no longer counts: an order whose
 * request died before placing it holds nothing for long.
 */
export const orderHolds = sqliteTable(
  "order_holds",
  {
    orderId: text("order_id").primaryKey(),
    customerId: text("customer_id").notNull(),
    units: integer("units").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (table) => [
    index("order_holds_customer_idx").on(table.customerId, table.expiresAt),
    // The cron's purge of lapsed holds finds them without reading every hold.
    index("order_holds_expires_idx").on(table.expiresAt),
  ],
);
