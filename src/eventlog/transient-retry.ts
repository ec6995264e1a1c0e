/** The properties the runtime sets on errors from Durable Objects (and D1). */
interface PlatformError {
  readonly retryable?: boolean;
  readonly overloaded?: boolean;
}

/**
 * Whether a failed call may be sent again: the runtime marks transient failures (a reset
 * object, a lost connection) `.retryable`, and an overloaded object `.overloaded`, which must
 * never be retried: more requests would deepen the overload.
 */
export const isRetryable = (error: unknown): boolean => {
  const { retryable, overloaded } = (error ?? {}) as PlatformError;
  return retryable === true && overloaded !== true;
};

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** The first backoff; each next one doubles, with full jitter. */
  readonly baseDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 3, baseDelayMs: 50 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `call`, and again after a retryable failure, with exponential backoff and jitter. Only
 * for idempotent calls: a command is, because it carries a command id the log applies once.
 */
export async function withRetries<T>(
  call: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= policy.attempts || !isRetryable(error)) throw error;
      await sleep(Math.random() * policy.baseDelayMs * 2 ** (attempt - 1));
    }
  }
}
