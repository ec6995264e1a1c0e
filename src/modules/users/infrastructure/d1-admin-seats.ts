import { and, eq, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import type { AdminSeats } from "../application/admin-seats";
import { adminSeats } from "./admin-seats.table";

/** After this long, a hold on a seat belongs to a change that died, and may be taken over. */
export const STALE_SEAT_HOLD_MS = 2 * 60 * 1000;

export function d1AdminSeats(db: Database): AdminSeats {
  return {
    async release(userId, lease, now) {
      const staleBefore = new Date(now.getTime() - STALE_SEAT_HOLD_MS).toISOString();
      // One conditional statement: D1 runs statements one at a time, so the count cannot
      // change under it. The seat is read back in the same batch (one round trip) to tell why
      // nothing was released.
      const [held, seat] = await db.batch([
        db
          .update(adminSeats)
          .set({ releasedBy: lease, releasedAt: now.toISOString() })
          .where(
            and(
              eq(adminSeats.userId, userId),
              or(
                and(
                  isNull(adminSeats.releasedBy),
                  sql`(SELECT COUNT(*) FROM admin_seats WHERE released_by IS NULL) > 1`,
                ),
                and(isNotNull(adminSeats.releasedBy), lt(adminSeats.releasedAt, staleBefore)),
              ),
            ),
          )
          .returning({ userId: adminSeats.userId }),
        db
          .select({ releasedBy: adminSeats.releasedBy })
          .from(adminSeats)
          .where(eq(adminSeats.userId, userId)),
      ]);
      if (held.length > 0) return "released";
      const [row] = seat;
      if (!row) return "no-seat";
      return row.releasedBy === null ? "last" : "busy";
    },

    async hold(userId, lease, now) {
      const staleBefore = new Date(now.getTime() - STALE_SEAT_HOLD_MS).toISOString();
      const holding = { releasedBy: lease, releasedAt: now.toISOString() };
      const [held] = await db
        .insert(adminSeats)
        .values({ userId, ...holding })
        .onConflictDoUpdate({
          target: adminSeats.userId,
          set: holding,
          setWhere: or(isNull(adminSeats.releasedBy), lt(adminSeats.releasedAt, staleBefore)),
        })
        .returning({ userId: adminSeats.userId });
      return held ? "held" : "busy";
    },

    async holdFirst(userId, lease, now) {
      const result = await db.run(sql`
        INSERT INTO admin_seats (user_id, released_by, released_at)
        SELECT ${userId}, ${lease}, ${now.toISOString()}
        WHERE NOT EXISTS (SELECT 1 FROM admin_seats)`);
      return result.meta.changes === 1 ? "held" : "taken";
    },

    async anyTaken() {
      const [seat] = await db.select({ userId: adminSeats.userId }).from(adminSeats).limit(1);
      return seat !== undefined;
    },

    async settle(userId, lease, stillActiveAdmin) {
      const heldByLease = and(eq(adminSeats.userId, userId), eq(adminSeats.releasedBy, lease));
      if (stillActiveAdmin) {
        await db.update(adminSeats).set({ releasedBy: null, releasedAt: null }).where(heldByLease);
      } else {
        await db.delete(adminSeats).where(heldByLease);
      }
    },
  };
}
