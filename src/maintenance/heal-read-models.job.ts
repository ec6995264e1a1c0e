import { primarySession } from "../db/d1-session";
import { REGISTRY_SHARDS, streamsOfShard } from "../eventlog/stream-registry.client";
import { saveCursor, savedCursor } from "./maintenance-cursors";
import { logRun, noTotals, reconcileStreams } from "./reconcile-streams";
import type { MaintenanceJob } from "./scheduled";

const JOB = "heal-read-models";

export interface SweepBudget {
  /** Stream names asked of a registry shard at a time. */
  readonly pageSize: number;
  /** Streams reconciled per run, at most; the next run goes on where this one stopped. */
  readonly streams: number;
  /** Objects reconciled at once. */
  readonly concurrency: number;
}

const DEFAULT_BUDGET: SweepBudget = { pageSize: 100, streams: 500, concurrency: 10 };

/** Where the sweep stands: a shard of the stream registry, and the last name done in it. */
interface Position {
  readonly shard: number;
  readonly after: string;
}

const START: Position = { shard: 0, after: "" };

function positionOf(saved: string | undefined): Position {
  const parsed = saved === undefined ? undefined : (JSON.parse(saved) as unknown);
  // Anything else (a cursor of the sweep over D1 that this one replaced) starts over.
  return typeof parsed === "object" && parsed !== null && "shard" in parsed && "after" in parsed
    ? (parsed as Position)
    : START;
}

/**
 * Walks the stream registry (every event-log stream, listed outside D1: ADR 0023) and has each
 * stream's log reconcile D1 with itself: events lost to a point-in-time restore, the view, the
 * unique claims, and the claims of a command that died before appending. Bounded per run; the
 * position in `maintenance_cursors` carries on in the next run and wraps around after the last
 * shard. A log that fails to reconcile retries from its own alarm.
 */
export async function healReadModels(env: Env, budget: SweepBudget = DEFAULT_BUDGET) {
  const db = primarySession(env.DB).db();
  let position = positionOf(await savedCursor(db, JOB));
  const totals = noTotals();
  let visited = 0;
  while (visited < budget.streams && !totals.wrapped) {
    const limit = Math.min(budget.pageSize, budget.streams - visited);
    const streams = await streamsOfShard(
      env.STREAM_REGISTRY,
      position.shard,
      position.after,
      limit,
    );
    await reconcileStreams(env, JOB, streams, budget.concurrency, totals);
    visited += streams.length;
    // A short page ends the shard: the next page is the next shard's first.
    position =
      streams.length < limit
        ? { shard: position.shard + 1, after: "" }
        : { shard: position.shard, after: streams.at(-1) as string };
    totals.wrapped = position.shard >= REGISTRY_SHARDS;
  }
  await saveCursor(db, JOB, totals.wrapped ? undefined : JSON.stringify(position));
  logRun(JOB, totals);
  return totals;
}

export const healReadModelsJob: MaintenanceJob = {
  name: JOB,
  run: async (env) => {
    await healReadModels(env);
  },
};
