import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { domainEvents } from "../db/domain-events.table";
import {
  type ProjectionStatement,
  statementTemplate,
  toD1Statement,
} from "../db/statement-template";
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

const EVENT_COLUMNS = [
  "aggregateType",
  "aggregateId",
  "version",
  "type",
  "data",
  "occurredAt",
  "correlationId",
  "causationId",
] as const;

/** The insert of `count` events, built once per count (see statementTemplate). */
const eventsInsert = (db: Database, count: number) =>
  statementTemplate(`domain_events insert × ${count}`, () =>
    db
      .insert(domainEvents)
      .values(
        Array.from({ length: count }, (_, row) =>
          Object.fromEntries(
            EVENT_COLUMNS.map((column) => [column, sql.placeholder(`${row}.${column}`)]),
          ),
        ) as unknown as (typeof domainEvents.$inferInsert)[],
      )
      .onConflictDoNothing(),
  );

const eventInserts = (db: Database, input: ProjectionInput): ProjectionStatement[] => {
  const statements: ProjectionStatement[] = [];
  for (let start = 0; start < input.pending.length; start += EVENTS_PER_INSERT) {
    const events = input.pending.slice(start, start + EVENTS_PER_INSERT);
    const values: Record<string, unknown> = {};
    events.forEach((event, row) => {
      values[`${row}.aggregateType`] = input.definition.type;
      values[`${row}.aggregateId`] = input.aggregateId;
      values[`${row}.version`] = event.version;
      values[`${row}.type`] = event.type;
      values[`${row}.data`] = event.data;
      values[`${row}.occurredAt`] = event.occurredAt;
      values[`${row}.correlationId`] = event.correlationId ?? null;
      values[`${row}.causationId`] = event.causationId ?? null;
    });
    statements.push(eventsInsert(db, events.length)(db, values));
  }
  return statements;
};

/**
 * The view at `version` and the release of unique values the state no longer holds. A state
 * that is missing at a version above 0 is a bug (an aggregate never ceases to exist): it
 * releases nothing, so a broken replay cannot free another aggregate's way to a held value.
 */
const stateStatements = (db: Database, input: ProjectionInput): ProjectionStatement[] => {
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
    const batch = statements.slice(start, start + STATEMENTS_PER_BATCH);
    if (batch.length > 0) await db.$client.batch(batch.map((item) => toD1Statement(db, item)));
  }
}
