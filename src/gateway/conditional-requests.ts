import { type DomainError, invalid } from "../kernel/domain-error";
import { err, ok, type Result } from "../kernel/result";

/** The strong entity tag of a resource at a version: `"3"`. */
export const etagOf = (version: number): string => `"${version}"`;

const STRONG_ETAG = /^"([1-9][0-9]{0,15})"$/;

/**
 * The version an `If-Match` header expects: undefined when absent or `*` (any current version).
 * Only a single strong tag can name a version; anything else is a 400, not a silent overwrite.
 */
export function expectedVersion(
  ifMatch: string | undefined,
): Result<number | undefined, DomainError> {
  const value = ifMatch?.trim();
  if (value === undefined || value === "*") return ok(undefined);
  const match = STRONG_ETAG.exec(value);
  return match
    ? ok(Number(match[1]))
    : err(invalid("INVALID_IF_MATCH", "if-match", 'must be "*" or one strong ETag such as "3"'));
}

/** Whether `If-None-Match` names the current version (weak comparison, as RFC 9110 asks). */
export function matchesIfNoneMatch(ifNoneMatch: string | undefined, version: number): boolean {
  if (ifNoneMatch === undefined) return false;
  const current = etagOf(version);
  return ifNoneMatch
    .split(",")
    .map((tag) => tag.trim().replace(/^W\//, ""))
    .some((tag) => tag === "*" || tag === current);
}
