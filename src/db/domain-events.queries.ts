import { and, asc, eq } from "drizzle-orm";
import type { Database } from "./client";
import { domainEvents } from "./domain-events.table";

/** An event of an aggregate's log as the API shows it. */
export interface EventView {
  readonly version: number;
  readonly type: string;
  readonly data: unknown;
  readonly occurredAt: string;
}

/** An aggregate's events from D1's copy of its log, oldest first. */
export const eventsOf = (
  db: Database,
  aggregateType: string,
  aggregateId: string,
): Promise<EventView[]> =>
  db
    .select({
      version: domainEvents.version,
      type: domainEvents.type,
      data: domainEvents.data,
      occurredAt: domainEvents.occurredAt,
    })
    .from(domainEvents)
    .where(
      and(eq(domainEvents.aggregateType, aggregateType), eq(domainEvents.aggregateId, aggregateId)),
    )
    .orderBy(asc(domainEvents.version));
