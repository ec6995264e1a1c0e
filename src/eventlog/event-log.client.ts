import type { DomainError } from "../kernel/domain-error";
import type { Result } from "../kernel/result";
import { streamName } from "./aggregate-definition";
import type { CommandOutcome, CommandRequest, Committed, Sealed } from "./event-log.contract";
import type { EventLogObject } from "./event-log.do";

/** The RPC surface of the event-log object that Workers call. */
export interface EventLogRpc {
  execute(request: CommandRequest): Promise<CommandOutcome>;
  ping(): Promise<string> | string;
}

export interface ExecuteOptions {
  /** From `If-Match`: the version the client decided on. */
  readonly expectedVersions?: readonly number[];
  /** Values to keep beside the log, never in an event (e.g. a password hash). */
  readonly sealed?: Sealed;
}

/** Runs commands against aggregate instances' logs. The single way Workers reach the log. */
export interface EventLogClient {
  execute<View>(
    aggregateType: string,
    aggregateId: string,
    command: unknown,
    options?: ExecuteOptions,
  ): Promise<Result<Committed<View>, DomainError>>;
}

const stubOf = (namespace: DurableObjectNamespace<EventLogObject>, name: string) =>
  namespace.get(namespace.idFromName(name)) as unknown as EventLogRpc;

export const eventLogClient = (
  namespace: DurableObjectNamespace<EventLogObject>,
): EventLogClient => ({
  async execute<View>(
    aggregateType: string,
    aggregateId: string,
    command: unknown,
    options: ExecuteOptions = {},
  ) {
    const outcome = await stubOf(namespace, streamName(aggregateType, aggregateId)).execute({
      aggregateType,
      aggregateId,
      command,
      ...options,
    });
    return outcome as Result<Committed<View>, DomainError>;
  },
});

// Readiness probes spread over a few objects: one global object would be a bottleneck.
const READINESS_OBJECTS = 16;

/** A round trip to a log that is never written, proving the Durable Object namespace answers. */
export async function pingEventLog(
  namespace: DurableObjectNamespace<EventLogObject>,
): Promise<void> {
  const name = `health:readiness:${Math.floor(Math.random() * READINESS_OBJECTS)}`;
  const answer = await stubOf(namespace, name).ping();
  if (answer !== "pong") throw new Error(`Unexpected ping answer: ${answer}`);
}
