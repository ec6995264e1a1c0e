import type { Committed } from "../../../eventlog/event-log.contract";
import type { DomainError } from "../../../kernel/domain-error";
import { err, type Result } from "../../../kernel/result";
import { parseEmail } from "../domain/email.value-object";
import { userDeactivated, userNotFound } from "../domain/user.errors";
import type { UserId } from "../domain/user-id.value-object";
import type { RoleChangeSource, UserRole } from "../domain/user-role";
import { type AdminGuardDeps, keepingAnAdmin, seatingAnAdmin } from "./admin-seats";
import type { UserView } from "./user.view";

/** Sets a role; taking the last active admin's away is refused (see keepingAnAdmin). */
export function changeUserRole(
  deps: AdminGuardDeps,
  input: {
    id: UserId;
    role: UserRole;
    source: RoleChangeSource;
    expectedVersions?: readonly number[];
  },
): Promise<Result<Committed<UserView>, DomainError>> {
  const change = () =>
    deps.repository.save(
      input.id,
      { type: "ChangeUserRole", role: input.role, source: input.source },
      input.expectedVersions === undefined ? {} : { expectedVersions: input.expectedVersions },
    );
  return input.role === "admin"
    ? seatingAnAdmin(deps, input.id, change)
    : keepingAnAdmin(deps, input.id, change);
}

/**
 * Makes an existing, active user an admin on the word of the operator who holds
 * ADMIN_BOOTSTRAP_TOKEN: how the first admin is made. The event records that source.
 */
export async function bootstrapAdmin(
  deps: AdminGuardDeps,
  rawEmail: string,
): Promise<Result<Committed<UserView>, DomainError>> {
  const email = parseEmail(rawEmail);
  if (!email.ok) return email;
  const user = await deps.repository.findByEmail(email.value);
  if (!user) return err(userNotFound());
  if (user.status !== "active") return err(userDeactivated());
  return changeUserRole(deps, { id: user.id as UserId, role: "admin", source: "bootstrap" });
}
