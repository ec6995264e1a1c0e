import { aggregateRegistry } from "./aggregates";
import { EventLogObject } from "./eventlog/event-log.do";
import { createApp } from "./gateway/app";

/** The event-log Durable Object, bound as EVENT_LOG, serving every registered aggregate type. */
export class EventLog extends EventLogObject {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env, aggregateRegistry);
  }
}

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
