import type { Committed } from "../../../eventlog/event-log.contract";
import type { DomainError } from "../../../kernel/domain-error";
import type { Result } from "../../../kernel/result";
import type { UserId } from "../domain/user-id.value-object";
import type { UserRole } from "../domain/user-role";
import type { UserRepository } from "./user.repository";
import type { UserView } from "./user.view";

export const changeUserRole = (
  repository: UserRepository,
  input: { id: UserId; role: UserRole; expectedVersions?: readonly number[] },
): Promise<Result<Committed<UserView>, DomainError>> =>
  repository.save(
    input.id,
    { type: "ChangeUserRole", role: input.role },
    input.expectedVersions === undefined ? {} : { expectedVersions: input.expectedVersions },
  );
