import { DurableObject } from "cloudflare:workers";
import { type Database, openDatabase } from "../db/client";
import type { DomainError } from "../kernel/domain-error";
import type { RecordedEvent } from "../kernel/events";
import { err, ok } from "../kernel/result";
import {
  type AggregateRegistry,
  type AnyAggregateDefinition,
  streamName,
} from "./aggregate-definition";
import type { CommandOutcome, CommandRequest } from "./event-log.contract";
import { EventStore, type StreamHead } from "./event-store";
import { project } from "./projection";
import { acquireClaims, newClaims, releaseClaims } from "./unique-claims";

/** How long after an append the outbox alarm fires if the projection has not succeeded. */
export const PROJECTION_RETRY_MS = 10_000;

interface LoadedStream {
  readonly definition: AnyAggregateDefinition;
  head: StreamHead;
  state: unknown;
}

const versionMismatch = (expected: readonly number[], actual: number): DomainError => ({
  kind: "precondition_failed",
  code: "VERSION_MISMATCH",
  message: `The resource is at version ${actual}, not ${expected.join(" or ") || "one named"}.`,
  details: { expectedVersions: expected, currentVersion: actual },
});

/**
 * One aggregate instance's event log, and the actor that runs its commands. Commands are run one
 * at a time (the awaits on D1 for claims and projections would otherwise let a second command
 * decide on stale state), so versions are gapless and a stale expected version always loses.
 *
 * Before a command writes to D1 or appends, an alarm is set (an outbox of one): if a claim or
 * the projection to D1 fails, or the object dies half-way, the alarm reconciles D1 with the log.
 */
export class EventLogObject extends DurableObject<Env> {
  private readonly store: EventStore;
  private readonly db: Database;
  private stream: LoadedStream | undefined;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    ctx: DurableObjectState,
    env: Env,
    private readonly registry: AggregateRegistry,
  ) {
    super(ctx, env);
    this.store = new EventStore(ctx.storage);
    this.db = openDatabase(env.DB);
  }

  /** Decides a command against the current state, appends its events and projects them. */
  execute(request: CommandRequest): Promise<CommandOutcome> {
    return this.oneAtATime(() => this.run(request));
  }

  /** A round trip that touches no storage, for readiness checks. */
  ping(): string {
    return "pong";
  }

  override async alarm(): Promise<void> {
    await this.oneAtATime(async () => {
      const stream = this.loadExisting();
      // A full reconciliation, even when the head says D1 is current: a command may have
      // claimed a value in D1 and died before appending, and only this releases it.
      if (!stream || (await this.catchUp(stream, { reconcile: true }))) return;
      // Rescheduled by hand rather than thrown: the runtime gives up after six retries, and
      // D1 must catch up however long it is down.
      await this.ctx.storage.setAlarm(Date.now() + PROJECTION_RETRY_MS);
    });
  }

  private oneAtATime<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async run(request: CommandRequest): Promise<CommandOutcome> {
    const stream = this.load(request);
    const { definition, head } = stream;
    if (
      request.expectedVersions !== undefined &&
      head.version > 0 &&
      !request.expectedVersions.includes(head.version)
    ) {
      return err(versionMismatch(request.expectedVersions, head.version));
    }
    const now = new Date().toISOString();
    const decision = definition.decide(request.command, stream.state, {
      aggregateId: head.aggregateId,
      now,
    });
    if (!decision.ok) return decision;
    if (decision.value.length === 0) {
      await this.catchUp(stream);
      return ok({ version: head.version, view: this.viewOf(stream), events: [] });
    }

    const events: RecordedEvent[] = decision.value.map((event, index) => ({
      type: event.type,
      data: event.data,
      version: head.version + index + 1,
      occurredAt: now,
    }));
    const nextState = events.reduce(definition.evolve, stream.state);

    // The outbox alarm is set, and the stream's head recorded, before anything is written to
    // D1: if the object dies between claiming a value and appending, the alarm finds the stream
    // and releases the claim its state does not hold.
    if (head.version === 0) this.store.recordHead(head);
    await this.ctx.storage.setAlarm(Date.now() + PROJECTION_RETRY_MS);

    const owner = streamName(definition.type, head.aggregateId);
    const claimed = newClaims(definition.claims(stream.state), definition.claims(nextState));
    const taken = await acquireClaims(this.db, owner, claimed);
    if (taken) {
      if (head.version === 0) await this.forget();
      return err(definition.claimTaken(taken));
    }

    try {
      stream.head = this.store.append(head, events, request.sealed);
    } catch (error) {
      this.stream = undefined;
      await releaseClaims(this.db, owner, claimed);
      throw error;
    }
    stream.state = nextState;
    this.stream = stream;
    await this.catchUp(stream);
    return ok({ version: stream.head.version, view: this.viewOf(stream), events });
  }

  private viewOf(stream: LoadedStream): unknown {
    const view = stream.definition.view(stream.state, stream.head.version);
    if (view === null) throw new Error("A successful command must leave an aggregate that exists");
    return view;
  }

  /**
   * Projects what D1 has not seen yet. With `reconcile` it re-applies the current state even if
   * nothing is pending, and re-claims every unique value the state holds, so D1 heals after a
   * restore or a lost write. A failure is logged and left to the alarm: the command that caused
   * it has already succeeded and stays so. Returns whether D1 is up to date.
   */
  private async catchUp(stream: LoadedStream, { reconcile = false } = {}): Promise<boolean> {
    const { head } = stream;
    if (head.projectedVersion >= head.version && !reconcile) return true;
    try {
      if (reconcile) await this.reclaim(stream);
      await project(this.db, {
        definition: stream.definition,
        aggregateId: head.aggregateId,
        state: stream.state,
        version: head.version,
        pending: this.store.readAfter(head.projectedVersion),
        sealed: this.store.sealed(),
      });
    } catch (error) {
      console.error(
        JSON.stringify({
          level: "error",
          message: "projection failed; the alarm will retry",
          stream: streamName(head.aggregateType, head.aggregateId),
          version: head.version,
          projectedVersion: head.projectedVersion,
          error: error instanceof Error ? error.message : String(error),
        }),
      );
      return false;
    }
    if (head.version === 0) {
      await this.forget();
      return true;
    }
    this.store.markProjected(head.version);
    stream.head = { ...head, projectedVersion: head.version };
    await this.ctx.storage.deleteAlarm();
    return true;
  }

  /** Claims, one by one, each unique value the state holds; a value held by another is logged. */
  private async reclaim(stream: LoadedStream): Promise<void> {
    const owner = streamName(stream.definition.type, stream.head.aggregateId);
    for (const claim of stream.definition.claims(stream.state)) {
      if (await acquireClaims(this.db, owner, [claim])) {
        console.error(
          JSON.stringify({
            level: "error",
            message: "a unique value this aggregate holds is claimed by another",
            stream: owner,
            claim,
          }),
        );
      }
    }
  }

  /** Erases a stream that never got an event, so failed first commands leave no object behind. */
  private async forget(): Promise<void> {
    this.stream = undefined;
    this.store.forget();
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }

  private load(request: CommandRequest): LoadedStream {
    const existing = this.loadExisting();
    if (existing) {
      if (
        existing.head.aggregateType !== request.aggregateType ||
        existing.head.aggregateId !== request.aggregateId
      ) {
        throw new Error(
          `This log holds ${streamName(existing.head.aggregateType, existing.head.aggregateId)}`,
        );
      }
      return existing;
    }
    const definition = this.definitionOf(request.aggregateType);
    // Not cached: until its first append, the object holds nothing worth remembering.
    return {
      definition,
      head: {
        aggregateType: request.aggregateType,
        aggregateId: request.aggregateId,
        version: 0,
        projectedVersion: 0,
      },
      state: definition.initialState(),
    };
  }

  /** The stream as stored, replayed once and then kept in memory. */
  private loadExisting(): LoadedStream | undefined {
    if (this.stream) return this.stream;
    const head = this.store.head();
    if (!head) return undefined;
    const definition = this.definitionOf(head.aggregateType);
    const state = this.store.readAfter(0).reduce(definition.evolve, definition.initialState());
    this.stream = { definition, head, state };
    return this.stream;
  }

  private definitionOf(aggregateType: string): AnyAggregateDefinition {
    const definition = this.registry[aggregateType];
    if (!definition) throw new Error(`Unknown aggregate type "${aggregateType}"`);
    return definition;
  }
}
