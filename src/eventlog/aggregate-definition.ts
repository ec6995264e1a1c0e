import type { Database } from "../db/client";
import type { ProjectionStatement } from "../db/statement-template";
import type { DomainError } from "../kernel/domain-error";
import type { Decider, DomainEvent } from "../kernel/events";
import type { CommandOutcome, Sealed } from "./event-log.contract";
import type { PersonalDataPolicy } from "./personal-data";

/** A value that at most one aggregate may hold at a time, e.g. `{ scope: "user-email", value }`. */
export interface UniqueClaim {
  readonly scope: string;
  readonly value: string;
}

/**
 * A command that an aggregate's state still owes another aggregate: one step of a process that
 * spans aggregates (a saga). Derived from state, so what is owed cannot be lost.
 */
export interface Effect {
  /** Unique among the effects one state owes, and the same on every retry (`reserve:<id>`). */
  readonly key: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly command: unknown;
  /** Whether to give up after a few transient failures (see `giveUp`), or retry for ever. */
  readonly mayGiveUp?: boolean;
}

/** A command an aggregate's state is due to run on itself at a time (e.g. a deadline). */
export interface DueCommand {
  /** Epoch milliseconds. */
  readonly at: number;
  readonly command: unknown;
}

/**
 * Everything the event log needs to run one aggregate type: its pure decider plus how its state
 * is shown, which unique values it holds, and how it is projected into D1.
 */
export interface AggregateDefinition<State, Command, Event extends DomainEvent, View>
  extends Decider<State, Command, Event> {
  /** Names the log: objects are addressed as `idFromName("<type>:<id>")`. */
  readonly type: string;
  /** The read-model shape of a state at a version, or null while the aggregate does not exist. */
  view(state: State, version: number): View | null;
  /** The unique values this state holds; the log claims new ones before appending. */
  claims(state: State): UniqueClaim[];
  /** The domain error for a claim another aggregate already holds. */
  claimTaken(claim: UniqueClaim): DomainError;
  /**
   * D1 statements that upsert the view (and any sealed values it needs in D1); they must skip a
   * view older than the stored one.
   */
  projectView(db: Database, view: View, sealed: Sealed): ProjectionStatement[];
  /**
   * Names the shape of `State` for snapshots (e.g. `"product/1"`). Change it whenever the state's
   * shape or `evolve` changes meaning: snapshots with another tag are ignored and the log is
   * replayed in full. Without a tag the log never snapshots.
   */
  readonly snapshotTag?: string;
  /**
   * Checks a command against the values sealed beside the log (e.g. the current password),
   * inside the aggregate's object and before `decide`, so the check and the change it guards
   * cannot interleave with another command. Resolves to the error that refuses the command.
   */
  precheck?(command: Command, state: State, sealed: Sealed): Promise<DomainError | undefined>;
  /**
   * The commands this state still owes other aggregates. The log sends each (with a command id
   * derived from this stream and the effect's key, so the target applies it once), and records
   * the answer through `answer`; a transient failure is retried from the alarm, with backoff.
   */
  effects?(state: State): Effect[];
  /** The command that records an effect's answer (a success or a domain refusal) in this log. */
  answer?(effect: Effect, outcome: CommandOutcome): Command;
  /** The command that records giving up an effect marked `mayGiveUp` after repeated failures. */
  giveUp?(effect: Effect): Command;
  /** The command this state is due to run on itself, and when (e.g. an unpaid order's expiry). */
  due?(state: State): DueCommand | undefined;
  /** Which fields are personal data, sealed wherever the log stores them (ADR 0037). */
  readonly personalData?: PersonalDataPolicy<State>;
}

// The registry holds definitions of different types side by side; each is checked where it is
// written, so the log itself only needs the erased shape.
// biome-ignore lint/suspicious/noExplicitAny: heterogeneous registry, see above
export type AnyAggregateDefinition = AggregateDefinition<any, any, DomainEvent, any>;

export type AggregateRegistry = Readonly<Record<string, AnyAggregateDefinition>>;

/** The name that addresses an aggregate instance's log. */
export const streamName = (aggregateType: string, aggregateId: string): string =>
  `${aggregateType}:${aggregateId}`;
