/**
 * A call to another Worker (a service binding) that failed: the service is down, unreachable or
 * threw. Marked `.retryable`, so the error handler answers 503 with `Retry-After` rather than a
 * 500 (gateway/unavailability.ts), and so a saga's effect is tried again (ADR 0039).
 */
export class DependencyUnavailable extends Error {
  readonly retryable = true;

  constructor(service: string, cause: unknown) {
    super(`The ${service} service did not answer.`, { cause });
    this.name = "DependencyUnavailable";
  }
}

/** Calls another service; any failure becomes a `DependencyUnavailable` naming it. */
export async function callService<T>(service: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new DependencyUnavailable(service, error);
  }
}
