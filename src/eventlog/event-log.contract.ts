import type { DomainError } from "../kernel/domain-error";
import type { RecordedEvent } from "../kernel/events";
import type { Result } from "../kernel/result";

// The RPC contract between the Worker and the event-log object. During a deploy a new Worker may
// call an old object for a while, so fields are only ever added, optionally.

export interface CommandRequest {
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly command: unknown;
  /** The version the client decided on (from `If-Match`); a mismatch fails with 412. */
  readonly expectedVersion?: number;
}

export interface Committed<View = unknown> {
  /** The stream's version after the command (unchanged when it produced no events). */
  readonly version: number;
  /** The aggregate's view after the command: a successful command always leaves one. */
  readonly view: View;
  readonly events: readonly RecordedEvent[];
}

export type CommandOutcome<View = unknown> = Result<Committed<View>, DomainError>;
