import type { DomainError, DomainErrorKind } from "../kernel/domain-error";
import type { Result } from "../kernel/result";

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/**
 * What a thrower says of a problem; the error handler adds `type`, `title`, `instance` and
 * `requestId` to make the RFC 9457 document.
 */
export interface ProblemInput {
  readonly status: number;
  readonly detail?: string;
  /** A stable machine code, e.g. `USER.EMAIL_TAKEN`; it also names the problem `type`. */
  readonly code?: string;
  /** For 400: every bad field, so a client can show all of them at once. */
  readonly errors?: readonly FieldError[];
  /** Further members a client can act on, e.g. `currentVersion`. */
  readonly extensions?: Readonly<Record<string, unknown>>;
}

/** The 404 of a path with no resource: also what a switched-off route answers, to look the same. */
export const noResourceAt = (path: string): ProblemInput => ({
  status: 404,
  detail: `No resource at ${path}.`,
});

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  412: "Precondition Failed",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

export const titleOf = (status: number): string => TITLES[status] ?? "Error";

/**
 * The RFC 9457 document for a problem, answering the request at `instance` with id
 * `requestId`: the one builder of problem bodies, for responses and for the OpenAPI examples.
 */
export const problemBody = (
  { status, detail, code, errors, extensions }: ProblemInput,
  { instance, requestId }: { instance: string; requestId: string },
) => ({
  ...extensions,
  type: code ? `urn:problem:${code.toLowerCase()}` : "about:blank",
  title: titleOf(status),
  status,
  ...(detail === undefined ? {} : { detail }),
  instance,
  requestId,
  ...(code === undefined ? {} : { code }),
  ...(errors === undefined ? {} : { errors }),
});

/** The one place a domain error's kind becomes an HTTP status. */
export const STATUS_OF_KIND: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
};

/** What a domain error says as a problem: the status of its kind, its code, field and details. */
export const domainProblem = ({
  kind,
  code,
  message,
  field,
  details,
}: DomainError): ProblemInput => ({
  status: STATUS_OF_KIND[kind],
  code,
  detail: field ? `${field} ${message}` : message,
  ...(field ? { errors: [{ field, message }] } : {}),
  ...(details ? { extensions: details } : {}),
});

/** An error that already knows its HTTP answer. Thrown from anywhere, rendered by onError. */
export class HttpProblem extends Error {
  constructor(
    readonly problem: ProblemInput,
    readonly headers: Record<string, string> = {},
  ) {
    super(problem.detail);
    this.name = "HttpProblem";
  }
}

/** A domain error on its way to the error handler. */
export class DomainFailure extends Error {
  constructor(readonly error: DomainError) {
    super(error.message);
    this.name = "DomainFailure";
  }
}

/** The value of an ok result; a domain error is thrown for the gateway to render. */
export function unwrap<T>(result: Result<T, DomainError>): T {
  if (!result.ok) throw new DomainFailure(result.error);
  return result.value;
}
