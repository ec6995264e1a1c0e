import { eq, sql } from "drizzle-orm";
import { openDatabase } from "../db/client";
import { maintenanceCursors } from "../db/maintenance-cursors.table";
import { reconcileLog } from "../eventlog/event-log.client";
import { loggableError } from "../kernel/loggable-error";
import type { MaintenanceJob } from "./scheduled";

const JOB = "heal-read-models";

export interface SweepBudget {
  /** Aggregates per page of D1 ids. */
  readonly pageSize: number;
  /** Pages per run; the next run goes on where this one stopped. */
  readonly pages: number;
  /** Objects reconciled at once. */
  readonly concurrency: number;
}

const DEFAULT_BUDGET: SweepBudget = { pageSize: 100, pages: 5, concurrency: 10 };

type StreamKey = [aggregateType: string, aggregateId: string];

/** The next page of aggregates D1 knows of (those with at least one event row), in key order. */
async function nextStreams(db: ReturnType<typeof openDatabase>, after: StreamKey, limit: number) {
  // Grouping on the primary key's prefix walks the index from the cursor, reading only the
  // rows of the page's aggregates.
  const rows = await db.all<{ aggregate_type: string; aggregate_id: string }>(sql`
    SELECT aggregate_type, aggregate_id FROM domain_events
    WHERE (aggregate_type, aggregate_id) > (${after[0]}, ${after[1]})
    GROUP BY aggregate_type, aggregate_id
    ORDER BY aggregate_type, aggregate_id
    LIMIT ${limit}`);
  return rows.map((row): StreamKey => [row.aggregate_type, row.aggregate_id]);
}

/**
 * Pages through the aggregates D1 knows of and has each one's log reconcile D1 with itself:
 * the projected version and view, the unique claims, and event rows lost to a point-in-time
 * restore. Bounded per run; the cursor in `maintenance_cursors` carries on in the next run and
 * wraps around at the end. An aggregate that left no row at all in D1 is not found here; its
 * own log heals it on its next command or alarm.
 */
export async function healReadModels(env: Env, budget: SweepBudget = DEFAULT_BUDGET) {
  const db = openDatabase(env.DB);
  const saved = await db
    .select({ cursor: maintenanceCursors.cursor })
    .from(maintenanceCursors)
    .where(eq(maintenanceCursors.job, JOB))
    .get();
  let cursor: StreamKey = saved ? (JSON.parse(saved.cursor) as StreamKey) : ["", ""];
  const totals = { reconciled: 0, restoredEvents: 0, failed: 0, wrapped: false };
  for (let page = 0; page < budget.pages && !totals.wrapped; page++) {
    const streams = await nextStreams(db, cursor, budget.pageSize);
    for (let start = 0; start < streams.length; start += budget.concurrency) {
      const group = streams.slice(start, start + budget.concurrency);
      const outcomes = await Promise.allSettled(
        group.map(([type, id]) => reconcileLog(env.EVENT_LOG, type, id)),
      );
      for (const [index, outcome] of outcomes.entries()) {
        if (outcome.status === "fulfilled" && outcome.value.upToDate) {
          totals.reconciled++;
          totals.restoredEvents += outcome.value.restoredEvents;
        } else {
          totals.failed++;
          console.error(
            JSON.stringify({
              level: "error",
              message: "could not reconcile a log with D1",
              job: JOB,
              stream: (group[index] as StreamKey).join(":"),
              ...(outcome.status === "rejected" ? loggableError(outcome.reason) : {}),
            }),
          );
        }
      }
    }
    cursor = streams.at(-1) ?? cursor;
    totals.wrapped = streams.length < budget.pageSize;
  }
  if (totals.wrapped) {
    await db.delete(maintenanceCursors).where(eq(maintenanceCursors.job, JOB));
  } else {
    const value = JSON.stringify(cursor);
    await db
      .insert(maintenanceCursors)
      .values({ job: JOB, cursor: value })
      .onConflictDoUpdate({ target: maintenanceCursors.job, set: { cursor: value } });
  }
  console.log(JSON.stringify({ level: "info", message: "maintenance", job: JOB, ...totals }));
  return totals;
}

export const healReadModelsJob: MaintenanceJob = {
  name: JOB,
  run: async (env) => {
    await healReadModels(env);
  },
};
