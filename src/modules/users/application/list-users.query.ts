import type { Page } from "../../../db/keyset-pagination";
import type { DomainError } from "../../../kernel/domain-error";
import type { Result } from "../../../kernel/result";
import type { ListUsersCriteria, UserRepository } from "./user.repository";
import type { UserView } from "./user.view";

export const listUsers = (
  repository: UserRepository,
  criteria: ListUsersCriteria,
): Promise<Result<Page<UserView>, DomainError>> => repository.list(criteria);
