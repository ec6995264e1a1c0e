import { aggregateRegistry } from "./aggregates";
import { createApp } from "./app";
import { EventLogObject } from "./eventlog/event-log.do";
import { runMaintenance } from "./maintenance/scheduled";
import { maintenanceJobs } from "./maintenance-jobs";

/** The stream registry's shards, bound as STREAM_REGISTRY (ADR 0023). */
export { StreamRegistry } from "./eventlog/stream-registry.do";

/** The event-log Durable Object, bound as EVENT_LOG, serving every registered aggregate type. */
export class EventLog extends EventLogObject {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env, aggregateRegistry);
  }
}

const app = createApp();

export default {
  fetch: app.fetch,
  // Awaited rather than handed to waitUntil, so a failed job marks the cron run as failed.
  scheduled: (_controller, env, _ctx) => runMaintenance(env, maintenanceJobs),
} satisfies ExportedHandler<Env>;
