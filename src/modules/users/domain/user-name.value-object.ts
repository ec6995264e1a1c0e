import { parseBoundedText } from "../../../kernel/bounded-text";
import type { Brand } from "../../../kernel/brand";
import type { DomainError } from "../../../kernel/domain-error";
import type { Result } from "../../../kernel/result";

export type UserName = Brand<string, "UserName">;

export const USER_NAME_MAX_LENGTH = 100;

export const parseUserName = (raw: string) =>
  parseBoundedText(raw, {
    code: "USER.INVALID_NAME",
    field: "name",
    min: 1,
    max: USER_NAME_MAX_LENGTH,
  }) as Result<UserName, DomainError>;
