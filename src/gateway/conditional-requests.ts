import { type DomainError, invalid } from "../kernel/domain-error";
import { err, ok, type Result } from "../kernel/result";

/** The strong entity tag of a resource at a version: `"3"`. */
export const etagOf = (version: number): string => `"${version}"`;

// RFC 9110 §8.8.3: entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE
const ENTITY_TAG = /^(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"$/;
const VERSION = /^[1-9][0-9]{0,15}$/;

/**
 * The versions an `If-Match` header accepts: undefined when absent or `*` (any version). Per
 * RFC 9110 it is a list compared strongly: weak tags and tags that name no version of ours
 * match nothing (so the write gets 412), while a header that is not a list of entity tags is 400.
 */
export function ifMatchVersions(
  ifMatch: string | undefined,
): Result<readonly number[] | undefined, DomainError> {
  const value = ifMatch?.trim();
  if (value === undefined || value === "*") return ok(undefined);
  const versions: number[] = [];
  for (const tag of value.split(",").map((part) => part.trim())) {
    const match = ENTITY_TAG.exec(tag);
    if (!match) {
      return err(
        invalid("INVALID_IF_MATCH", "if-match", 'must be "*" or a list of ETags such as "3"'),
      );
    }
    const [, weak, opaque = ""] = match;
    if (!weak && VERSION.test(opaque)) versions.push(Number(opaque));
  }
  return ok(versions);
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
