import type { Brand } from "../../../kernel/brand";
import { type DomainError, invalid } from "../../../kernel/domain-error";
import { isUuid, newId } from "../../../kernel/ids";
import { err, ok, type Result } from "../../../kernel/result";

export type UserId = Brand<string, "UserId">;

export const newUserId = (): UserId => newId() as UserId;

export const parseUserId = (raw: string): Result<UserId, DomainError> =>
  isUuid(raw)
    ? ok(raw.toLowerCase() as UserId)
    : err(invalid("USER.INVALID_ID", "id", "must be a UUID"));
