import { and, count, eq, lte } from "drizzle-orm";
import type { Database } from "../db/client";
import { domainEvents } from "../db/domain-events.table";
import { logPseudonym } from "../kernel/log-pseudonym";
import { type AnyAggregateDefinition, streamName } from "./aggregate-definition";
import type { ReconcileReport } from "./event-log.contract";
import type { EventStore, StreamHead } from "./event-store";
import { project } from "./projection";
import { acquireClaims } from "./unique-claims";

interface Stream {
  readonly definition: AnyAggregateDefinition;
  readonly head: StreamHead;
  readonly state: unknown;
}

/**
 * Claims, one by one, each unique value the state holds. A value held by another is logged by
 * its scope and a keyed pseudonym, never the value: for a user it is the email.
 */
async function reclaim(
  db: Database,
  { definition, head, state }: Stream,
  pseudonymSecret: string | undefined,
): Promise<void> {
  const owner = streamName(definition.type, head.aggregateId);
  for (const claim of definition.claims(state)) {
    if (await acquireClaims(db, owner, [claim], head.version)) {
      console.error(
        JSON.stringify({
          level: "error",
          message: "a unique value this aggregate holds is claimed by another",
          stream: owner,
          scope: claim.scope,
          valuePseudonym: await logPseudonym(pseudonymSecret, claim.scope, claim.value),
        }),
      );
    }
  }
}

/** How many events up to the projected version D1 holds: all of them unless D1 lost some. */
async function projectedEventsInD1(db: Database, { definition, head }: Stream): Promise<number> {
  const [row] = await db
    .select({ events: count() })
    .from(domainEvents)
    .where(
      and(
        eq(domainEvents.aggregateType, definition.type),
        eq(domainEvents.aggregateId, head.aggregateId),
        lte(domainEvents.version, head.projectedVersion),
      ),
    );
  return row?.events ?? 0;
}

/**
 * Makes D1 agree with the log whatever happened to it: re-claims every unique value the state
 * holds, writes again any event D1 lost, upserts the view at the head, and releases every claim
 * the state does not hold. Must run while no command is between claiming and appending (in
 * the object's queue), since it releases claims of any version. Throws when D1 fails.
 * `pseudonymSecret` keys the pseudonym that names a conflicting value in the log.
 */
export async function reconcileWithD1(
  db: Database,
  store: EventStore,
  stream: Stream,
  pseudonymSecret: string | undefined,
): Promise<ReconcileReport> {
  const { definition, head, state } = stream;
  await reclaim(db, stream, pseudonymSecret);
  // Versions are unique and start at 1, so a count below the projected version means a loss;
  // then every event goes again (INSERT OR IGNORE keeps what D1 still has).
  const lost = head.projectedVersion - (await projectedEventsInD1(db, stream));
  const pending = store.readAfter(lost > 0 ? 0 : head.projectedVersion);
  await project(db, {
    definition,
    aggregateId: head.aggregateId,
    state,
    version: head.version,
    pending,
    sealed: store.sealed(),
    releaseUpTo: Number.MAX_SAFE_INTEGER,
  });
  return {
    exists: true,
    upToDate: true,
    version: head.version,
    restoredEvents: Math.max(0, lost),
  };
}
