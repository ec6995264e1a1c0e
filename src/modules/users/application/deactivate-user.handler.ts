import type { Committed } from "../../../eventlog/event-log.contract";
import type { DomainError } from "../../../kernel/domain-error";
import type { Result } from "../../../kernel/result";
import type { UserId } from "../domain/user-id.value-object";
import type { UserRepository } from "./user.repository";
import type { UserView } from "./user.view";

export const deactivateUser = (
  repository: UserRepository,
  id: UserId,
  expectedVersions?: readonly number[],
): Promise<Result<Committed<UserView>, DomainError>> => repository.delete(id, expectedVersions);
