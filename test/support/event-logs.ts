import { listDurableObjectIds, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { streamName } from "../../src/eventlog/aggregate-definition";
import { EventStore, type StreamHead } from "../../src/eventlog/event-store";
import type { RecordedEvent } from "../../src/kernel/events";

/** The stub of an aggregate instance's log, addressed as the application addresses it. */
export const logOf = (aggregateType: string, aggregateId: string) =>
  env.EVENT_LOG.get(env.EVENT_LOG.idFromName(streamName(aggregateType, aggregateId)));

/** What a log object holds in its own storage: its head and every event. */
export const readLog = (stub: DurableObjectStub) =>
  runInDurableObject(stub, (_instance, state) => {
    const store = new EventStore(state.storage);
    return { head: store.head(), events: store.readAfter(0) } as {
      head: StreamHead | undefined;
      events: RecordedEvent[];
    };
  });

/** Every event-log object of this test file that holds at least one event. */
export async function nonEmptyLogs() {
  const ids = await listDurableObjectIds(env.EVENT_LOG);
  const logs = await Promise.all(ids.map((id) => readLog(env.EVENT_LOG.get(id))));
  return logs.filter((log) => log.events.length > 0);
}
