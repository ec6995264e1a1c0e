import type { BatchItem } from "drizzle-orm/batch";
import type { Database } from "../db/client";
import { domainEvents } from "../db/domain-events.table";
import type { RecordedEvent } from "../kernel/events";
import { type AnyAggregateDefinition, streamName } from "./aggregate-definition";
import type { Sealed } from "./event-log.contract";
import { releaseClaimsExcept } from "./unique-claims";

// D1 binds at most 100 parameters per statement; an event row binds 6.
const EVENTS_PER_INSERT = 16;

export interface ProjectionInput {
  readonly definition: AnyAggregateDefinition;
  readonly aggregateId: string;
  readonly state: unknown;
  readonly version: number;
  /** Events D1 does not hold yet, in order. */
  readonly pending: readonly RecordedEvent[];
  readonly sealed: Sealed;
}

/**
 * Brings D1 up to date with one aggregate in a single atomic batch: the pending events, the
 * view at `version`, and the release of unique values the state no longer holds. Every part is
 * idempotent (events are INSERT OR IGNORE, views skip older versions), so a retry after a partial
 * failure never applies anything twice.
 */
export async function project(db: Database, input: ProjectionInput): Promise<void> {
  const { definition, aggregateId, state, version, pending } = input;
  const view = definition.view(state, version);
  const statements: BatchItem<"sqlite">[] = [];
  for (let start = 0; start < pending.length; start += EVENTS_PER_INSERT) {
    const rows = pending.slice(start, start + EVENTS_PER_INSERT).map((event) => ({
      aggregateType: definition.type,
      aggregateId,
      version: event.version,
      type: event.type,
      data: event.data,
      occurredAt: event.occurredAt,
    }));
    statements.push(db.insert(domainEvents).values(rows).onConflictDoNothing());
  }
  if (view !== null) statements.push(...definition.projectView(db, view, input.sealed));
  statements.push(
    releaseClaimsExcept(db, streamName(definition.type, aggregateId), definition.claims(state)),
  );
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
}
