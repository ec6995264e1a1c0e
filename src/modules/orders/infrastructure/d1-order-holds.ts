import { and, count, eq, gt, lt, lte, ne, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Database } from "../../../db/client";
import type { OrderView } from "../application/order.view";
import { HOLD_GRACE_MS, type OrderHolds } from "../application/unpaid-holds";
import { orderHolds } from "./order-holds.table";
import { orders } from "./orders.table";

/** Holds in D1: one conditional statement takes a hold, so the caps hold under concurrency. */
export const d1OrderHolds = (db: Database): OrderHolds => ({
  async acquire({ orderId, customerId, units, expiresAt }, caps, now) {
    const others = and(
      eq(orderHolds.customerId, customerId),
      gt(orderHolds.expiresAt, now),
      ne(orderHolds.orderId, orderId),
    );
    const unpaidOfOthers = db
      .select({ count: count(), units: sql<number>`coalesce(sum(${orderHolds.units}), 0)` })
      .from(orderHolds)
      .where(others);
    // D1 runs statements one at a time, so the sums cannot change under the insert. An order
    // already in the read model is never held again (its projection may have let its hold go);
    // a lapsed hold of the same order is renewed rather than counted twice.
    const [, [own], [placed], [unpaid]] = await db.batch([
      db
        .insert(orderHolds)
        .select(sql`
          SELECT ${orderId}, ${customerId}, ${units}, ${expiresAt}
          WHERE NOT EXISTS (SELECT 1 FROM ${orders} WHERE ${orders.id} = ${orderId})
            AND (SELECT count(*) FROM ${orderHolds} WHERE ${others}) < ${caps.orders}
            AND (SELECT coalesce(sum(${orderHolds.units}), 0) FROM ${orderHolds} WHERE ${others})
              + ${units} <= ${caps.units}`)
        .onConflictDoUpdate({
          target: orderHolds.orderId,
          set: { expiresAt: sql`excluded.${sql.identifier(orderHolds.expiresAt.name)}` },
          setWhere: lte(orderHolds.expiresAt, now),
        }),
      db
        .select({ orderId: orderHolds.orderId })
        .from(orderHolds)
        .where(and(eq(orderHolds.orderId, orderId), gt(orderHolds.expiresAt, now))),
      db.select({ id: orders.id }).from(orders).where(eq(orders.id, orderId)),
      unpaidOfOthers,
    ]);
    if (own) return { kind: "held" };
    if (placed) return { kind: "placed" };
    return { kind: "refused", unpaidOrders: unpaid?.count ?? 0, unpaidUnits: unpaid?.units ?? 0 };
  },
  async release(orderId) {
    await db
      .delete(orderHolds)
      .where(
        and(
          eq(orderHolds.orderId, orderId),
          sql`NOT EXISTS (SELECT 1 FROM ${orders} WHERE ${orders.id} = ${orderId})`,
        ),
      );
  },
});

/**
 * What an order's projection does to its hold: a confirmed order's hold lasts until its payment
 * deadline (and the grace); an order no longer unpaid (paid, rejected, cancelled, or further)
 * lets it go. Neither statement creates a hold, so a late projection cannot bring one back.
 */
export function projectHold(
  db: Database,
  order: Pick<OrderView, "id" | "status" | "paymentDueAt">,
): BatchItem<"sqlite">[] {
  const ofOrder = eq(orderHolds.orderId, order.id);
  switch (order.status) {
    case "pending":
      return [];
    case "confirmed":
      return order.paymentDueAt === null
        ? []
        : [
            db
              .update(orderHolds)
              .set({ expiresAt: Date.parse(order.paymentDueAt) + HOLD_GRACE_MS })
              .where(ofOrder),
          ];
    default:
      return [db.delete(orderHolds).where(ofOrder)];
  }
}

/** Deletes holds that no longer count (a maintenance job): their placements died. */
export async function purgeLapsedHolds(db: Database, now = Date.now()): Promise<void> {
  await db.delete(orderHolds).where(lt(orderHolds.expiresAt, now));
}
