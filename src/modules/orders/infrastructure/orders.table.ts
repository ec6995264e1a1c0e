import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { OrderLineView } from "../application/order.view";
import type { OrderStatus } from "../domain/order-status";

/** The orders read model, written by projections. UUIDv7 ids sort newest last. */
export const orders = sqliteTable(
  "orders",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id").notNull(),
    status: text("status").$type<OrderStatus>().notNull(),
    currency: text("currency"),
    totalAmount: integer("total_amount"),
    lines: text("lines", { mode: "json" }).$type<readonly OrderLineView[]>().notNull(),
    paymentDueAt: text("payment_due_at"),
    cancellationReason: text("cancellation_reason"),
    version: integer("version").notNull(),
    placedAt: text("placed_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (table) => [
    index("orders_customer_idx").on(table.customerId, table.id),
    index("orders_status_idx").on(table.status, table.id),
    // A customer's orders in one status, newest first, without reading everyone's in it.
    index("orders_customer_status_idx").on(table.customerId, table.status, table.id),
  ],
);

export type OrderRow = typeof orders.$inferSelect;
