import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { primarySession } from "../db/d1-session";
import { streamName } from "../eventlog/aggregate-definition";
import { saveCursor, savedCursor } from "./maintenance-cursors";
import { logRun, noTotals, reconcileStreams } from "./reconcile-streams";
import type { MaintenanceJob } from "./scheduled";

const JOB = "list-streams-from-d1";
// The cursor once the pass is over: from then on a run costs this one read.
const DONE = "done";

const PAGE_SIZE = 100;
const PAGES = 5;
const CONCURRENCY = 10;

/** The next page of streams D1 holds events of, in key order. */
async function nextStreams(db: Database, after: [string, string], limit: number) {
  // Grouping on the primary key's prefix walks the index from the cursor, reading only the
  // rows of the page's aggregates.
  const rows = await db.all<{ aggregate_type: string; aggregate_id: string }>(sql`
    SELECT aggregate_type, aggregate_id FROM domain_events
    WHERE (aggregate_type, aggregate_id) > (${after[0]}, ${after[1]})
    GROUP BY aggregate_type, aggregate_id
    ORDER BY aggregate_type, aggregate_id
    LIMIT ${limit}`);
  return rows.map((row): [string, string] => [row.aggregate_type, row.aggregate_id]);
}

/**
 * One pass, once per deployment, over the streams D1 holds events of: each reconciles, which
 * lists it in the stream registry if it predates the registry (ADR 0023). After the pass every
 * stream is in the registry that the healing sweep walks; the job then only reads its cursor.
 */
export async function listStreamsFromD1(env: Env) {
  const db = primarySession(env.DB).db();
  const saved = await savedCursor(db, JOB);
  const totals = noTotals();
  if (saved === DONE) return { ...totals, wrapped: true };
  let cursor = saved ? (JSON.parse(saved) as [string, string]) : (["", ""] as [string, string]);
  for (let page = 0; page < PAGES && !totals.wrapped; page++) {
    const streams = await nextStreams(db, cursor, PAGE_SIZE);
    const names = streams.map(([type, id]) => streamName(type, id));
    await reconcileStreams(env, JOB, names, CONCURRENCY, totals);
    cursor = streams.at(-1) ?? cursor;
    totals.wrapped = streams.length < PAGE_SIZE;
  }
  await saveCursor(db, JOB, totals.wrapped ? DONE : JSON.stringify(cursor));
  logRun(JOB, totals);
  return totals;
}

export const listStreamsFromD1Job: MaintenanceJob = {
  name: JOB,
  run: async (env) => {
    await listStreamsFromD1(env);
  },
};
