import type { DomainError } from "../kernel/domain-error";
import type { Result } from "../kernel/result";
import { streamName } from "./aggregate-definition";
import type { CommandOutcome, Committed } from "./event-log.contract";
import type { EventLogObject } from "./event-log.do";

/** The RPC surface of the event-log object that Workers call. */
export interface EventLogRpc {
  execute(request: {
    aggregateType: string;
    aggregateId: string;
    command: unknown;
    expectedVersion?: number;
  }): Promise<CommandOutcome>;
  ping(): Promise<string> | string;
}

/** Runs commands against aggregate instances' logs. The single way Workers reach the log. */
export interface EventLogClient {
  execute<View>(
    aggregateType: string,
    aggregateId: string,
    command: unknown,
    expectedVersion?: number,
  ): Promise<Result<Committed<View>, DomainError>>;
}

export const eventLogClient = (
  namespace: DurableObjectNamespace<EventLogObject>,
): EventLogClient => ({
  async execute<View>(
    aggregateType: string,
    aggregateId: string,
    command: unknown,
    expectedVersion?: number,
  ) {
    const stub = namespace.get(
      namespace.idFromName(streamName(aggregateType, aggregateId)),
    ) as unknown as EventLogRpc;
    const outcome = await stub.execute({
      aggregateType,
      aggregateId,
      command,
      ...(expectedVersion === undefined ? {} : { expectedVersion }),
    });
    return outcome as Result<Committed<View>, DomainError>;
  },
});

/** A round trip to a log that is never written, proving the Durable Object namespace answers. */
export async function pingEventLog(
  namespace: DurableObjectNamespace<EventLogObject>,
): Promise<void> {
  const stub = namespace.get(namespace.idFromName("health:readiness")) as unknown as EventLogRpc;
  const answer = await stub.ping();
  if (answer !== "pong") throw new Error(`Unexpected ping answer: ${answer}`);
}
