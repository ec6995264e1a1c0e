import { and, eq, isNull, lt } from "drizzle-orm";
import type { Database } from "../../../db/client";
import {
  IDEMPOTENCY_KEY_RETENTION_MS,
  IDEMPOTENCY_LEASE_MS,
  type IdempotencyStore,
  type StoredResponse,
} from "../application/idempotency";
import { idempotencyKeys } from "./idempotency-keys.table";

const sameKey = (customerId: string, key: string) =>
  and(eq(idempotencyKeys.customerId, customerId), eq(idempotencyKeys.key, key));

const storedResponse = (row: typeof idempotencyKeys.$inferSelect): StoredResponse | undefined =>
  row.responseStatus !== null && row.responseBody !== null
    ? { status: row.responseStatus, headers: row.responseHeaders ?? {}, body: row.responseBody }
    : undefined;

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
    if (row.orderId === orderId) return { kind: "run", orderId, fresh: true };
    if (row.requestHash !== requestHash) return { kind: "mismatch" };
    const stored = storedResponse(row);
    if (stored) return { kind: "replay", response: stored };
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
    return taken[0]
      ? { kind: "run", orderId: taken[0].orderId, fresh: false }
      : { kind: "running" };
  },

  async finish(customerId, key, response) {
    // Only the first finisher writes; the read in the same batch sees whichever response won.
    const [written, [row]] = await db.batch([
      db
        .update(idempotencyKeys)
        .set({
          responseStatus: response.status,
          responseHeaders: { ...response.headers },
          responseBody: response.body,
        })
        .where(and(sameKey(customerId, key), isNull(idempotencyKeys.responseStatus)))
        .returning({ key: idempotencyKeys.key }),
      db.select().from(idempotencyKeys).where(sameKey(customerId, key)),
    ]);
    const stored = row && storedResponse(row);
    // A key purged in between (kept 24 h, so hardly) leaves this response as the only one.
    return written.length > 0 || !stored
      ? { response, first: true }
      : { response: stored, first: false };
  },

  async release(customerId, key, orderId) {
    await db
      .delete(idempotencyKeys)
      .where(
        and(
          sameKey(customerId, key),
          eq(idempotencyKeys.orderId, orderId),
          isNull(idempotencyKeys.responseStatus),
        ),
      );
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
