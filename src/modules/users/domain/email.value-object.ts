import type { Brand } from "../../../kernel/brand";
import { type DomainError, invalid } from "../../../kernel/domain-error";
import { err, ok, type Result } from "../../../kernel/result";

/**
 * An email address in canonical form: trimmed, Unicode NFKC and lower-cased, so uniqueness ignores
 * case, the two ways of writing "é" are one address, and a fullwidth "ａ" is an "a".
 */
export type Email = Brand<string, "Email">;

export const EMAIL_MAX_LENGTH = 254;

// Deliberately simple: one "@", no spaces, a dot in the domain. Deliverability is proven by
// sending mail, not by a regular expression.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
// Control and invisible format characters (zero-width space, bidi marks) would let two
// addresses that look the same claim two accounts.
const INVISIBLE = /[\p{Cc}\p{Cf}]/u;

export const parseEmail = (raw: string): Result<Email, DomainError> => {
  const email = raw.trim().normalize("NFKC").toLowerCase();
  if (email.length > EMAIL_MAX_LENGTH) {
    return err(
      invalid("USER.INVALID_EMAIL", "email", `must be at most ${EMAIL_MAX_LENGTH} characters`),
    );
  }
  if (!EMAIL_SHAPE.test(email) || INVISIBLE.test(email)) {
    return err(invalid("USER.INVALID_EMAIL", "email", "must be an email address"));
  }
  return ok(email as Email);
};
