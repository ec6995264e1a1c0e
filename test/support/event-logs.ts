import {
  evictDurableObject,
  listDurableObjectIds,
  runDurableObjectAlarm,
  runInDurableObject,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { openDatabase } from "../../src/db/client";
import { streamName } from "../../src/eventlog/aggregate-definition";
import type { CommandAnswer, CommandOutcome } from "../../src/eventlog/event-log.contract";
import { EventStore, type StreamHead } from "../../src/eventlog/event-store";
import { DATA_KEY, openEvent } from "../../src/eventlog/personal-data";
import { REGISTRY_SHARDS, streamsOfShard } from "../../src/eventlog/stream-registry.client";
import { acquireClaims } from "../../src/eventlog/unique-claims";
import type { RecordedEvent } from "../../src/kernel/events";
import { importDataKey, readPiiKeys, unwrapKey } from "../../src/kernel/pii-keys";
import type { Email } from "../../src/modules/users/domain/email.value-object";
import { emailIndexOf } from "../../src/modules/users/infrastructure/email-index";
import { dbOf, eventLogOf, monolithDb, monolithEventLog } from "./shape";

/** The stub of an aggregate instance's log, addressed as the application addresses it. */
export const logOf = (aggregateType: string, aggregateId: string) => {
  const namespace = eventLogOf(aggregateType);
  return namespace.get(namespace.idFromName(streamName(aggregateType, aggregateId)));
};

/** What a log object holds in its own storage: its head and every event. */
export const readLog = (stub: DurableObjectStub) =>
  runInDurableObject(stub, (_instance, state) => {
    const store = new EventStore(state.storage);
    return { head: store.head(), events: store.readAfter(0) } as {
      head: StreamHead | undefined;
      events: RecordedEvent[];
    };
  });

/**
 * The same, with personal fields opened by the log's data key (unwrapped under the test's
 * PII_MASTER_KEY), or shown as erased once the key is gone.
 */
export async function readOpenedLog(stub: DurableObjectStub) {
  const { head, events, wrapped } = await runInDurableObject(stub, (_instance, state) => {
    const store = new EventStore(state.storage);
    return {
      head: store.head(),
      events: store.readAfter(0),
      wrapped: store.sealed()[DATA_KEY],
    } as { head: StreamHead | undefined; events: RecordedEvent[]; wrapped: string | undefined };
  });
  const keys = readPiiKeys(env);
  if (!keys.ok) throw new Error(keys.problem);
  const key =
    wrapped === undefined
      ? undefined
      : await importDataKey((await unwrapKey(await keys.keys, wrapped, "stream-data-key")).raw);
  return { head, events: await Promise.all(events.map((event) => openEvent(event, key))) };
}

/** Every event-log object of this test file that holds at least one event. */
export async function nonEmptyLogs() {
  const eventLog = monolithEventLog("nonEmptyLogs");
  const ids = await listDurableObjectIds(eventLog);
  const logs = await Promise.all(ids.map((id) => readLog(eventLog.get(id))));
  return logs.filter((log) => log.events.length > 0);
}

/** Runs a command in a log directly over RPC, as the Worker-side client does. */
export async function executeIn(
  aggregateType: string,
  aggregateId: string,
  command: unknown,
  extras: { commandId?: string; expectedVersions?: number[] } = {},
): Promise<CommandOutcome> {
  // The outcome as the event-log client hands it on: without the object's D1 bookmark, which
  // only says how new a read must be (a restarted object answers a repeat with a newer one).
  const { d1Bookmark: _, ...outcome } = (await logOf(aggregateType, aggregateId).execute({
    aggregateType,
    aggregateId,
    command,
    ...extras,
  })) as CommandAnswer;
  return outcome as CommandOutcome;
}

/**
 * A real D1 failure, not a mock: a table every projection writes disappears while commands
 * run. (Not `users`: authentication reads it, and the commands must still be let in.) Returns
 * the repair.
 */
export async function breakProjections(): Promise<() => Promise<unknown>> {
  const db = monolithDb("breakProjections");
  await db.exec("ALTER TABLE domain_events RENAME TO domain_events_unavailable");
  return () => db.exec("ALTER TABLE domain_events_unavailable RENAME TO domain_events");
}

/**
 * Another real D1 failure: the claims table disappears, so every reconciliation fails (each
 * releases the claims its state does not hold). Returns the repair.
 */
export async function breakClaims(): Promise<() => Promise<unknown>> {
  const db = monolithDb("breakClaims");
  await db.exec("ALTER TABLE unique_claims RENAME TO unique_claims_unavailable");
  return () => db.exec("ALTER TABLE unique_claims_unavailable RENAME TO unique_claims");
}

/** When a log's alarm is set to fire (epoch ms), or null. */
export const alarmOf = (aggregateType: string, aggregateId: string) =>
  runInDurableObject(logOf(aggregateType, aggregateId), (_instance, state) =>
    state.storage.getAlarm(),
  );

/** Deletes a log's alarm, as if it were lost: only a command, or a test, moves the log on. */
export const deleteAlarmOf = (aggregateType: string, aggregateId: string) =>
  runInDurableObject(logOf(aggregateType, aggregateId), (_instance, state) =>
    state.storage.deleteAlarm(),
  );

/** Lets every effect a log owes retry now, instead of after its backoff. */
export const skipBackoff = (aggregateType: string, aggregateId: string) =>
  runInDurableObject(logOf(aggregateType, aggregateId), (_instance, state) => {
    state.storage.sql.exec("UPDATE effect_attempts SET next_at = 0");
  });

/** Runs the alarm of every event-log object of this test file that has one set. */
export async function runEveryAlarm(): Promise<void> {
  const eventLog = monolithEventLog("runEveryAlarm");
  const ids = await listDurableObjectIds(eventLog);
  await Promise.all(ids.map((id) => runDurableObjectAlarm(eventLog.get(id))));
}

/** The events D1 holds of one aggregate, as `{ version, type }`, in order. */
export async function d1EventsOf(aggregateId: string, table = "domain_events") {
  const { results } = await monolithDb("d1EventsOf")
    .prepare(`SELECT version, type FROM ${table} WHERE aggregate_id = ? ORDER BY version`)
    .bind(aggregateId)
    .all<{ version: number; type: string }>();
  return results;
}

/**
 * Every event-log object of this test file that holds no event but still holds something: a
 * table, a row or an alarm. A command that failed on a new stream must leave none of these.
 */
export async function objectsLeftBehind() {
  const eventLog = monolithEventLog("objectsLeftBehind");
  const ids = await listDurableObjectIds(eventLog);
  const leftovers = await Promise.all(
    ids.map((id) =>
      runInDurableObject(eventLog.get(id), async (_instance, state) => {
        const tables = state.storage.sql
          .exec<{ name: string }>(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\'",
          )
          .toArray()
          .map((row) => row.name);
        const events = tables.includes("events")
          ? state.storage.sql.exec("SELECT 1 FROM events LIMIT 1").toArray().length
          : 0;
        const alarm = await state.storage.getAlarm();
        return events === 0 && (tables.length > 0 || alarm !== null)
          ? { id: id.toString(), tables, alarm }
          : undefined;
      }),
    ),
  );
  return leftovers.filter((leftover) => leftover !== undefined);
}

/**
 * Starts an aggregate's object afresh, as after an eviction or a reset: its storage stays, what
 * it held in memory (the loaded stream, the alarm it set) is gone.
 */
export async function restartLog(aggregateType: string, aggregateId: string): Promise<void> {
  const stub = logOf(aggregateType, aggregateId);
  // Eviction needs a running object: this call starts it if it is not.
  await runInDurableObject(stub, () => undefined);
  await evictDurableObject(stub);
}

/**
 * Breaks an aggregate's log for real, not with a mock: an event no code knows, loaded by a
 * restarted object, so every command on it fails until the returned repair runs.
 */
export async function breakLog(
  aggregateType: string,
  aggregateId: string,
): Promise<() => Promise<void>> {
  const corrupt = async (sql: string) => {
    await runInDurableObject(logOf(aggregateType, aggregateId), (_instance, state) => {
      state.storage.sql.exec(sql);
    });
    await restartLog(aggregateType, aggregateId);
  };
  await corrupt(
    `INSERT INTO events (version, type, data, occurred_at)
     SELECT max(version) + 1, 'FromTheFuture', '{}', '2026-01-01T00:00:00Z' FROM events`,
  );
  return () => corrupt("DELETE FROM events WHERE type = 'FromTheFuture'");
}

/** Every stream name the stream registry lists, shard by shard. */
export async function everyListedStream(): Promise<string[]> {
  const shards = await Promise.all(
    Array.from({ length: REGISTRY_SHARDS }, (_, shard) =>
      streamsOfShard(env.STREAM_REGISTRY, shard, "", 1_000),
    ),
  );
  return shards.flat();
}

/**
 * What a registration leaves if its object is reset right after claiming the email: the head
 * (version 0) and an alarm in the object's storage, the claim in D1, and no event. Returns the
 * user's log.
 */
export async function registrationDiedAfterClaiming(id: string, email: string) {
  const log = logOf("user", id);
  await runInDurableObject(log, async (_instance, state) => {
    new EventStore(state.storage).recordHead({
      aggregateType: "user",
      aggregateId: id,
      version: 0,
      projectedVersion: 0,
    });
    await state.storage.setAlarm(Date.now() + 60_000);
  });
  const claim = { scope: "user-email", value: await emailIndexOf(env, email as Email) };
  expect(
    await acquireClaims(openDatabase(dbOf("users")), `user:${id}`, [claim], 1),
  ).toBeUndefined();
  return log;
}
