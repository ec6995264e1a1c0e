import type { DomainError } from "./domain-error";
import type { Result } from "./result";

/** Something that happened to an aggregate, named in the past tense. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/**
 * An event as the log holds it: with its gapless version (from 1), when it was appended, and
 * (when known) the flow it belongs to and the command that caused it, so one business flow can
 * be followed across logs.
 */
export type RecordedEvent<E extends DomainEvent = DomainEvent> = E & {
  readonly version: number;
  readonly occurredAt: string;
  /** The business flow, e.g. the request that placed an order, shared by every log it touches. */
  readonly correlationId?: string;
  /** The command that appended the event (its command id). */
  readonly causationId?: string;
};

/** Facts from outside the domain that a decision may use, passed in to keep `decide` pure. */
export interface DecisionContext {
  /** The id of the aggregate instance whose log this is: the only id a decision may use. */
  readonly aggregateId: string;
  /** ISO-8601 time at which the resulting events will be recorded. */
  readonly now: string;
}

/**
 * An aggregate as three pure functions (the "decider" pattern): `decide` turns a command and
 * the current state into new events or a domain error, and `evolve` folds an event into state.
 * A decision that changes nothing returns no events.
 */
export interface Decider<State, Command, Event extends DomainEvent> {
  initialState(): State;
  evolve(state: State, event: RecordedEvent<Event>): State;
  decide(command: Command, state: State, context: DecisionContext): Result<Event[], DomainError>;
}

/**
 * For the `default` of an exhaustive switch in `evolve`: an event type the code does not know
 * (a newer deploy's, or a corrupt log) must stop the replay, never be skipped, since skipping it
 * would leave a state that is wrong in ways nothing downstream can see.
 */
export function unknownEvent(event: never): never {
  throw new Error(`Cannot apply an event of unknown type "${(event as DomainEvent).type}"`);
}
