import type { Brand } from "../../../kernel/brand";
import { newId, parseId } from "../../../kernel/ids";

export type UserId = Brand<string, "UserId">;

export const newUserId = (): UserId => newId() as UserId;

export const parseUserId = (raw: string) => parseId<UserId>(raw, "USER.INVALID_ID");
