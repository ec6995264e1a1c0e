import { and, eq, isNull, lt } from "drizzle-orm";
import type { Database } from "../../../db/client";
import {
  IDEMPOTENCY_KEY_RETENTION_MS,
  IDEMPOTENCY_LEASE_MS,
  type IdempotencyStore,
} from "../application/idempotency";
import { idempotencyKeys } from "./idempotency-keys.table";

const sameKey = (customerId: string, key: string) =>
  and(eq(idempotencyKeys.customerId, customerId), eq(idempotencyKeys.key, key));

/** Idempotency keys in D1: the first insert wins the key; its lease says whether it still runs. */
export const d1IdempotencyStore = (db: Database): IdempotencyStore => ({
  async claim(customerId, key, requestHash, orderId) {
    const now = Date.now();
    const [, rows] = await db.batch([
      db
        .insert(idempotencyKeys)
        .values({
          customerId,
          key,
          requestHash,
          orderId,
          leaseUntil: now + IDEMPOTENCY_LEASE_MS,
          createdAt: now,
        })
        .onConflictDoNothing(),
      db.select().from(idempotencyKeys).where(sameKey(customerId, key)),
    ]);
    const row = rows[0];
    if (!row) throw new Error("An idempotency key vanished between its insert and its read");
    if (row.orderId === orderId) return { kind: "run", orderId };
    if (row.requestHash !== requestHash) return { kind: "mismatch" };
    if (row.responseStatus !== null && row.responseBody !== null) {
      return {
        kind: "replay",
        response: {
          status: row.responseStatus,
          headers: row.responseHeaders ?? {},
          body: row.responseBody,
        },
      };
    }
    if (row.leaseUntil > now) return { kind: "running" };
    // The first request stopped without an answer: take its lease over, if no other retry did.
    const taken = await db
      .update(idempotencyKeys)
      .set({ leaseUntil: now + IDEMPOTENCY_LEASE_MS })
      .where(
        and(
          sameKey(customerId, key),
          eq(idempotencyKeys.leaseUntil, row.leaseUntil),
          isNull(idempotencyKeys.responseStatus),
        ),
      )
      .returning({ orderId: idempotencyKeys.orderId });
    return taken[0] ? { kind: "run", orderId: taken[0].orderId } : { kind: "running" };
  },

  async finish(customerId, key, response) {
    await db
      .update(idempotencyKeys)
      .set({
        responseStatus: response.status,
        responseHeaders: { ...response.headers },
        responseBody: response.body,
      })
      .where(sameKey(customerId, key));
  },

  async abandon(customerId, key) {
    await db
      .update(idempotencyKeys)
      .set({ leaseUntil: 0 })
      .where(and(sameKey(customerId, key), isNull(idempotencyKeys.responseStatus)));
  },
});

/** Deletes keys past their retention (a maintenance job). */
export async function purgeIdempotencyKeys(db: Database, now = Date.now()): Promise<void> {
  await db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, now - IDEMPOTENCY_KEY_RETENTION_MS));
}
