import type { Brand } from "../../../kernel/brand";
import { type DomainError, invalid } from "../../../kernel/domain-error";
import { err, ok, type Result } from "../../../kernel/result";

export type UserName = Brand<string, "UserName">;

export const USER_NAME_MAX_LENGTH = 100;

export const parseUserName = (raw: string): Result<UserName, DomainError> => {
  const name = raw.trim();
  if (name.length < 1 || name.length > USER_NAME_MAX_LENGTH) {
    return err(
      invalid(
        "USER.INVALID_NAME",
        "name",
        `must be 1 to ${USER_NAME_MAX_LENGTH} characters after trimming`,
      ),
    );
  }
  return ok(name as UserName);
};
