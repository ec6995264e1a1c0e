import { type DomainError, invalid } from "./domain-error";
import { err, ok, type Result } from "./result";

/**
 * Trims `raw` and checks its length: the shared rule behind names and descriptions. Lengths are
 * counted in UTF-16 code units, as JavaScript and JSON Schema's `maxLength` count them.
 */
export function parseBoundedText(
  raw: string,
  rule: { code: string; field: string; min: number; max: number },
): Result<string, DomainError> {
  const text = raw.trim();
  if (text.length >= rule.min && text.length <= rule.max) return ok(text);
  return err(
    invalid(
      rule.code,
      rule.field,
      rule.min === 0
        ? `must be at most ${rule.max} characters`
        : `must be ${rule.min} to ${rule.max} characters after trimming`,
    ),
  );
}
