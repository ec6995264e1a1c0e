/**
 * The messages D1 and Durable Objects give when they are overloaded or briefly unavailable
 * (Cloudflare's D1 error list and Durable Object error handling docs). Matched as whole phrases,
 * so a value that merely contains a word of them does not count.
 */
const UNAVAILABLE_MESSAGES = [
  "is overloaded",
  "Too many requests queued",
  "Requests queued for too long",
  "Network connection lost",
  "reset because its code was updated",
  "caused object to be reset",
  "exceeded its memory limit and was reset",
  "exceeded its CPU time limit and was reset",
  "transient issue",
];

interface PlatformError {
  readonly overloaded?: boolean;
  readonly retryable?: boolean;
  readonly message?: unknown;
  readonly cause?: unknown;
}

/** The error and the errors it wraps (Drizzle wraps D1's errors in `cause`), outermost first. */
function* causes(error: unknown): Generator<PlatformError> {
  const seen = new Set<unknown>();
  for (let current = error; current && typeof current === "object" && !seen.has(current); ) {
    seen.add(current);
    yield current as PlatformError;
    current = (current as PlatformError).cause;
  }
}

/**
 * Whether an error means a platform dependency is overloaded or briefly unavailable rather than
 * a bug: the runtime's `.overloaded` flag or a `.retryable` error that outlived our retries,
 * anywhere in the cause chain, or one of D1's and Durable Objects' messages for such states on
 * the innermost error. (Outer messages are not read: Drizzle's repeat the query's values.)
 */
export function isUnavailable(error: unknown): boolean {
  const chain = [...causes(error)];
  if (chain.some((link) => link.overloaded === true || link.retryable === true)) return true;
  const message = chain.at(-1)?.message;
  return (
    typeof message === "string" && UNAVAILABLE_MESSAGES.some((phrase) => message.includes(phrase))
  );
}

/** Seconds a client should wait before retrying after a 503 for overload. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;
