import type { Brand } from "../../../kernel/brand";
import { type DomainError, invalid } from "../../../kernel/domain-error";
import { err, ok, type Result } from "../../../kernel/result";

/** A password as the user typed it. Never stored, logged or put in an event: only its hash is kept. */
export type PlainPassword = Brand<string, "PlainPassword">;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

export const parsePassword = (
  raw: string,
  field = "password",
): Result<PlainPassword, DomainError> =>
  raw.length >= PASSWORD_MIN_LENGTH && raw.length <= PASSWORD_MAX_LENGTH
    ? ok(raw as PlainPassword)
    : err(
        invalid(
          "USER.INVALID_PASSWORD",
          field,
          `must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`,
        ),
      );
