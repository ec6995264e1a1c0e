import type { DomainError } from "../kernel/domain-error";
import type { RecordedEvent } from "../kernel/events";
import type { Result } from "../kernel/result";

// The RPC contract between the Worker and the event-log object. During a deploy a new Worker may
// call an old object for a while, so fields are only ever added, optionally.

export interface CommandRequest {
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly command: unknown;
  /**
   * The versions the client accepts (from `If-Match`); when the stream is at none of them the
   * command fails with 412. Absent: any version.
   */
  readonly expectedVersions?: readonly number[];
  /**
   * Values the aggregate keeps beside its log but never in an event, such as a password hash:
   * stored in the same transaction as the command's events and handed to the projection.
   */
  readonly sealed?: Sealed;
  /**
   * Makes the command idempotent: the log applies an id at most once (for at least 24 hours) and
   * answers a repeat with the first successful outcome. The Worker-side client always sends one,
   * so its retries of transient failures are safe.
   */
  readonly commandId?: string;
  /** The business flow this command belongs to; stamped on its events. */
  readonly correlationId?: string;
  /** What caused this command (another log's event, say); defaults to the command id. */
  readonly causationId?: string;
}

/** Named secret values of one aggregate instance. */
export type Sealed = Readonly<Record<string, string>>;

export interface Committed<View = unknown> {
  /**
   * The stream's version after the command (unchanged when it produced no events); for a
   * saga's owner (an order), after the saga came to rest, as the answer waits for it to.
   */
  readonly version: number;
  /**
   * The aggregate's view at `version`: a successful command always leaves one. D1 holds it by
   * the time the answer arrives (unless its projection failed; the alarm then brings D1 level),
   * so the caller can answer from it without reading D1.
   */
  readonly view: View;
  readonly events: readonly RecordedEvent[];
}

export type CommandOutcome<View = unknown> = Result<Committed<View>, DomainError>;

/**
 * What the object answers a command with: the outcome, and the latest D1 bookmark the object
 * knows once D1 holds the command's version (absent from an object deployed before bookmarks,
 * or one that never reached D1). A read that starts from it sees the command's projection.
 */
export type CommandAnswer<View = unknown> = CommandOutcome<View> & { readonly d1Bookmark?: string };

/** What a reconciliation found and did (the answer of `EventLogRpc.reconcile`). */
export interface ReconcileReport {
  /** Whether the object holds a stream at all. */
  readonly exists: boolean;
  /** Whether D1 now holds the whole log, its view and its claims. */
  readonly upToDate: boolean;
  readonly version: number;
  /** Events D1 had lost (a restore, a deleted row) and got back from the log. */
  readonly restoredEvents: number;
}

/** The RPC surface of the event-log object that Workers call; the object implements it. */
export interface EventLogRpc {
  execute(request: CommandRequest): Promise<CommandAnswer>;
  reconcile(): Promise<ReconcileReport>;
  ping(): Promise<string> | string;
}

/**
 * A Worker that runs commands on logs it owns: another service's, reached over a service binding
 * in the services shape (ADR 0039). Its answer's bookmark is of that service's database.
 */
export interface CommandTarget {
  execute(request: CommandRequest): Promise<CommandAnswer>;
}

/**
 * Aggregate types whose logs live in another Worker, each with the target that reaches them: a
 * saga's effects on them go there rather than to this Worker's EVENT_LOG namespace.
 */
export type RemoteLogs = Readonly<Record<string, CommandTarget>>;
