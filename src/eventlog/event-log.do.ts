import { DurableObject } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { type D1Session, primarySession } from "../db/d1-session";
import type { DomainError } from "../kernel/domain-error";
import type { RecordedEvent } from "../kernel/events";
import { loggableError } from "../kernel/loggable-error";
import { err, ok } from "../kernel/result";
import { openFields, sealFields } from "../kernel/sealed-fields";
import {
  type AggregateRegistry,
  type AnyAggregateDefinition,
  type Effect,
  streamName,
} from "./aggregate-definition";
import { eventLogClient } from "./event-log.client";
import type {
  CommandAnswer,
  CommandOutcome,
  CommandRequest,
  Committed,
  EventLogRpc,
  ReconcileReport,
  RemoteLogs,
} from "./event-log.contract";
import { EventStore, type StreamHead } from "./event-store";
import { DATA_KEY, DataKeyVault, openEvent, openOutcome, sealEvent } from "./personal-data";
import { project } from "./projection";
import { reconcileWithD1 } from "./reconciliation";
import { registerStream, unregisterStream } from "./stream-registry.client";
import { acquireClaims, newClaims, releaseClaims } from "./unique-claims";

/** How long after an append the outbox alarm fires if the projection has not succeeded. */
export const PROJECTION_RETRY_MS = 10_000;

/** The state is snapshotted whenever the version crosses a multiple of this. */
export const SNAPSHOT_EVERY = 100;

/** Failed attempts after which an effect that may be given up is given up. */
export const EFFECT_ATTEMPTS = 5;
const EFFECT_BACKOFF_MS = 1_000;
const EFFECT_BACKOFF_MAX_MS = 5 * 60_000;
// Rounds of effects one call drives before it answers: a saga's steps each take one round, so
// this only stops an effect whose answer does not change the state (a bug) from spinning.
const EFFECT_ROUNDS = 8;

interface LoadedStream {
  readonly definition: AnyAggregateDefinition;
  head: StreamHead;
  state: unknown;
  /**
   * The events after `head.projectedVersion`, in order, as appended: the next projection takes
   * them from memory rather than reading and parsing them back. Undefined until first needed
   * after a load (then read from storage once).
   */
  unprojected?: RecordedEvent[];
}

/** One projection attempt: whether it succeeded, and the version it would have brought D1 to. */
interface ProjectionAttempt {
  readonly ok: boolean;
  readonly through: number;
}

/** What an append stores: personal fields sealed (ADR 0037). */
interface ForStorage {
  readonly events: RecordedEvent[];
  /** The outcome a command id keeps, when there is one. */
  readonly outcome: CommandOutcome | undefined;
  /** The state to snapshot, when one is due. */
  readonly snapshot: unknown;
  readonly sealed: Record<string, string>;
  /** The data key this append stores, new. */
  readonly newKey?: CryptoKey;
  /** Whether this append erases the stream's personal data (deletes its data key). */
  readonly erase: boolean;
}

const versionMismatch = (expected: readonly number[], actual: number): DomainError => ({
  kind: "precondition_failed",
  code: "VERSION_MISMATCH",
  message: `The resource is at version ${actual}, not ${expected.join(" or ") || "one named"}.`,
  details: { expectedVersions: expected, currentVersion: actual },
});

const logError = (message: string, fields: Record<string, unknown>) =>
  console.error(JSON.stringify({ level: "error", message, ...fields }));

/**
 * One aggregate instance's event log, and the actor that runs its commands.
 *
 * A command is decided and appended inside a queue, one at a time, so versions are gapless and
 * a stale expected version always loses; only a command that claims a new unique value waits
 * on D1 there. Its answer then waits, outside the queue, for a projection that covers its
 * version (group commit: at most one projection is in flight, carrying every version appended
 * so far), so a client reads its own write while many commands share each D1 round trip.
 *
 * Before anything is written to D1 or appended, an alarm is set (the outbox): if a claim or a
 * projection fails, or the object dies half-way, the alarm reconciles D1 with the log.
 */
export class EventLogObject extends DurableObject<Env> implements EventLogRpc {
  private readonly store: EventStore;
  private readonly vault: DataKeyVault;
  /**
   * The object's one D1 session, for as long as it lives: it starts at the primary, and its
   * bookmark after a projection covers that projection, so an answer can carry it (ADR 0035).
   */
  private readonly d1: D1Session;
  private stream: LoadedStream | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private projecting: Promise<ProjectionAttempt> | undefined;
  private driving: Promise<void> | undefined;
  /**
   * When the alarm is set for, as this instance last set it: null when none is set, undefined
   * until this instance has set or deleted it (not read at start-up, which would delay every
   * object's first request; an unknown alarm is simply set or deleted again).
   */
  private alarmAt: number | null | undefined;
  /** Whether the stream registry lists this stream: undefined until read from storage. */
  private listed: boolean | undefined;
  private listing: Promise<void> | undefined;

  constructor(
    ctx: DurableObjectState,
    env: Env,
    private readonly registry: AggregateRegistry,
    /** Where effects on aggregate types another Worker owns go (the services shape, ADR 0039). */
    private readonly remoteLogs?: (env: Env) => RemoteLogs,
  ) {
    super(ctx, env);
    this.store = new EventStore(ctx.storage);
    this.vault = new DataKeyVault(this.store, env);
    this.d1 = primarySession(env.DB);
  }

  private get db(): Database {
    return this.d1.db();
  }

  /**
   * Decides a command against the current state and appends its events; answers once D1 holds
   * them (or once a projection covering them failed, which the alarm then retries). The answer
   * carries the object's D1 bookmark, taken once D1 holds the command's version: a read that
   * starts from it sees the command's projection, from any replica.
   */
  async execute(request: CommandRequest): Promise<CommandAnswer> {
    const outcome = await this.settled(request);
    const d1Bookmark = this.d1.bookmark() ?? (await this.bookmarkOfRepeat(outcome));
    return d1Bookmark === undefined ? outcome : { ...outcome, d1Bookmark };
  }

  /**
   * A bookmark for a repeated command that a freshly started object answered from its stored
   * outcome, without touching D1: the primary's position now, which covers the projection of
   * the first run. Never for a command that appended nothing (no write to cover), and none when
   * D1 fails (the answer then carries only the request's own bookmark).
   */
  private async bookmarkOfRepeat(outcome: CommandOutcome): Promise<string | undefined> {
    if (!outcome.ok || outcome.value.events.length === 0) return undefined;
    try {
      await this.db.run(sql`select 1`);
    } catch {
      return undefined;
    }
    return this.d1.bookmark();
  }

  private async settled(request: CommandRequest): Promise<CommandOutcome> {
    const outcome = await this.oneAtATime(() => this.run(request));
    if (!outcome.ok) return outcome;
    // A new stream is listed for the healing sweep beside its first projection: one round trip
    // in parallel, on its first command only.
    const listed = this.list();
    if (!this.runsSagas()) {
      await Promise.all([this.projectedThrough(outcome.value.version), listed]);
      return outcome;
    }
    // A saga's owner drives what its state owes before answering, so the caller sees where
    // the process came to rest (an order confirmed or rejected), and D1 shows it.
    await Promise.all([this.projectedThrough(outcome.value.version), this.settle(), listed]);
    // The answer is the version D1 is brought to, taken before projecting: a command that
    // lands meanwhile (a payment, the deadline's alarm) is not answered ahead of D1.
    const rest = this.atRest(outcome.value);
    await this.projectedThrough(rest.version);
    await this.settleAlarm();
    return ok(rest);
  }

  /**
   * A saga owner's answer: its command's events, with the version and view where the saga came
   * to rest, which the log knows without a read of D1 (the caller answers from it).
   */
  private atRest(committed: Committed): Committed {
    const stream = this.stream;
    if (!stream || stream.head.version <= committed.version) return committed;
    return { ...committed, version: stream.head.version, view: this.viewOf(stream) };
  }

  /**
   * Heals D1 from this log: events, view and claims. Safe to call at any time, any number. When
   * D1 fails, the object's alarm retries, rather than whoever called waiting to come round again
   * (the sweep does only once per cycle through every stream).
   */
  async reconcile(): Promise<ReconcileReport> {
    const report = await this.oneAtATime(() => this.reconcileNow());
    if (!report.upToDate) await this.arm(Date.now() + PROJECTION_RETRY_MS);
    return report;
  }

  /** A round trip that touches no storage, for readiness checks. */
  ping(): string {
    return "pong";
  }

  override async alarm(): Promise<void> {
    // The runtime has cleared the alarm by the time it runs.
    this.alarmAt = null;
    const report = await this.oneAtATime(() => this.reconcileNow());
    if (this.runsSagas()) {
      await this.settle();
      await this.projectedThrough(this.stream?.head.version ?? 0);
    }
    await this.settleAlarm();
    // Rescheduled by hand rather than thrown: the runtime gives up after six retries, and
    // D1 must catch up however long it is down.
    if (!report.upToDate) await this.arm(Date.now() + PROJECTION_RETRY_MS);
  }

  private oneAtATime<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async run(request: CommandRequest): Promise<CommandOutcome> {
    // Loaded before a repeat is answered, so that on a freshly started object the repeat too
    // waits for D1 to hold its version and drives what the stream owes, as the first did.
    const stream = await this.load(request);
    if (request.commandId !== undefined) {
      const first = this.store.outcomeOf(request.commandId);
      if (first !== undefined) return this.opened(stream, first as CommandOutcome);
    }
    const { definition, head } = stream;
    if (
      request.expectedVersions !== undefined &&
      head.version > 0 &&
      !request.expectedVersions.includes(head.version)
    ) {
      return err(versionMismatch(request.expectedVersions, head.version));
    }
    if (definition.precheck) {
      const refused = await definition.precheck(request.command, stream.state, this.store.sealed());
      if (refused) return err(refused);
    }
    const now = Date.now();
    const occurredAt = new Date(now).toISOString();
    const decision = definition.decide(request.command, stream.state, {
      aggregateId: head.aggregateId,
      now: occurredAt,
    });
    if (!decision.ok) return decision;
    if (decision.value.length === 0) {
      return ok({ version: head.version, view: this.viewOf(stream), events: [] });
    }

    const correlationId = request.correlationId ?? request.commandId;
    const causationId = request.causationId ?? request.commandId;
    const events: RecordedEvent[] = decision.value.map((event, index) => ({
      type: event.type,
      data: event.data,
      version: head.version + index + 1,
      occurredAt,
      ...(correlationId === undefined ? {} : { correlationId }),
      ...(causationId === undefined ? {} : { causationId }),
    }));
    const nextState = events.reduce(definition.evolve, stream.state);
    const nextVersion = head.version + events.length;
    const owner = streamName(definition.type, head.aggregateId);
    const claimed = newClaims(definition.claims(stream.state), definition.claims(nextState));

    // The stream's head is recorded and the outbox alarm set before anything is written to D1:
    // if the object dies between claiming a value and appending, the alarm finds the stream
    // and releases the claim its state does not hold.
    if (head.version === 0) this.store.recordHead(head);
    if (claimed.length > 0) {
      await this.arm(now + PROJECTION_RETRY_MS);
      const taken = await acquireClaims(this.db, owner, claimed, nextVersion);
      if (taken) {
        if (head.version === 0) await this.forget();
        return err(definition.claimTaken(taken));
      }
    }

    const outcome: CommandOutcome = ok({
      version: nextVersion,
      view: this.viewOf({ definition, head, state: nextState }, nextVersion),
      events,
    });
    const snapshot = this.snapshotDue(definition, head.version, nextVersion)
      ? nextState
      : undefined;
    const stored = await this.forStorage(
      stream,
      nextState,
      events,
      request.commandId === undefined ? undefined : outcome,
      request.sealed,
      snapshot,
    );
    // Armed in the same turn as the append (no await between), so no projection can see D1
    // level with the log and disarm it in between.
    const armed = this.arm(now + PROJECTION_RETRY_MS);
    try {
      stream.head = this.store.append(head, stored.events, {
        sealed: stored.sealed,
        eraseSealed: stored.erase,
        command:
          request.commandId === undefined
            ? undefined
            : { id: request.commandId, outcome: stored.outcome ?? outcome },
        snapshot:
          snapshot === undefined
            ? undefined
            : { tag: definition.snapshotTag as string, state: stored.snapshot },
        now,
      });
    } catch (error) {
      // The append's transaction rolled back. The stream is loaded again as stored, never
      // dropped: a projection in flight that then lands must still find what the stream owes
      // (effect retries, a deadline) and keep the alarm for it.
      this.stream = undefined;
      await this.loadExisting();
      await releaseClaims(this.db, owner, claimed);
      throw error;
    }
    if (stored.erase) this.vault.forget();
    if (stored.newKey) this.vault.adopt(stored.newKey);
    stream.state = nextState;
    // As stored: D1's copy of the log holds the sealed fields too.
    stream.unprojected?.push(...stored.events);
    this.stream = stream;
    await armed;
    return outcome;
  }

  /**
   * The events, outcome and state as the log stores them: with the definition's personal fields
   * sealed under the stream's data key (made on the first append that needs one). The append
   * that erases the stream deletes the key and every sealed value; from then on nothing plain
   * can be stored, since sealing without a key throws on any personal field that is not null.
   * `outcome` is given only when a command id keeps it: its events are `events`, sealed once.
   */
  private async forStorage(
    stream: LoadedStream,
    nextState: unknown,
    events: RecordedEvent[],
    outcome: CommandOutcome | undefined,
    sealed: Record<string, string> = {},
    snapshot: unknown = undefined,
  ): Promise<ForStorage> {
    const policy = stream.definition.personalData;
    if (!policy) return { events, outcome, snapshot, sealed, erase: false };
    const gone = policy.erased(nextState);
    const erase = gone && !policy.erased(stream.state);
    let key = gone ? undefined : await this.vault.current();
    let newKey: CryptoKey | undefined;
    let withKey = sealed;
    if (!key && !gone) {
      const made = await this.vault.create();
      key = newKey = made.key;
      withKey = { ...sealed, [DATA_KEY]: made.wrapped };
    }
    const { fields } = policy;
    const sealedEvents = await Promise.all(events.map((event) => sealEvent(event, fields, key)));
    return {
      events: sealedEvents,
      outcome:
        outcome?.ok === true
          ? {
              ...outcome,
              value: {
                ...outcome.value,
                view: await sealFields(outcome.value.view, fields, key),
                events: sealedEvents,
              },
            }
          : outcome,
      // Sealed only when due: most commands take no snapshot.
      snapshot: snapshot === undefined ? undefined : await sealFields(snapshot, fields, key),
      sealed: erase ? {} : withKey,
      erase,
      ...(newKey ? { newKey } : {}),
    };
  }

  /** A stored outcome, opened for the caller. */
  private async opened(stream: LoadedStream, outcome: CommandOutcome): Promise<CommandOutcome> {
    if (!stream.definition.personalData) return outcome;
    return openOutcome(outcome, await this.vault.current());
  }

  private snapshotDue(definition: AnyAggregateDefinition, from: number, to: number): boolean {
    return (
      definition.snapshotTag !== undefined &&
      Math.floor(to / SNAPSHOT_EVERY) > Math.floor(from / SNAPSHOT_EVERY)
    );
  }

  private viewOf(stream: LoadedStream, version = stream.head.version): unknown {
    const view = stream.definition.view(stream.state, version);
    if (view === null) throw new Error("A successful command must leave an aggregate that exists");
    return view;
  }

  /**
   * Waits until D1 holds `version`, joining the projection in flight or starting the next one.
   * Returns early when a projection that covered `version` failed: the command stands, and the
   * alarm brings D1 level later.
   */
  private async projectedThrough(version: number): Promise<void> {
    for (;;) {
      const stream = this.stream;
      if (!stream || stream.head.projectedVersion >= version) return;
      this.projecting ??= this.projectBacklog(stream).finally(() => {
        this.projecting = undefined;
      });
      const attempt = await this.projecting;
      if (!attempt.ok && attempt.through >= version) return;
    }
  }

  /** One projection of everything appended so far and not yet in D1. */
  private async projectBacklog(stream: LoadedStream): Promise<ProjectionAttempt> {
    const { definition, head, state } = stream;
    const through = head.version;
    stream.unprojected ??= this.store.readAfter(head.projectedVersion);
    try {
      await project(this.db, {
        definition,
        aggregateId: head.aggregateId,
        state,
        version: through,
        // A copy: appends while this projection is in flight go to the next one.
        pending: stream.unprojected.slice(),
        sealed: this.store.sealed(),
        releaseUpTo: through,
      });
    } catch (error) {
      logError("projection failed; the alarm will retry", {
        stream: streamName(head.aggregateType, head.aggregateId),
        version: through,
        projectedVersion: head.projectedVersion,
        ...loggableError(error),
      });
      return { ok: false, through };
    }
    // The stream as the object holds it now: loaded again if an append failed meanwhile.
    const current = this.stream ?? stream;
    this.markProjected(current, through);
    if (current.head.projectedVersion >= current.head.version) await this.settleAlarm();
    return { ok: true, through };
  }

  private runsSagas(): boolean {
    const definition = this.stream?.definition;
    return definition?.effects !== undefined || definition?.due !== undefined;
  }

  /** Effects the state owes whose next attempt may start now. */
  private readyEffects(stream: LoadedStream, now: number): Effect[] {
    return (stream.definition.effects?.(stream.state) ?? []).filter(
      (effect) => (this.store.effectAttempts(effect.key)?.nextAt ?? 0) <= now,
    );
  }

  /**
   * Drives the saga until nothing owed is ready and nothing is due (or the rounds run out), then
   * forgets the failures of effects the state no longer owes (answered, given up, superseded).
   */
  private async settle(): Promise<void> {
    for (let round = 0; round < EFFECT_ROUNDS; round++) {
      const stream = this.stream;
      if (!stream) return;
      const now = Date.now();
      const due = stream.definition.due?.(stream.state);
      if (this.readyEffects(stream, now).length === 0 && !(due && due.at <= now)) break;
      this.driving ??= this.driveOnce(stream).finally(() => {
        this.driving = undefined;
      });
      await this.driving;
    }
    const stream = this.stream;
    if (!stream) return;
    const owed = stream.definition.effects?.(stream.state) ?? [];
    this.store.keepEffectAttempts(owed.map((effect) => effect.key));
  }

  /**
   * One round: runs a due command, then sends every ready effect at once (each with a command
   * id derived from this stream and the effect, so a target applies it once however often it
   * is sent) and records each answer in this log. A transient failure waits for its backoff; an
   * effect that may be given up is, after EFFECT_ATTEMPTS failures.
   */
  private async driveOnce(stream: LoadedStream): Promise<void> {
    const { definition, head } = stream;
    const self = streamName(definition.type, head.aggregateId);
    const correlationId = this.store.lastCorrelationId() ?? self;
    const due = definition.due?.(stream.state);
    if (due && due.at <= Date.now()) {
      await this.runInternal(stream, due.command, `${self}/due@${due.at}`, correlationId, self);
    }
    const current = this.stream ?? stream;
    const effects = this.readyEffects(current, Date.now());
    const causationId = `${self}@${current.head.version}`;
    const log = eventLogClient(this.env, this.d1, this.remoteLogs?.(this.env));
    const answers = await Promise.all(
      effects.map(async (effect) => {
        const commandId = `${self}/${effect.key}`;
        try {
          const outcome = await log.execute(
            effect.aggregateType,
            effect.aggregateId,
            effect.command,
            {
              commandId,
              correlationId,
              causationId,
            },
          );
          return { effect, commandId, outcome: outcome as CommandOutcome };
        } catch (error) {
          return { effect, commandId, error };
        }
      }),
    );
    for (const { effect, commandId, outcome, error } of answers) {
      if (outcome && definition.answer) {
        this.store.clearEffectAttempts(effect.key);
        const answer = definition.answer(effect, outcome);
        await this.runInternal(current, answer, `${commandId}/answer`, correlationId, commandId);
        continue;
      }
      const attempts = (this.store.effectAttempts(effect.key)?.attempts ?? 0) + 1;
      const backoff = Math.min(EFFECT_BACKOFF_MS * 2 ** (attempts - 1), EFFECT_BACKOFF_MAX_MS);
      this.store.recordEffectFailure(effect.key, attempts, Date.now() + backoff);
      logError("an effect failed; the alarm will retry it", {
        stream: self,
        effect: effect.key,
        attempts,
        ...loggableError(error),
      });
      if (effect.mayGiveUp && attempts >= EFFECT_ATTEMPTS && definition.giveUp) {
        const gaveUp = definition.giveUp(effect);
        await this.runInternal(current, gaveUp, `${commandId}/gave-up`, correlationId, commandId);
      }
    }
  }

  /** Runs a command the log issues to itself (an answer, a deadline) through the queue. */
  private async runInternal(
    stream: LoadedStream,
    command: unknown,
    commandId: string,
    correlationId: string,
    causationId: string,
  ): Promise<void> {
    const { aggregateType, aggregateId } = stream.head;
    const outcome = await this.oneAtATime(() =>
      this.run({ aggregateType, aggregateId, command, commandId, correlationId, causationId }),
    );
    if (!outcome.ok) {
      logError("a command the log issued to itself was refused", {
        stream: streamName(aggregateType, aggregateId),
        commandId,
        error: outcome.error.code,
      });
    }
  }

  private markProjected(stream: LoadedStream, version: number): void {
    this.store.markProjected(version);
    stream.head = {
      ...stream.head,
      projectedVersion: Math.max(stream.head.projectedVersion, version),
    };
    stream.unprojected = stream.unprojected?.filter((event) => event.version > version);
  }

  /**
   * A full reconciliation, even when the head says D1 is current: a command may have claimed a
   * value in D1 and died before appending, or D1 may have been restored to an earlier point.
   * Runs in the queue, so no command is between claiming and appending.
   */
  private async reconcileNow(): Promise<ReconcileReport> {
    const stream = await this.loadExisting();
    if (!stream) return { exists: false, upToDate: true, version: 0, restoredEvents: 0 };
    // Listed before D1 is touched: a stream that D1 cannot take now (a claim a dead command
    // left) is still found by the sweep later, even if this alarm were lost.
    await this.list();
    const { head } = stream;
    let report: ReconcileReport;
    try {
      // A user's claim value is already a blind index (ADR 0037); the log line's pseudonym keys
      // it once more, with a key derived from JWT_SECRET.
      report = await reconcileWithD1(this.db, this.store, stream, this.env.JWT_SECRET);
    } catch (error) {
      logError("reconciliation failed; the alarm will retry", {
        stream: streamName(head.aggregateType, head.aggregateId),
        version: head.version,
        ...loggableError(error),
      });
      return { exists: true, upToDate: false, version: head.version, restoredEvents: 0 };
    }
    if (head.version === 0) {
      // A first command died before appending: nothing of this stream is worth keeping.
      await this.unlist(streamName(head.aggregateType, head.aggregateId));
      await this.forget();
      return { ...report, exists: false };
    }
    this.markProjected(stream, head.version);
    await this.settleAlarm();
    return this.isListed() ? report : { ...report, upToDate: false };
  }

  private isListed(): boolean {
    this.listed ??= this.store.isRegistered();
    return this.listed;
  }

  /**
   * Lists the stream in the registry that the healing sweep walks, once in the stream's life
   * (ADR 0023). When the registry fails the alarm retries: `settleAlarm` keeps one set while
   * the stream is not listed.
   */
  private list(): Promise<void> {
    const stream = this.stream;
    if (!stream || this.isListed()) return Promise.resolve();
    this.listing ??= this.register(
      streamName(stream.head.aggregateType, stream.head.aggregateId),
    ).finally(() => {
      this.listing = undefined;
    });
    return this.listing;
  }

  private async register(name: string): Promise<void> {
    try {
      await registerStream(this.env.STREAM_REGISTRY, name);
    } catch (error) {
      logError("listing the stream failed; the alarm will retry", {
        stream: name,
        ...loggableError(error),
      });
      await this.arm(Date.now() + PROJECTION_RETRY_MS);
      return;
    }
    this.store.markRegistered();
    this.listed = true;
    await this.settleAlarm();
  }

  /** Takes an erased stream off the registry; if that fails, the sweep only visits it in vain. */
  private async unlist(name: string): Promise<void> {
    if (!this.isListed()) return;
    try {
      await unregisterStream(this.env.STREAM_REGISTRY, name);
    } catch (error) {
      logError("unlisting an erased stream failed", { stream: name, ...loggableError(error) });
    }
  }

  /** Sets the alarm for `at` unless it is already set (for then or sooner). */
  private async arm(at: number): Promise<void> {
    if (this.alarmAt != null && this.alarmAt <= at) return;
    this.alarmAt = at;
    await this.ctx.storage.setAlarm(at);
  }

  /**
   * Sets the alarm for the earliest thing the stream still needs: a projection retry, an
   * effect's retry, a due command. Deletes it when nothing is needed; an alarm set for sooner
   * than needed stays (the alarm then finds little to do and settles again).
   */
  private async settleAlarm(): Promise<void> {
    const stream = this.stream;
    const now = Date.now();
    const times: number[] = [];
    if (stream) {
      if (stream.head.projectedVersion < stream.head.version || !this.isListed()) {
        times.push(now + PROJECTION_RETRY_MS);
      }
      for (const effect of stream.definition.effects?.(stream.state) ?? []) {
        times.push(this.store.effectAttempts(effect.key)?.nextAt ?? now + EFFECT_BACKOFF_MS);
      }
      const due = stream.definition.due?.(stream.state);
      if (due) times.push(due.at);
    }
    // An overdue retry or deadline is due now (an alarm cannot be set in the past).
    if (times.length > 0) return this.arm(Math.max(Math.min(...times), now));
    if (this.alarmAt === null) return;
    this.alarmAt = null;
    await this.ctx.storage.deleteAlarm();
  }

  /** Erases a stream that never got an event, so failed first commands leave no object behind. */
  private async forget(): Promise<void> {
    this.stream = undefined;
    this.listed = undefined;
    this.store.forget();
    this.vault.forget();
    this.alarmAt = null;
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }

  private async load(request: CommandRequest): Promise<LoadedStream> {
    const existing = await this.loadExisting();
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
      unprojected: [],
    };
  }

  /**
   * The stream as stored, loaded once and then kept in memory: the latest snapshot whose tag
   * matches the definition's, plus the events after it (all events without one). Personal
   * fields are opened with the stream's data key; once it is erased they read as null.
   */
  private async loadExisting(): Promise<LoadedStream | undefined> {
    if (this.stream) return this.stream;
    const head = this.store.head();
    if (!head) return undefined;
    const definition = this.definitionOf(head.aggregateType);
    const snapshot = this.store.snapshot();
    const usable =
      snapshot !== undefined &&
      definition.snapshotTag !== undefined &&
      snapshot.tag === definition.snapshotTag &&
      snapshot.version <= head.version;
    let events = this.store.readAfter(usable ? snapshot.version : 0);
    let initial = usable ? snapshot.state : definition.initialState();
    if (definition.personalData) {
      const key = await this.vault.current();
      events = await Promise.all(events.map((event) => openEvent(event, key)));
      if (usable) initial = await openFields(initial, key);
    }
    // Set only if no other load finished meanwhile (both run in the queue, so none does).
    this.stream ??= { definition, head, state: events.reduce(definition.evolve, initial) };
    return this.stream;
  }

  private definitionOf(aggregateType: string): AnyAggregateDefinition {
    const definition = this.registry[aggregateType];
    if (!definition) throw new Error(`Unknown aggregate type "${aggregateType}"`);
    return definition;
  }
}
