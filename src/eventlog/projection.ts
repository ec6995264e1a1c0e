import type { BatchItem } from "drizzle-orm/batch";
import type { Database } from "../db/client";
import { domainEvents } from "../db/domain-events.table";
import type { RecordedEvent } from "../kernel/events";
import { type AnyAggregateDefinition, streamName } from "./aggregate-definition";
import type { Sealed } from "./event-log.contract";
import { releaseClaimsExcept } from "./unique-claims";

// D1 binds at most 100 parameters per statement; an event row binds 8.
const EVENTS_PER_INSERT = 12;
// Statements per D1 batch: a long backlog (after an outage, or a restore) goes in several
// batches, each atomic, so no single batch grows with the backlog.
const STATEMENTS_PER_BATCH = 16;

export interface ProjectionInput {
  readonly definition: AnyAggregateDefinition;
  readonly aggregateId: string;
  readonly state: unknown;
  readonly version: number;
  /** Events D1 may not hold yet, in order. */
  readonly pending: readonly RecordedEvent[];
  readonly sealed: Sealed;
  /**
   * Claims the owner took at versions up to this one and that `state` does not hold are
   * released: `version` for a projection, which may land late; more inside a reconciliation
   * that knows no command is under way.
   */
  readonly releaseUpTo: number;
}

const eventInserts = (db: Database, input: ProjectionInput): BatchItem<"sqlite">[] => {
  const statements: BatchItem<"sqlite">[] = [];
  for (let start = 0; start < input.pending.length; start += EVENTS_PER_INSERT) {
    const rows = input.pending.slice(start, start + EVENTS_PER_INSERT).map((event) => ({
      aggregateType: input.definition.type,
      aggregateId: input.aggregateId,
      version: event.version,
      type: event.type,
      data: event.data,
      occurredAt: event.occurredAt,
      correlationId: event.correlationId ?? null,
      causationId: event.causationId ?? null,
    }));
    statements.push(db.insert(domainEvents).values(rows).onConflictDoNothing());
  }
  return statements;
};

/**
 * The view at `version` and the release of unique values the state no longer holds. A state
 * that is missing at a version above 0 is a bug (an aggregate never ceases to exist): it
 * releases nothing, so a broken replay cannot free another aggregate's way to a held value.
 */
const stateStatements = (db: Database, input: ProjectionInput): BatchItem<"sqlite">[] => {
  const { definition, aggregateId, state, version } = input;
  const view = definition.view(state, version);
  if (view === null && version > 0) {
    console.error(
      JSON.stringify({
        level: "error",
        message: "an aggregate's state is missing after events; its claims are kept",
        stream: streamName(definition.type, aggregateId),
        version,
      }),
    );
    return [];
  }
  const owner = streamName(definition.type, aggregateId);
  return [
    ...(view === null ? [] : definition.projectView(db, view, input.sealed)),
    releaseClaimsExcept(db, owner, definition.claims(state), input.releaseUpTo),
  ];
};

/**
 * Brings D1 up to date with one aggregate: the pending events, the view at `version`, and the
 * release of unique values the state no longer holds. Batches are atomic, and every part is
 * idempotent (events are INSERT OR IGNORE, views skip older versions), so a retry after a
 * partial failure never applies anything twice.
 */
export async function project(db: Database, input: ProjectionInput): Promise<void> {
  const statements = [...eventInserts(db, input), ...stateStatements(db, input)];
  for (let start = 0; start < statements.length; start += STATEMENTS_PER_BATCH) {
    const [first, ...rest] = statements.slice(start, start + STATEMENTS_PER_BATCH);
    if (first) await db.batch([first, ...rest]);
  }
}
