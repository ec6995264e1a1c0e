import type { Committed } from "../../../eventlog/event-log.contract";
import type { DomainError } from "../../../kernel/domain-error";
import type { Result } from "../../../kernel/result";
import type { UserId } from "../domain/user-id.value-object";
import { type AdminGuardDeps, keepingAnAdmin } from "./admin-seats";
import type { UserView } from "./user.view";

/** Deactivates a user; deactivating the last active admin is refused (see keepingAnAdmin). */
export const deactivateUser = (
  deps: AdminGuardDeps,
  id: UserId,
  expectedVersions?: readonly number[],
): Promise<Result<Committed<UserView>, DomainError>> =>
  keepingAnAdmin(deps, id, () => deps.repository.delete(id, expectedVersions));
