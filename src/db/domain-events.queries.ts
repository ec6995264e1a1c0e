import { and, asc, eq, gt } from "drizzle-orm";
import type { DomainError } from "../kernel/domain-error";
import { err, ok, type Result } from "../kernel/result";
import type { Database } from "./client";
import { domainEvents } from "./domain-events.table";
import { decodeCursor, invalidCursor, type Page, toPage } from "./keyset-pagination";

/** An event of an aggregate's log as the API shows it. */
export interface EventView {
  readonly version: number;
  readonly type: string;
  readonly data: unknown;
  readonly occurredAt: string;
  /** The business flow the event belongs to (null for events recorded before flows were kept). */
  readonly correlationId: string | null;
  /** The command that appended it. */
  readonly causationId: string | null;
}

export interface EventPageRequest {
  readonly limit: number;
  readonly cursor?: string;
}

/** A page of an aggregate's events from D1's copy of its log, oldest first. */
export async function eventsOf(
  db: Database,
  aggregateType: string,
  aggregateId: string,
  { limit, cursor }: EventPageRequest,
): Promise<Result<Page<EventView>, DomainError>> {
  const position = cursor === undefined ? undefined : decodeCursor(cursor, 1);
  if (position && !position.ok) return position;
  const after = position?.value[0];
  if (after !== undefined && !(Number.isSafeInteger(after) && Number(after) >= 0)) {
    return err(invalidCursor());
  }
  const rows = await db
    .select({
      version: domainEvents.version,
      type: domainEvents.type,
      data: domainEvents.data,
      occurredAt: domainEvents.occurredAt,
      correlationId: domainEvents.correlationId,
      causationId: domainEvents.causationId,
    })
    .from(domainEvents)
    .where(
      and(
        eq(domainEvents.aggregateType, aggregateType),
        eq(domainEvents.aggregateId, aggregateId),
        after === undefined ? undefined : gt(domainEvents.version, Number(after)),
      ),
    )
    .orderBy(asc(domainEvents.version))
    .limit(limit + 1);
  return ok(toPage(rows, limit, (event) => [event.version]));
}

/**
 * The page, unless it is the first page of an empty log: an aggregate that never had an event
 * does not exist, and the caller's `notFound` says so.
 */
export const pageOfExistingLog = (
  page: Result<Page<EventView>, DomainError>,
  request: EventPageRequest,
  notFound: () => DomainError,
): Result<Page<EventView>, DomainError> =>
  page.ok && page.value.items.length === 0 && request.cursor === undefined ? err(notFound()) : page;
