import { and, eq, sql } from "drizzle-orm";
import type { D1Session } from "../../../db/d1-session";
import { eventsOf } from "../../../db/domain-events.queries";
import { after, decodeCursor, orderBy, type SortKey, toPage } from "../../../db/keyset-pagination";
import { preparedQuery } from "../../../db/prepared-query";
import { eventLogClient } from "../../../eventlog/event-log.client";
import { ok } from "../../../kernel/result";
import type { OrderRepository } from "../application/order.repository";
import type { OrderView } from "../application/order.view";
import { ORDER_AGGREGATE } from "./order.aggregate-definition";
import { type OrderRow, orders } from "./orders.table";

// UUIDv7 ids sort by placement time: newest first, and the id alone is a unique sort key.
const LIST_ORDER: SortKey[] = [{ column: orders.id, direction: "desc" }];

const toView = ({ totalAmount, ...row }: OrderRow): OrderView => ({
  ...row,
  total:
    totalAmount === null || row.currency === null
      ? null
      : { amount: totalAmount, currency: row.currency },
});

const orderById = preparedQuery((db) =>
  db
    .select()
    .from(orders)
    .where(eq(orders.id, sql.placeholder("id")))
    .prepare(),
);

/** The order repository over D1 (reads) and the orders' event logs (writes). */
export function orderRepository(env: Env, d1: D1Session): OrderRepository {
  const db = d1.db();
  const log = eventLogClient(env, d1);

  return {
    async findById(id) {
      const row = await orderById(db).get({ id });
      return row && toView(row);
    },

    async list({ limit, cursor, customerId, status }) {
      const position = cursor === undefined ? undefined : decodeCursor(cursor, LIST_ORDER.length);
      if (position && !position.ok) return position;
      const rows = await db
        .select()
        .from(orders)
        .where(
          and(
            customerId === undefined ? undefined : eq(orders.customerId, customerId),
            status === undefined ? undefined : eq(orders.status, status),
            position ? after(LIST_ORDER, position.value) : undefined,
          ),
        )
        .orderBy(...orderBy(LIST_ORDER))
        .limit(limit + 1);
      const page = toPage(rows, limit, (row) => [row.id]);
      return ok({ items: page.items.map(toView), nextCursor: page.nextCursor });
    },

    eventsOf: (id, page) => eventsOf(db, ORDER_AGGREGATE, id, page),

    save: (id, command, options = {}) =>
      log.execute<OrderView>(ORDER_AGGREGATE, id, command, options),
  };
}
