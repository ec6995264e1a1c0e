import type { BookmarkSink } from "../db/d1-session";
import type { DomainError } from "../kernel/domain-error";
import type { Result } from "../kernel/result";
import { recordEvents } from "../metrics/metrics";
import { streamName } from "./aggregate-definition";
import type {
  CommandAnswer,
  CommandRequest,
  Committed,
  EventLogRpc,
  ReconcileReport,
  RemoteLogs,
} from "./event-log.contract";
import { withRetries } from "./transient-retry";

/** Everything of a command request but its target and the command (see `CommandRequest`). */
export type ExecuteOptions = Omit<CommandRequest, "aggregateType" | "aggregateId" | "command">;

/**
 * Runs commands against aggregate instances' logs. The single way Workers reach the log. Each
 * command carries a command id, so a transient failure is retried without applying it twice.
 */
export interface EventLogClient {
  execute<View>(
    aggregateType: string,
    aggregateId: string,
    command: unknown,
    options?: ExecuteOptions,
  ): Promise<Result<Committed<View>, DomainError>>;
}

// The binding's type, not the object's class: the object uses this client (a saga's next step), so
// the client names only the RPC surface in event-log.contract.ts (ADR 0038: no import cycle).
type EventLogNamespace = Env["EVENT_LOG"];

const stubOf = (namespace: EventLogNamespace, name: string) =>
  namespace.get(namespace.idFromName(name)) as unknown as EventLogRpc;

/**
 * The client over the EVENT_LOG namespace; each appended event is also a METRICS point. The D1
 * bookmark an object answers with goes to `bookmarks` (the request's session), not to callers.
 * Aggregate types in `remote` go to the Worker that owns them instead (ADR 0039); their bookmark
 * is of another database, so it is dropped.
 */
export const eventLogClient = (
  env: Pick<Env, "EVENT_LOG" | "METRICS">,
  bookmarks?: BookmarkSink,
  remote?: RemoteLogs,
): EventLogClient => ({
  async execute<View>(
    aggregateType: string,
    aggregateId: string,
    command: unknown,
    options: ExecuteOptions = {},
  ) {
    const request: CommandRequest = {
      aggregateType,
      aggregateId,
      command,
      ...options,
      commandId: options.commandId ?? crypto.randomUUID(),
    };
    const target = remote?.[aggregateType];
    const name = streamName(aggregateType, aggregateId);
    // A fresh stub for each attempt: a stub that saw its object reset stays broken.
    // A remote target retries its own call to the object (forwardCommand); retrying here too
    // would multiply the calls during an overload.
    const { d1Bookmark, ...outcome } = await (target
      ? target.execute(request)
      : withRetries(() => stubOf(env.EVENT_LOG, name).execute(request)));
    if (!target) bookmarks?.learn(d1Bookmark);
    if (outcome.ok) recordEvents(env.METRICS, aggregateType, outcome.value.events);
    return outcome as Result<Committed<View>, DomainError>;
  },
});

/**
 * Hands a command request, as another Worker sent it (command id and all), to its log in this
 * Worker's namespace; the services shape's way into a log (ADR 0039).
 */
export const forwardCommand = (
  namespace: EventLogNamespace,
  request: CommandRequest,
): Promise<CommandAnswer> =>
  withRetries(() =>
    stubOf(namespace, streamName(request.aggregateType, request.aggregateId)).execute(request),
  );

/** Heals D1 from one stream's log, named `type:id` (see `EventLogObject.reconcile`). */
export const reconcileLog = (
  namespace: EventLogNamespace,
  stream: string,
): Promise<ReconcileReport> => withRetries(() => stubOf(namespace, stream).reconcile());

// Readiness probes spread over a few objects: one global object would be a bottleneck.
const READINESS_OBJECTS = 16;

/** A round trip to a log that is never written, proving the Durable Object namespace answers. */
export async function pingEventLog(namespace: EventLogNamespace): Promise<void> {
  const name = `health:readiness:${Math.floor(Math.random() * READINESS_OBJECTS)}`;
  const answer = await stubOf(namespace, name).ping();
  if (answer !== "pong") throw new Error(`Unexpected ping answer: ${answer}`);
}
