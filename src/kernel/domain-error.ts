/**
 * What kind of expected failure an error is. The gateway's error handler maps each kind to one
 * HTTP status, so domain code never speaks HTTP.
 */
export type DomainErrorKind =
  | "invalid"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "precondition_failed";

/** An expected failure, carried as a value: a stable machine code plus a human message. */
export interface DomainError {
  readonly kind: DomainErrorKind;
  /** Stable and namespaced, e.g. `USER.EMAIL_TAKEN`; clients may branch on it. */
  readonly code: string;
  readonly message: string;
  /** For `invalid`: the field the message is about. */
  readonly field?: string;
  /** Extra facts a client can act on (e.g. the current version). */
  readonly details?: Readonly<Record<string, unknown>>;
}

export const invalid = (code: string, field: string, message: string): DomainError => ({
  kind: "invalid",
  code,
  field,
  message,
});

export const notFound = (code: string, message: string): DomainError => ({
  kind: "not_found",
  code,
  message,
});

export const conflict = (
  code: string,
  message: string,
  details?: Record<string, unknown>,
): DomainError => ({ kind: "conflict", code, message, ...(details ? { details } : {}) });

export const forbidden = (code: string, message: string): DomainError => ({
  kind: "forbidden",
  code,
  message,
});
