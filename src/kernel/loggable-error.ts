/** What may be written to a log about an error. */
export interface LoggableError {
  /** The error's class, e.g. `DrizzleQueryError`. */
  readonly errorClass: string;
  /** The class of the error it wraps, e.g. the D1 error under a failed query. */
  readonly causeClass?: string;
  /** For a failed query, the first table it names. */
  readonly table?: string;
}

const classOf = (value: unknown): string =>
  value instanceof Error ? value.constructor.name || value.name : typeof value;

// The table after the first FROM, INTO, UPDATE or JOIN, quoted or not.
const TABLE = /\b(?:from|into|update|join)\s+["`[]?([A-Za-z_][A-Za-z0-9_]*)/i;

/**
 * The parts of an error that are safe to log. Never its message: a failed query's message holds
 * its bound values (an email, a name), and other messages may quote a request body. A query's
 * SQL text holds placeholders, not values, so the table is read from it.
 */
export function loggableError(error: unknown): LoggableError {
  const cause = error instanceof Error ? error.cause : undefined;
  const query =
    typeof error === "object" && error !== null && "query" in error ? error.query : undefined;
  const table = typeof query === "string" ? TABLE.exec(query)?.[1] : undefined;
  return {
    errorClass: classOf(error),
    ...(cause === undefined ? {} : { causeClass: classOf(cause) }),
    ...(table === undefined ? {} : { table }),
  };
}
