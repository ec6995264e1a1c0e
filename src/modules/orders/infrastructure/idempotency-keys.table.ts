import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * One row per `Idempotency-Key` of a customer: the request it first came with (a hash), the
 * order it placed, and, once that request finished, its response as sent. While `leaseUntil` is
 * in the future the first request is still running; after it, a retry takes the placement over.
 */
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    customerId: text("customer_id").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    orderId: text("order_id").notNull(),
    leaseUntil: integer("lease_until").notNull(),
    responseStatus: integer("response_status"),
    responseHeaders: text("response_headers", { mode: "json" }).$type<Record<string, string>>(),
    responseBody: text("response_body"),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.customerId, table.key] }),
    index("idempotency_keys_created_idx").on(table.createdAt),
  ],
);
